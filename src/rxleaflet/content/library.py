"""The content library: a folder of content files, found by product code or medicine name, in the patient's language.

The index is built once per process and rebuilt when a file is added,
removed or changed (a scan of names, sizes and modification times before
each look-up; only changed files are read again).  A look-up follows the
``--rx`` matching rule (:func:`rxleaflet.content.load.medicine_names`): a patient
never gets another medicine's or another strength's leaflet, and when more
than one leaflet fits, nothing is built and the candidates are listed.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Union

from ..text import fonts
from .. import model
from ..errors import Ambiguous, NotFound, Problem, UserError
from .dispensing import LOCATOR_KEYS, PRESCRIPTION_KEYS, medicine_names, squashed
from .leaflet import read_leaflet
from .pharmacy_settings import PHARMACY_KEYS
from .yamlfile import MAX_CONTENT_BYTES, decode_utf8, read_input

DEFAULT_LANG = "en"
SUFFIXES = (".yaml", ".yml")
# The other kinds of YAML file a content folder holds beside its leaflets, by their top-level keys.
OTHER_DOCUMENTS = {"dispensing details": set(PRESCRIPTION_KEYS) | set(LOCATOR_KEYS),
                   "pharmacy settings": set(PHARMACY_KEYS)}


def stamp(path: str) -> tuple[int, int]:
    """What tells that a file changed: its modification time and size."""
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


class LeafletFiles:
    """Content files, each read once and read again when it changes.

    ``files[path]`` is the file's leaflet, or raises its UserError.  Batch and
    service workers use it as their leaflets, so a leaflet edited while the
    service runs is rebuilt from the new text.
    """

    def __init__(self, printable: Optional[Callable[[str], bool]] = fonts.covers):
        self.printable = printable
        self._read: dict[str, tuple[tuple[int, int], Union[model.Leaflet, UserError]]] = {}

    def __getitem__(self, path: str) -> model.Leaflet:
        result = self.read(path)
        if isinstance(result, UserError):
            raise result
        return result

    def read(self, path: str, known_stamp: Optional[tuple[int, int]] = None) -> Union[model.Leaflet, UserError]:
        try:
            current = known_stamp or stamp(path)
        except OSError as err:
            return UserError.single(path, 0, 0, "", f"cannot read the file: {err.strerror}")
        cached = self._read.get(path)
        if cached is None or cached[0] != current:
            try:
                result: Union[model.Leaflet, UserError] = read_leaflet(path, self.printable)
            except UserError as err:
                result = err
            cached = self._read[path] = (current, result)
        return cached[1]


@dataclass(frozen=True)
class Entry:
    """One valid content file of the library."""

    path: str  # as found: the library folder joined with `name`
    name: str  # relative to the library folder, with forward slashes: what messages and the API show
    leaflet: model.Leaflet

    @property
    def lang(self) -> str:
        return self.leaflet.lang

    @property
    def identity(self) -> tuple[str, tuple[str, ...]]:
        """The medicine's name and strengths: editions of one medicine in other languages share them."""
        medicine = self.leaflet.medicine
        return squashed(medicine.name), tuple(sorted(squashed(s) for s in medicine.strengths))

    def edition_of(self, other: "Entry") -> bool:
        """Is this an edition of ``other``'s medicine: a product code in common, or the same name,
        strengths and form?  (A translated form needs the codes: the name and strength alone would
        also fit the medicine's other forms.)"""
        mine, theirs = self.leaflet.medicine, other.leaflet.medicine
        return bool(set(mine.codes) & set(theirs.codes)) or \
            (self.identity == other.identity and squashed(mine.form) == squashed(theirs.form))

    def describe(self) -> str:
        return f"{self.name} ({self.leaflet.medicine.label}, {self.lang})"


@dataclass(frozen=True)
class Choice:
    """The leaflet a look-up chose, and which edition it is."""

    entry: Entry
    wanted: model.Wanted
    asked: tuple[model.Medicine, ...] = ()  # the medicines the request named directly (the chosen may be their edition)

    @property
    def path(self) -> str:
        return self.entry.path

    @property
    def leaflet(self) -> model.Leaflet:
        return self.entry.leaflet

    @property
    def fallback(self) -> bool:
        """A language was asked for and the library has no edition in it: the default edition is built."""
        return bool(self.wanted.lang) and _best_language(self.wanted.lang, [self.entry.lang]) is None

    @property
    def note(self) -> str:
        """Which edition, for the output (names the medicine and languages, never patient data)."""
        if self.fallback:
            return f"no {self.wanted.lang} edition of {self.wanted}: built the default edition, {self.entry.describe()}"
        return f"the {self.entry.lang} edition{', as asked' if self.wanted.lang else ''}: {self.entry.describe()}"


