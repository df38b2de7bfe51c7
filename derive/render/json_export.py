"""A checked derivation as JSON, schema version 4 (documented in the README; :data:`SCHEMA`
is the JSON Schema every export is validated against in the tests). Keys come in a fixed
order; the verdict, strength and scope are copied from the core, never computed here."""

from __future__ import annotations

import json
import re

from derive import __version__
from derive.core import CheckedDerivation, Counterexample, Step, Verdict

from .layout import parts
from .terminal import summary
from .text import to_text
from .written import written_latex, written_text

__all__ = ["SCHEMA", "SCHEMA_ID", "SCHEMA_VERSION", "JsonExport", "as_data", "place_fields"]

# 2 added each step's "cached"; 3 the top-level "not_read"; 4 the strength "digits" (a claim
# with decimals that holds to the digits written) and the summary's count of them; 6 "$schema",
# "derive_version", and "file", "line", "column" of every step and of what was not read
SCHEMA_VERSION = 7
SCHEMA_ID = f"urn:derive:check-schema:{SCHEMA_VERSION}"

_COUNTEREXAMPLE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["K", "N", "indices", "inputs", "left", "right", "exact", "text"],
    "properties": {
        "K": {"type": ["integer", "null"], "minimum": 1},
        "N": {"type": ["integer", "null"], "minimum": 1},
        "indices": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "inputs": {"type": "object", "additionalProperties": {"type": "string"}},
        "left": {"type": "string"},
        "right": {"type": "string"},
        "exact": {"type": "boolean"},
        "text": {"type": "string"},
    },
}

# where a step, or what was not read, was written: file, notebook cell, line and column
_PLACE = {
    "file": {"type": ["string", "null"]},
    "cell": {"type": ["integer", "null"], "minimum": 1},
    "line": {"type": ["integer", "null"], "minimum": 1},
    "column": {"type": ["integer", "null"], "minimum": 1},
}

_STEP = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "index",
        "heading",
        "where",
        "file",
        "cell",
        "line",
        "column",
        "latex",
        "text",
        "checked",
        "rule",
        "hypotheses",
        "hypotheses_used",
        "facts_stated_at",
        "verdict",
        "strength",
        "label",
        "scope",
        "checked_up_to_K",
        "checked_up_to_N",
        "reason",
        "missing_hypothesis",
        "counterexample",
        "difference",
        "cached",
    ],  # fmt: skip
    "properties": {
        "index": {"type": "integer", "minimum": 1},
        "heading": {"type": ["string", "null"]},
        "where": {"type": ["string", "null"]},
        **_PLACE,
        "latex": {"type": "string"},
        "text": {"type": "string"},
        "checked": {"type": "string"},
        "rule": {"type": "string"},
        "hypotheses": {"type": "array", "items": {"type": "string"}},
        "hypotheses_used": {"type": "array", "items": {"type": "string"}},
        "facts_stated_at": {"type": "object", "additionalProperties": {"type": "string"}},
        "verdict": {"enum": ["holds", "fails", "undecided"]},
        "strength": {"enum": ["proved", "exact", "numeric", "digits", None]},
        "label": {"type": "string"},
        "scope": {"type": ["string", "null"]},
        "checked_up_to_K": {"type": ["integer", "null"]},
        "checked_up_to_N": {"type": ["integer", "null"]},
        "reason": {"type": ["string", "null"]},
        "missing_hypothesis": {"type": ["string", "null"]},
        "counterexample": {"oneOf": [{"type": "null"}, _COUNTEREXAMPLE]},
        "difference": {"type": ["string", "null"]},
        "cached": {"type": "boolean"},
    },
    # A step holds exactly when it has a strength; a failed step always has a counterexample.
    "allOf": [
        {
            "if": {"properties": {"verdict": {"const": "holds"}}},
            "then": {
                "properties": {
                    "strength": {"enum": ["proved", "exact", "numeric", "digits"]},
                    "counterexample": {"type": "null"},
                }
            },
            "else": {"properties": {"strength": {"type": "null"}}},
        },
        {
            "if": {"properties": {"verdict": {"const": "fails"}}},
            "then": {"properties": {"counterexample": _COUNTEREXAMPLE}},
        },
    ],
}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "derive checked derivation",
    "type": "object",
    "additionalProperties": False,
    "required": ["$schema", "schema_version", "derive_version", "derivation", "title", "steps", "not_read", "summary"],
    "properties": {
        "$schema": {"const": SCHEMA_ID},
        "schema_version": {"const": SCHEMA_VERSION},
        "derive_version": {"type": "string"},
        "derivation": {"type": "string"},
        "title": {"type": "string"},
        "steps": {"type": "array", "items": _STEP},
        "not_read": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["where", "file", "cell", "line", "column", "source", "reason"],
                "properties": {
                    "where": {"type": "string"},
                    **_PLACE,
                    "source": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": ["steps", "proved", "exact", "numeric", "digits", "failed", "undecided", "all_hold", "text"],
            "properties": {
                "steps": {"type": "integer", "minimum": 0},
                "proved": {"type": "integer", "minimum": 0},
                "exact": {"type": "integer", "minimum": 0},
                "numeric": {"type": "integer", "minimum": 0},
                "digits": {"type": "integer", "minimum": 0},
                "failed": {"type": "integer", "minimum": 0},
                "undecided": {"type": "integer", "minimum": 0},
                "all_hold": {"type": "boolean"},
                "text": {"type": "string"},
            },
        },
    },
}


