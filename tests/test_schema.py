"""The JSON Schema editors use describes the same format the validator reads."""

from __future__ import annotations

import json

from catalog.model import RELATIVE_CLAIMS
from catalog.paths import SCHEMA_FILE, SHIPPED_CATALOG
from catalog.source.claims import QUANTITY_KEYS
from catalog.source.document import _Reader

SCHEMA = json.loads(SCHEMA_FILE.read_text())


def test_paper_fields_match_the_validator():
    paper = SCHEMA["$defs"]["paper"]
    assert set(paper["properties"]) == set(_Reader._PAPER.allowed)
    assert set(paper["required"]) == set(_Reader._PAPER.required)


def test_objective_fields_match_the_validator():
    import inspect

    from catalog.source import document

    source = inspect.getsource(document._Reader.objectives)
    assert all(f'"{name}"' in source for name in SCHEMA["$defs"]["objective"]["properties"])


def test_result_fields_match_the_validator():
    result = SCHEMA["$defs"]["result"]
    assert set(result["properties"]) == set(_Reader._RESULT.allowed)
    assert set(result["required"]) == set(_Reader._RESULT.required)


def test_relative_claims_match_the_model():
    relative = SCHEMA["$defs"]["value"]["oneOf"][2]
    assert set(relative["properties"]) == set(RELATIVE_CLAIMS)


def test_qualified_numbers_match_the_reader():
    keys = {key for form in SCHEMA["$defs"]["quantity"]["oneOf"] for key in form["properties"]}
    assert keys == set(QUANTITY_KEYS)


def test_every_shipped_file_points_editors_at_the_schema():
    for path in SHIPPED_CATALOG.glob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/catalog.schema.json", path.name


def test_the_schema_bounds_counts_as_the_validator_does():
    from catalog.source.fields import MAX_COUNT

    assert SCHEMA["$defs"]["paper"]["properties"]["authors_count"]["maximum"] == MAX_COUNT


def test_table_fields_match_the_validator():
    table = SCHEMA["$defs"]["table"]
    assert set(table["properties"]) == set(_Reader._TABLE.allowed)
    assert set(table["required"]) == set(_Reader._TABLE.required)


def test_the_schema_accepts_what_the_tables_fixture_writes():
    top = set(SCHEMA["properties"])
    assert top == {"objectives", "benchmarks", "papers"}