class Library:
    """A folder of content files and its index by product code and medicine name."""

    def __init__(self, folder, default_lang: Optional[str] = None, files: Optional[LeafletFiles] = None):
        self.folder = Path(folder)
        self.default_lang = default_lang or DEFAULT_LANG
        self.files = files or LeafletFiles()
        self._stamps: Optional[dict[str, tuple[int, int]]] = None
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []  # files that are not valid content
        self.skipped: list[Problem] = []  # files that are not leaflets, or a leaflet found again through a link
        self._by_name: dict[str, list[Entry]] = {}
        self._by_code: dict[tuple[str, str], list[Entry]] = {}

    # -- the index -----------------------------------------------------------
    def refresh(self) -> "Library":
        """Scan the folder; rebuild the index if any file was added, removed or changed."""
        if not self.folder.is_dir():
            raise UserError.single(str(self.folder), 0, 0, "", "the library folder does not exist")
        stamps = {}
        paths, linked = self._content_files()
        for path in paths:
            try:
                stamps[path] = stamp(path)
            except OSError:
                continue  # removed while scanning: the next scan settles it
        if stamps != self._stamps:
            self._index(stamps, linked)
        return self

    def _content_files(self) -> tuple[list[str], list[Problem]]:
        """The YAML files below the folder, each file once; and those skipped, as a link shows a file again."""
        found, seen, skipped = [], {}, []
        for folder, subfolders, names in os.walk(self.folder, followlinks=True):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(names):
                if not name.lower().endswith(SUFFIXES) or name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                real = os.path.realpath(path)
                if real in seen:
                    skipped.append(Problem(path, 0, 0, "", f"skipped: the same file as {self._name(seen[real])}"))
                    continue
                seen[real] = path
                found.append(path)
        return found, skipped

    def _name(self, path: str) -> str:
        return Path(path).relative_to(self.folder).as_posix()

    def _index(self, stamps: dict[str, tuple[int, int]], linked: list[Problem]) -> None:
        entries, problems, skipped = [], [], list(linked)
        for path, known in stamps.items():
            result = self.files.read(path, known)
            if isinstance(result, UserError):
                kind = _other_document(path)
                if kind:
                    skipped.append(Problem(path, 0, 0, "", f"skipped: {kind}, not a leaflet"))
                else:
                    problems += result.problems
            else:
                entries.append(Entry(path, self._name(path), result))
        self.skipped = skipped
        by_name: dict[str, list[Entry]] = {}
        by_code: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            for name in medicine_names(entry.leaflet.medicine):
                by_name.setdefault(name, []).append(entry)
            for code in entry.leaflet.medicine.codes:
                by_code.setdefault(code, []).append(entry)
        self._stamps, self.entries, self.problems = stamps, entries, problems
        self._by_name, self._by_code = by_name, by_code

    # -- look-up -------------------------------------------------------------
    def find(self, wanted: model.Wanted) -> Choice:
        """The leaflet for ``wanted``: NotFound or Ambiguous (UserErrors naming what was asked) if none or several fit."""
        self.refresh()
        if wanted.ndc or wanted.gtin:
            code = ("ndc", wanted.ndc) if wanted.ndc else ("gtin", wanted.gtin)
            matched = self._by_code.get(code, [])
        else:
            matched = self._by_name.get(squashed(wanted.medicine or ""), [])
        if not matched:
            raise self._error(NotFound, wanted, f"no leaflet in the library {self.folder} for {wanted}")
        several = [e for e in matched if sum(_same_language(e.lang, other.lang) for other in matched) > 1]
        if several:
            raise self._error(Ambiguous, wanted, f"{len(several)} leaflets fit {wanted}; ask by product code, or "
                                                 f"give the form too: {'; '.join(e.describe() for e in several)}")
        editions = [entry for entry in self.entries if any(entry.edition_of(m) for m in matched)]
        lang = self._edition_language(wanted, editions)
        if lang is None:
            raise self._error(Ambiguous, wanted, f"no {wanted.lang or self.default_lang} edition of {wanted}, and no "
                                                 f"edition in the default language ({self.default_lang}) to fall back "
                                                 f"on; editions: {'; '.join(e.describe() for e in editions)}")
        chosen = [e for e in editions if _same_language(e.lang, lang)]
        if len(chosen) > 1:
            raise self._error(Ambiguous, wanted, f"{len(chosen)} {lang} editions fit {wanted}; give each its own "
                                                 f"product codes: {'; '.join(e.describe() for e in chosen)}")
        return Choice(chosen[0], wanted, tuple(m.leaflet.medicine for m in matched))

    def _edition_language(self, wanted: model.Wanted, editions: list[Entry]) -> Optional[str]:
        """The language of the edition to build: the patient's if there is one, else the default
        language's, else the only language there is; None if that leaves a choice."""
        languages = sorted({entry.lang for entry in editions})
        asked = _best_language(wanted.lang, languages) if wanted.lang else None
        default = _best_language(self.default_lang, languages)
        return asked or default or (languages[0] if len(languages) == 1 else None)

    def _error(self, kind, wanted: model.Wanted, message: str) -> UserError:
        where = wanted.where or model.Location(str(self.folder), 0, 0, "")
        return kind([Problem(where.file, where.line, where.column, where.path, message)])

    # -- what the library holds ----------------------------------------------
    def medicines(self) -> list[dict]:
        """The index as data (for the service's GET /v1/medicines): one item per content file."""
        self.refresh()
        return [{"file": entry.name, "lang": entry.lang, "name": entry.leaflet.medicine.name,
                 "brand_names": list(entry.leaflet.medicine.brand_names),
                 "strengths": list(entry.leaflet.medicine.strengths), "form": entry.leaflet.medicine.form,
                 "codes": {kind: [code for k, code in entry.leaflet.medicine.codes if k == kind]
                           for kind in ("ndc", "gtin")},
                 "title": entry.leaflet.title.plain, "revised": entry.leaflet.revised.isoformat()}
                for entry in self.entries]

    def check(self) -> list[Problem]:
        """Every problem of the library: files that are not valid, product codes on two leaflets
        of one language or of different medicines, and medicine names that fit more than one
        leaflet of a language."""
        self.refresh()
        problems = list(self.problems)
        for (kind, code), entries in sorted(self._by_code.items()):
            problems += [Problem(first.path, 0, 0, "", f"{kind.upper()} {code} is also on {second.describe()}")
                         for first, second in _clashes(entries, across_languages=True)]
        reported = set()
        for name, entries in sorted(self._by_name.items()):
            for first, second in _clashes(entries, across_languages=False):
                if (first.path, second.path) not in reported:  # one report per pair, not per spelling
                    reported.add((first.path, second.path))
                    problems.append(Problem(first.path, 0, 0, "", f"ambiguous medicine: a prescription for "
                                            f"'{_shown_name(name, first)}' would fit this and {second.describe()}"))
        return problems


