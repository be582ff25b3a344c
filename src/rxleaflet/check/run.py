"""Check one leaflet: every rule over every text, findings placed at FILE:LINE:COL, accepted ones marked."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import model
from . import accept, completeness, jargon, notation, readability
from .findings import Finding
from .languages import language
from .places import SourceText
from .texts import Piece, pieces, primary


@dataclass
class Result:
    file: str
    findings: list[Finding] = field(default_factory=list)
    scores: list[tuple[str, readability.Score]] = field(default_factory=list)  # ("the leaflet" or a heading, score)

    @property
    def open(self) -> list[Finding]:
        """The findings not accepted on purpose."""
        return [f for f in self.findings if f.accepted is None]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.findings if f.accepted is not None]


class _Checker:
    def __init__(self, leaflet: model.Leaflet, source: SourceText):
        self.leaflet = leaflet
        self.source = source
        self.accepted = accept.acceptances(source.lines)
        self.result = Result(leaflet.file)

    def add(self, where: Optional[model.Location], rule: str, message: str, suggestion: str,
            line_column: Optional[tuple[int, int]] = None) -> None:
        line, column = line_column or ((where.line, where.column) if where else (0, 0))
        text_line = where.line if where else None
        reason = accept.reason(self.accepted, rule, line, text_line)
        self.result.findings.append(Finding(self.leaflet.file, line, column, rule, message, suggestion,
                                            where.path if where else "", reason))

    def piece_hits(self, piece: Piece, hits) -> None:
        if not hits:
            return
        places = self.source.places(piece.where, piece.plain)
        for start, _end, rule, message, suggestion in hits:
            self.add(piece.where, rule, message, suggestion, places[min(start, len(places) - 1)])

    def texts(self, found: list[Piece]) -> None:
        for piece in found:
            lang = language(piece.lang)
            hits = notation.hits(piece.plain, lang, piece.links)
            if piece.kind != "field":
                hits += jargon.hits(piece.plain, lang)
            if piece.prose:
                hits += [(start, start, "long-sentence", f"a sentence of {count} words (plain language: at most "
                          f"{lang.sentence_words})", "split it into shorter sentences")
                         for start, count in _long_sentences(piece.plain, lang.sentence_words)]
            self.piece_hits(piece, sorted(hits))

    def reading_level(self, found: list[Piece]) -> None:
        lang = language(primary(self.leaflet.lang))
        if not lang.readability:
            return
        needs = readability.needs_syllables(lang.readability)
        counted = {}
        for piece in found:
            if piece.prose and piece.lang == lang.code:
                counts = readability.count(piece.plain, lang.code, needs)
                counted[piece.part_index] = counted.get(piece.part_index, readability.Counts()) + counts
        parts = {piece.part_index: piece.part for piece in found if piece.part is not None}
        for index, counts in counted.items():
            score = readability.score(counts, lang.readability)
            if score is not None and index in parts:
                self.result.scores.append((parts[index].plain, score))
                if score.over_limit:
                    self.add(parts[index].where, "reading-level", f"the section reads at {score}",
                             "use shorter sentences and everyday words")
        whole = readability.score(sum(counted.values(), readability.Counts()), lang.readability)
        if whole is not None:
            self.result.scores.insert(0, ("the leaflet", whole))
            if whole.over_limit:
                self.add(self.leaflet.title.where, "reading-level", f"the leaflet reads at {whole}",
                         "use shorter sentences and everyday words")


def _long_sentences(text: str, limit: int):
    for start, sentence in readability.sentences(text):
        count = len(readability.words(sentence))
        if count > limit:
            yield start, count


def check_leaflet(leaflet: model.Leaflet, profile: Optional[str] = None) -> Result:
    """Every finding in ``leaflet`` (read again from its file for the places and the accept comments)."""
    checker = _Checker(leaflet, SourceText.read(leaflet.file))
    found = pieces(leaflet)
    checker.texts(found)
    checker.reading_level(found)
    chosen = profile or leaflet.profile
    if chosen:
        completeness.findings(leaflet, found, chosen, checker.add)
    checker.result.findings += accept.problems(leaflet.file, checker.accepted)
    checker.result.findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return checker.result
