"""Pictures of an imported label: which ones travel, where their files go, which need an author.

A picture is kept with its file (written to ``images/`` beside the content file) when the
file is at hand and the label describes it. Otherwise it is kept without ``alt`` and with a
``# REVIEW:`` comment, so that ``validate`` and ``build`` refuse it until an author writes
what it shows, or, with ``--drop-missing-images``, left out with a comment where it was.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from . import nodes
from .medicine import missing_alternative
from ..errors import UserError

IMAGE_FOLDER = "images"
_SUFFIXES = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg"}


def describes(alt: str, file_name: str) -> bool:
    """Whether a label's text for a picture says what it shows, rather than naming a file
    ("fig-a-pen-image", "PfizerLabsLogo", "Logo", the file's own name)."""
    text = " ".join((alt or "").split())
    if len(text.split()) < 2 or re.fullmatch(r"[\w.\-]+", text):
        return False
    squash = lambda s: re.sub(r"[\W_]+", "", s.casefold())  # noqa: E731
    return squash(text) != squash(Path(file_name or "").stem)


class Pictures:
    """The pictures of one import: figures for the narrative, files to write afterwards."""

    def __init__(self, folder: Path, drop_missing: bool, log: nodes.Log):
        self.folder = folder  # where the content file goes
        self.drop_missing = drop_missing
        self.log = log
        self.files: dict[str, bytes] = {}  # path relative to the content file -> data
        self.review: list[str] = []

    def figure(self, source_name: str, alt: str, data: Optional[bytes]):
        """A Figure (or a Note when it is left out) for a picture the label shows."""
        label = " ".join((alt or "").split())
        shown = f"{source_name or 'a picture'}" + (f" (“{label}”)" if label else "")
        problems = []
        if data is None or _kind(data) is None:
            problems.append("its file is not in what was imported" if data is None else "its file is not a PNG or JPEG")
        if label and missing_alternative(label):
            problems.append(f"its text “{label}” is a placeholder that says it has no description")
            label = ""
        elif not describes(label, source_name):
            problems.append("the label has no description of it" + (f", only “{label}”" if label else ""))
        if problems and self.drop_missing:
            self.log.warn(f"picture {shown} left out: {'; '.join(problems)}")
            return nodes.Note(f"picture {shown} left out: {'; '.join(problems)}")
        if _kind(data):
            path = self._place(source_name, data)
        else:
            path = f"{IMAGE_FOLDER}/{_safe_name(source_name)}"
        if problems:
            self.review.append(shown)
            self.log.warn(f"picture {shown} needs an author: {'; '.join(problems)} (marked REVIEW)")
            return nodes.Figure(path, label if describes(label, source_name) else None, label=shown,
                                review="; ".join(problems))
        return nodes.Figure(path, label, label=shown)

    def _place(self, source_name: str, data: bytes) -> str:
        """The file's path relative to the content file: a new name rather than replace another file."""
        name = _safe_name(source_name, _kind(data))
        stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
        n = 1
        while True:
            relative = f"{IMAGE_FOLDER}/{name}"
            existing = self.folder / IMAGE_FOLDER / name
            taken = self.files.get(relative)
            if (taken is None or taken == data) and (not existing.exists() or _same(existing, data)):
                self.files[relative] = data
                return relative
            n += 1
            name = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"

    def write(self) -> list[str]:
        """Write the picture files (new ones only); the paths written."""
        written = []
        for relative, data in self.files.items():
            target = self.folder / relative
            if target.exists():
                continue  # the same bytes are there already (checked when placed)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                from ..pharmacy.atomic_write import write_atomically

                write_atomically(target, data)
            except OSError as err:
                raise UserError.single(str(target), 0, 0, "", f"cannot write the picture: {err.strerror}") from None
            written.append(str(target))
        return written


def _kind(data: Optional[bytes]) -> Optional[str]:
    if not data:
        return None
    return next((suffix for magic, suffix in _SUFFIXES.items() if data.startswith(magic)), None)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _safe_name(name: str, suffix: Optional[str] = None) -> str:
    """A plain file name: no folders, no odd characters, the suffix its contents call for."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(".-") or "picture"
    if suffix:
        stem = base.rsplit(".", 1)[0] if "." in base else base
        current = "." + base.rsplit(".", 1)[1].lower() if "." in base else ""
        if current not in ({".jpg", ".jpeg"} if suffix == ".jpg" else {suffix}):
            base = stem + suffix
    return base
