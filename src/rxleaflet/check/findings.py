"""A finding: one thing `rxleaflet check` says about a leaflet, at its FILE:LINE:COL, with its rule and the fix."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

ERROR, WARNING = "error", "warning"

# Every rule: (severity, what it finds). The ids are what a report and `# check: accept` name.
RULES = {
    "trailing-zero": (ERROR, "a trailing zero after a decimal point (1.0 mg is read as 10 mg)"),
    "naked-decimal": (ERROR, "a decimal point with no zero before it (.5 mg is read as 5 mg)"),
    "unit-abbreviation": (ERROR, "U or IU for units (U is read as 0 or 4, IU as IV or 10)"),
    "error-prone-abbreviation": (ERROR, "an abbreviation on ISMP's list of error-prone abbreviations "
                                        "(QD, QOD, HS, SC, cc, AD/AS/AU, OD/OS/OU, drug name abbreviations …)"),
    "microgram-symbol": (ERROR, "µg or ug for micrograms (µ is read as m: a thousand times the dose)"),
    "comparison-sign": (ERROR, "> or < beside a number (read the wrong way round)"),
    "error-prone-symbol": (ERROR, "@, & or + between words (read as 2 or 4), / between doses (read as 1)"),
    "glued-unit": (ERROR, "a number written against its unit (2mg: the m is read as a digit)"),
    "dose-split": (ERROR, "a dose the line breaker may split from its unit (a fraction, a number after a sign or "
                          "quote mark, followed by an ordinary space)"),
    "long-sentence": (WARNING, "a sentence longer than plain-language guidance allows"),
    "reading-level": (WARNING, "a section or leaflet above the reading level its language's index allows"),
    "jargon": (WARNING, "a medical word with an everyday one"),
    "missing-section": (ERROR, "a section the leaflet's profile requires is missing"),
    "section-order": (ERROR, "a section the leaflet's profile requires is out of order"),
    "unknown-profile": (ERROR, "the profile named is not known, or has no headings in the leaflet's language"),
    "bad-accept": (WARNING, "a # check: accept comment that names no rule check knows, or does not say why"),
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    column: int
    rule: str
    message: str
    suggestion: str = ""
    path: str = ""  # the field in the content file ("sections[2].content[0]")
    accepted: Optional[str] = None  # why it is accepted on purpose (a # check: accept comment), else None

    @property
    def severity(self) -> str:
        return RULES[self.rule][0]

    def accept(self, reason: str) -> "Finding":
        return replace(self, accepted=reason)

    def __str__(self) -> str:
        fix = f"; {self.suggestion}" if self.suggestion else ""
        said = f" (accepted: {self.accepted})" if self.accepted is not None else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.rule}: {self.message}{fix}{said}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule,
                "severity": self.severity, "message": self.message, "suggestion": self.suggestion,
                "path": self.path, "accepted": self.accepted}
