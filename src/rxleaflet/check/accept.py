"""Findings accepted on purpose: ``# check: accept RULE[, RULE] — why`` comments in the content file.

A comment before the first key (among the file's opening comments) accepts the rules in the
whole file; anywhere else, it accepts them in the text that starts on its line or on the
line below it (a comment on a line of its own above a paragraph), and on its own line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .findings import RULES, Finding

_COMMENT = re.compile(r"(?:^|\s)#\s*check:\s*accept\s+(?P<rules>[\w-]+(?:\s*,\s*[\w-]+)*)"
                      r"\s*(?:(?:—|–|--|-|:)\s*(?P<reason>.*?))?\s*$")


@dataclass(frozen=True)
class Acceptance:
    line: int
    column: int
    rules: tuple[str, ...]
    reason: str
    whole_file: bool


def acceptances(lines: list[str]) -> list[Acceptance]:
    found, opening = [], True
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            opening = False
        match = _COMMENT.search(line)
        if match:
            rules = tuple(rule.strip() for rule in match.group("rules").split(","))
            found.append(Acceptance(number, match.start("rules") - len("accept ") + 1, rules,
                                    (match.group("reason") or "").strip(), opening))
    return found


def problems(file: str, accepted: list[Acceptance]) -> list[Finding]:
    """Comments that accept no rule check knows, or do not say why."""
    found = []
    for acceptance in accepted:
        unknown = [rule for rule in acceptance.rules if rule not in RULES]
        if unknown:
            found.append(Finding(file, acceptance.line, acceptance.column, "bad-accept",
                                 f"check has no rule {', '.join(unknown)}", f"name one of: {', '.join(RULES)}"))
        if not acceptance.reason:
            found.append(Finding(file, acceptance.line, acceptance.column, "bad-accept",
                                 "the comment does not say why the findings are accepted",
                                 "add the reason after a dash: # check: accept RULE — why"))
    return found


def reason(accepted: list[Acceptance], rule: str, line: int, text_line: Optional[int]) -> Optional[str]:
    """Why a finding of ``rule`` at ``line`` (in a text starting at ``text_line``) is accepted, or None."""
    for acceptance in accepted:
        if rule not in acceptance.rules or not acceptance.reason:
            continue
        if acceptance.whole_file or acceptance.line == line or acceptance.line in (text_line, (text_line or 0) - 1):
            return acceptance.reason
    return None