def _other_document(path: str) -> Optional[str]:
    """What a file that failed as a leaflet is instead ("pharmacy settings" …), judged by its keys; None: a leaflet."""
    import yaml

    try:
        root = yaml.compose(decode_utf8(read_input(path, MAX_CONTENT_BYTES), path), Loader=yaml.SafeLoader)
    except (UserError, yaml.YAMLError):
        return None  # unreadable: its problem is reported
    if not isinstance(root, yaml.MappingNode):
        return None
    keys = {key.value for key, _ in root.value if isinstance(key, yaml.ScalarNode)}
    kinds = [kind for kind, known in OTHER_DOCUMENTS.items() if keys and keys <= known and keys - {"lang", "medicine"}]
    return kinds[0] if kinds else None


def _clashes(entries: list[Entry], across_languages: bool):
    """The pairs of entries that must not share a code or name: those of one language, and
    (``across_languages``) those that are not editions of one medicine."""
    for i, first in enumerate(entries):
        for second in entries[i + 1:]:
            if _same_language(first.lang, second.lang) or (across_languages and first.identity != second.identity):
                yield first, second


def _shown_name(name: str, entry: Entry) -> str:
    """A squashed name as it would be written: the leaflet's own name and strength when they make it."""
    medicine = entry.leaflet.medicine
    for written in (medicine.name,) + medicine.brand_names:
        for strength in medicine.strengths:
            for text in (f"{written} {strength}", f"{written} {strength} {medicine.form}"):
                if squashed(text) == name:
                    return text
    return name


def _same_language(first: str, second: str) -> bool:
    return first.lower() == second.lower()


def _best_language(asked: str, languages: list[str]) -> Optional[str]:
    """The edition language for ``asked``: the same tag, else the only one of the same primary language."""
    exact = [lang for lang in languages if lang.lower() == asked.lower()]
    if exact:
        return exact[0]
    primary = asked.split("-")[0].lower()
    close = [lang for lang in languages if lang.split("-")[0].lower() == primary]
    return close[0] if len(close) == 1 else None


_open: dict[tuple[str, str], Library] = {}


def open_library(folder, default_lang: Optional[str] = None) -> Library:
    """The process's library for ``folder``: indexed on first use, re-indexed when its files change."""
    key = (os.path.abspath(folder), default_lang or DEFAULT_LANG)
    if key not in _open:
        _open[key] = Library(folder, default_lang)
    return _open[key].refresh()
