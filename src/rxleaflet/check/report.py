"""The check's reports: text for people, JSON (one object per finding), SARIF 2.1.0 for code-scanning tools."""
from __future__ import annotations

import json

from ..version import __version__
from .findings import RULES
from .run import Result

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning"}


def text(results: list[Result]) -> str:
    lines = []
    for result in results:
        lines += [str(finding) for finding in result.findings if finding.accepted is None]
        lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: Result) -> str:
    """One line: the file, what was found and accepted, its reading level."""
    errors = sum(1 for f in result.open if f.severity == "error")
    warnings = len(result.open) - errors
    said = f"{errors} errors, {warnings} warnings" if result.open else "ok"
    if result.accepted:
        said += f" ({len(result.accepted)} accepted)"
    if result.scores:
        said += f"; {result.scores[0][1]}"
    return f"{result.file}: {said}"


def as_json(results: list[Result]) -> str:
    return json.dumps([f.as_dict() for result in results for f in result.findings], ensure_ascii=False, indent=1) + "\n"


def sarif(results: list[Result]) -> str:
    rules = list(RULES)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rxleaflet check",
                "version": __version__,
                "rules": [{"id": rule, "shortDescription": {"text": what},
                           "defaultConfiguration": {"level": SARIF_LEVEL[severity]}}
                          for rule, (severity, what) in RULES.items()],
            }},
            "results": [_sarif_result(f, rules) for result in results for f in result.findings],
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _sarif_result(finding, rules: list) -> dict:
    message = finding.message + (f"; {finding.suggestion}" if finding.suggestion else "")
    result = {
        "ruleId": finding.rule,
        "ruleIndex": rules.index(finding.rule),
        "level": SARIF_LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": finding.file.replace("\\", "/")},
            "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
        }}],
    }
    if finding.accepted is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.accepted}]
    return result


FORMATS = {"text": text, "json": as_json, "sarif": sarif}
