"""The catalog's YAML reader over every case of the official YAML test suite (vendored in
``tests/fixtures/yaml-test-suite``): no case ends in a traceback, and no case the suite marks
invalid is ever accepted. A case that is valid YAML may still be refused (an alias, a tag, a
document that is not a catalog): the reader's own rules are stricter than YAML's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.source.document import parse_document
from catalog.source.yamlsafe import compose

SUITE = Path(__file__).resolve().parent / "fixtures" / "yaml-test-suite"


def unescape(text: str) -> str:
    """A case's YAML as the suite writes it visibly, made real (the suite's own rules)."""
    text = text.replace("␣", " ").replace("←", "\r").replace("⇔", "\ufeff").replace("↵", "")
    text = re.sub("—*»", "\t", text)
    return text.removesuffix("∎\n")


def suite_cases() -> list[tuple[str, str, bool]]:
    """Every case: its name, its YAML and whether the suite marks it invalid (a file's later
    cases inherit the fields of the one before, as the suite's format says)."""
    cases = []
    for path in sorted(SUITE.glob("*.yaml")):
        previous: dict[str, Any] = {}
        for n, case in enumerate(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)):
            case = {**previous, **case}
            previous = case
            cases.append((f"{path.stem}-{n}", unescape(case["yaml"]), bool(case.get("fail"))))
    return cases


SUITE_CASES = suite_cases()


def test_the_suite_is_all_there() -> None:
    assert len(SUITE_CASES) == 406
    assert sum(fails for _, _, fails in SUITE_CASES) == 111


@pytest.mark.parametrize(("name", "text", "fails"), SUITE_CASES, ids=[c[0] for c in SUITE_CASES])
def test_every_case_is_read_without_a_traceback_and_no_invalid_one_is_accepted(
    name: str, text: str, fails: bool
) -> None:
    data = text.encode("utf-8", "surrogatepass")
    root, problems = compose(name, data)  # a traceback here fails the test
    if root is not None and not problems:
        problems = parse_document(name, root).problems
    if fails:
        assert problems, "the reader accepted YAML the suite marks invalid"
    for problem in problems:
        assert problem.file == name and problem.line >= 1 and problem.col >= 1, problem