def _counterexample(c: Counterexample | None):
    if c is None:
        return None
    return {
        "K": c.classes,
        "N": c.examples,
        "indices": {name: value for name, value in c.indices},
        "inputs": {name: value for name, _, value in c.inputs},
        "left": c.left,
        "right": c.right,
        "exact": c.exact,
        "text": c.describe(),
    }


def place_fields(where: str | None) -> dict:
    """The file, notebook cell, line and column of a place written "notes.md:14:3" or
    "nb.ipynb:cell 3:2:5" (a path may hold colons: the last two numbers are the line and
    column, within the cell in a notebook); nulls for a built-in's steps."""
    # a notebook's cell only after a notebook's name: "notes.md:cell 9" is a file of that name
    found = re.fullmatch(r"(.*?(?i:\.ipynb))(?::cell ([1-9]\d*)):(\d+):(\d+)|(.*):(\d+):(\d+)", where or "", re.DOTALL)
    if found is None:
        return {"file": None, "cell": None, "line": None, "column": None}
    if found.group(1) is not None:
        file, cell, line, column = found.group(1), int(found.group(2)), found.group(3), found.group(4)
    else:
        file, cell, line, column = found.group(5), None, found.group(6), found.group(7)
    return {"file": file, "cell": cell, "line": int(line), "column": int(column)}


def _step(number: int, heading: str | None, step: Step, verdict: Verdict) -> dict:
    return {
        "index": number,
        "heading": heading,
        "where": step.where or None,
        **place_fields(step.where),
        # as the author (or, for a built-in, a textbook) wrote it; ``checked``: what the core
        # checked, as derive prints it (a reading's choices show there)
        "latex": " = ".join(written_latex(step)),
        "text": " = ".join(written_text(step)),
        "checked": f"{to_text(step.previous)} = {to_text(step.next)}",
        "rule": step.rule,
        "hypotheses": [str(h) for h in step.cites],
        "hypotheses_used": [str(h) for h in verdict.needed],
        "facts_stated_at": {
            str(fact): place for fact, place in zip(step.standing, step.stated_at) if place and fact in verdict.needed
        },
        "verdict": verdict.status.value,
        "strength": verdict.strength.value if verdict.strength is not None else None,
        "label": verdict.label,
        "scope": verdict.scope or None,
        "checked_up_to_K": verdict.checked_up_to,
        "checked_up_to_N": verdict.examples_up_to,
        "reason": verdict.reason or None,
        "missing_hypothesis": str(verdict.missing) if verdict.missing is not None else None,
        "counterexample": _counterexample(verdict.counterexample),
        "difference": to_text(verdict.difference) if verdict.difference is not None else None,
        "cached": verdict.cached,
    }


def as_data(checked: CheckedDerivation, not_read=()) -> dict:
    steps = [
        _step(item.number, part.heading if item is part.steps[0] else None, item.step, item.verdict)
        for part in parts(checked)
        for item in part.steps
    ]
    held = [s for s in steps if s["verdict"] == "holds"]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "derive_version": __version__,
        "derivation": checked.derivation.name,
        "title": checked.derivation.title,
        "steps": steps,
        "not_read": [
            {"where": place, **place_fields(place), "source": source, "reason": reason}
            for place, source, reason in not_read
        ],
        "summary": {
            "steps": len(steps),
            "proved": sum(1 for s in held if s["strength"] == "proved"),
            "exact": sum(1 for s in held if s["strength"] == "exact"),
            "numeric": sum(1 for s in held if s["strength"] == "numeric"),
            "digits": sum(1 for s in held if s["strength"] == "digits"),
            "failed": sum(1 for s in steps if s["verdict"] == "fails"),
            "undecided": sum(1 for s in steps if s["verdict"] == "undecided"),
            "all_hold": checked.all_hold,
            "text": summary(checked),
        },
    }


class JsonExport:
    def render(self, checked: CheckedDerivation, not_read=()) -> str:
        return json.dumps(as_data(checked, not_read), ensure_ascii=False, indent=2) + "\n"


def schema_text() -> str:
    """The schema as the file shipped in the package holds it (``derive schema`` prints it)."""
    return json.dumps(SCHEMA, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m derive.render.json_export > derive/render/check.schema.json
    print(schema_text(), end="")
