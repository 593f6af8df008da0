"""The report's JSON schema, ``unspun.report/1``, shipped with the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def report_schema() -> dict[str, Any]:
    return json.loads(resources.files("unspun").joinpath("data/report-1.schema.json").read_text("utf-8"))


def validate(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``report`` does not follow the schema, and
    ``ValueError`` if a span falls outside the text. Needs the ``test`` extra (jsonschema)."""
    import jsonschema

    jsonschema.validate(report, report_schema())
    n = len(report["text"])
    for group in ("paragraphs", "sentences", "findings"):
        for item in report[group]:
            if not 0 <= item["start"] <= item["end"] <= n:
                raise ValueError(f"{group}[{item['index'] if 'index' in item else item['id']}]: span outside the text")
