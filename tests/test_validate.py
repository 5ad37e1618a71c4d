"""Validation: every problem found, each at its file, line and column, with what to do."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from catalog.errors import CatalogError
from catalog.paths import SHIPPED_CATALOG
from catalog.source.validate import check, load_catalog

from .conftest import MINI

OBJECTIVES = MINI / "objectives.yaml"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    _, problems, _ = check([OBJECTIVES, *paths])
    return [f"{p.line}:{p.col}: {p.message}" for p in problems]


PAPER = """
papers:
  - id: p1
    title: A paper
    abstract: It reaches 81.5 points at 12 ms.
    results:
      - method: M
        values: {quality: 81.5, wait: 12}
        evidence: 81.5 points at 12 ms
"""


def test_the_shipped_catalog_is_valid():
    catalog, problems, files = check([SHIPPED_CATALOG])
    assert problems == []
    assert catalog is not None and len(catalog.papers) >= 5
    assert len(files) == len(list(SHIPPED_CATALOG.glob("*.yaml")))


def test_a_valid_file_has_no_problems(tmp_path):
    assert problems_of(write(tmp_path, "ok.yaml", PAPER)) == []


def test_every_problem_in_every_file_is_reported(tmp_path):
    a = write(tmp_path, "a.yaml", PAPER.replace("title: A paper", "titel: A paper"))
    b = write(tmp_path, "b.yaml", PAPER.replace("p1", "p2").replace("wait: 12}", "wiat: 12}"))
    _, problems, _ = check([OBJECTIVES, a, b])
    messages = [str(p) for p in problems]
    assert any(m.startswith(f"{a.name}:") or f"{a}:" in m for m in messages)
    assert any("unknown field 'titel'" in m and "did you mean 'title'" in m for m in messages)
    assert any("is missing the required field 'title'" in m for m in messages)
    assert any("unknown objective 'wiat'" in m and "did you mean 'wait'" in m for m in messages)


def test_unknown_field_is_placed_at_its_key(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("    abstract:", "    abstrct: x\n    abstract:"))
    assert "4:5: unknown field 'abstrct' in a paper (did you mean 'abstract'?)" in problems_of(path)


def test_duplicate_keys_are_refused_with_the_first_place(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("    abstract:", "    title: Again\n    abstract:"))
    assert any(m.startswith("4:5: duplicate key 'title' (first at line 3)") for m in problems_of(path))


def test_duplicate_paper_ids_name_both_places(tmp_path):
    a = write(tmp_path, "a.yaml", PAPER)
    b = write(tmp_path, "b.yaml", PAPER)
    _, problems, _ = check([OBJECTIVES, a, b])
    (dup,) = [p for p in problems if "duplicate paper id" in p.message]
    assert dup.file.endswith("b.yaml") and (dup.line, dup.col) == (2, 9)
    assert "a.yaml:2:9" in dup.message


def test_a_value_must_occur_in_its_evidence(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("quality: 81.5", "quality: 81.6"))
    assert any("quality = 81.6 does not occur in its evidence" in m for m in problems_of(path))


def test_evidence_must_occur_in_the_abstract(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("evidence: 81.5 points", "evidence: 81.5 pts"))
    assert "8:19: evidence does not occur in the abstract: copy the words verbatim" in problems_of(path)


def test_evidence_may_wrap_differently_from_the_abstract(tmp_path):
    path = write(
        tmp_path,
        "f.yaml",
        PAPER.replace(
            "evidence: 81.5 points at 12 ms", "evidence: >-\n          81.5 points\n          at 12 ms"
        ),
    )
    assert problems_of(path) == []


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1e3", "plain decimal notation"),
        (".nan", "numbers must be finite"),
        ("-.inf", "numbers must be finite"),
        ('"81.5"', "not the quoted text '81.5'"),
        ("high", "should be a number, not 'high'"),
    ],
)
def test_numbers_are_plain_finite_decimals(tmp_path, written, message):
    path = write(tmp_path, "f.yaml", PAPER.replace("quality: 81.5,", f"quality: {written},"))
    assert any(message in m for m in problems_of(path))


@pytest.mark.parametrize(
    ("written", "ok"),
    [
        ("2024", True),
        ("2024-02", True),
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("2024-13", False),
        ("May 2024", False),
    ],
)
def test_dates_must_exist(tmp_path, written, ok):
    path = write(
        tmp_path, "f.yaml", PAPER.replace("    abstract:", f"    published: {written}\n    abstract:")
    )
    assert (problems_of(path) == []) is ok


def test_text_fields_keep_the_text_as_written(tmp_path):
    path = write(
        tmp_path,
        "f.yaml",
        PAPER.replace("title: A paper", "title: no").replace("id: p1", "id: p1\n    arxiv: 2401.01230"),
    )
    catalog = load_catalog([OBJECTIVES, path])
    assert catalog.papers[0].title == "no"
    assert catalog.papers[0].arxiv == "2401.01230"


def test_a_pair_of_an_objective_with_itself_is_refused(tmp_path):
    path = write(
        tmp_path,
        "f.yaml",
        PAPER.replace("    results:", "    tradeoffs:\n      - [wait, wait]\n    results:"),
    )
    assert any("pairs 'wait' with itself" in m for m in problems_of(path))


def test_kinds_may_stand_in_a_pair_but_not_in_values(tmp_path):
    ok = write(
        tmp_path,
        "ok.yaml",
        PAPER.replace("    results:", "    tradeoffs:\n      - [goodness, speed]\n    results:"),
    )
    assert problems_of(ok) == []
    bad = write(tmp_path, "bad.yaml", PAPER.replace("wait: 12}", "speed: 12}").replace("p1", "p2"))
    assert any("unknown objective 'speed'" in m for m in problems_of(bad))


def test_an_alias_used_as_an_id_points_to_the_id(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("wait: 12}", "latency: 12}"))
    assert any("unknown objective 'latency' (did you mean 'wait'?)" in m for m in problems_of(path))


def test_relative_values_need_a_baseline(tmp_path):
    path = write(
        tmp_path, "f.yaml", PAPER.replace("{quality: 81.5, wait: 12}", "{quality: 81.5, wait: {percent: 12}}")
    )
    assert any("needs a `baseline`" in m for m in problems_of(path))
    fixed = write(
        tmp_path,
        "g.yaml",
        PAPER.replace("{quality: 81.5, wait: 12}", "{quality: 81.5, wait: {percent: 12}}").replace(
            "      - method: M", "      - method: M\n        baseline: B"
        ),
    )
    assert problems_of(fixed) == []


def test_a_result_needs_evidence_or_a_source(tmp_path):
    path = write(tmp_path, "f.yaml", PAPER.replace("        evidence: 81.5 points at 12 ms\n", ""))
    assert any("needs `evidence`" in m for m in problems_of(path))


def test_conflicting_objective_definitions_are_refused(tmp_path):
    path = write(tmp_path, "o.yaml", "objectives:\n  wait: {label: Wait, better: higher}\n")
    assert any("'wait' is already defined differently" in m for m in problems_of(path))


def test_an_identical_objective_definition_is_harmless(tmp_path):
    same = OBJECTIVES.read_text()
    assert problems_of(write(tmp_path, "same.yaml", same)) == []


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path):
    _, problems, _ = check([tmp_path / "nowhere"])
    assert [p.message for p in problems] == ["no such file or folder: check the path"]


def test_load_catalog_raises_with_every_problem(tmp_path):
    path = write(tmp_path, "f.yaml", "papers:\n  - id: Bad Id\n    title: [x]\n")
    with pytest.raises(CatalogError) as err:
        load_catalog([path])
    messages = [p.message for p in err.value.problems]
    assert any("should be a slug" in m for m in messages)
    assert any("title should be text" in m for m in messages)


def test_folders_are_read_recursively_yaml_and_yml(tmp_path):
    write(tmp_path, "a.yaml", PAPER)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "b.yml", PAPER.replace("p1", "p2"))
    write(tmp_path, "notes.txt", "not a catalog")
    catalog = load_catalog([OBJECTIVES, tmp_path])
    assert sorted(p.id for p in catalog.papers) == ["p1", "p2"]


def test_a_pipe_named_like_a_catalog_file_is_refused_not_read(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.yaml")
    _, problems, _ = check([tmp_path])
    assert [p.message for p in problems] == ["not a regular file: a catalog file is a YAML text file"]


def test_the_readme_example_is_a_valid_catalog(tmp_path):
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example)
    catalog, problems, _ = check([path])
    assert problems == []
    assert catalog is not None and catalog.papers[0].id == "swift-sampler"
    rows = [r for r in catalog.papers[0].results if r.source == "Table 2"]
    assert [{v.key: v.number for v in r.values} for r in rows] == [
        {"quality/coco30k": 79.0, "wait": 6.1},
        {"quality/coco30k": 81.9, "wait": 20.4},
    ]
    assert rows[1].conditions == (("hardware", "A100"), ("resolution", "512px"), ("steps", "4"))
    phone = [
        v for r in catalog.papers[0].results if r.conditions == (("hardware", "phone"),) for v in r.values
    ]
    assert [(v.mode, v.shape, v.span()) for v in phone] == [
        ("absolute", "range", (40, 55)),
        ("times_less", "at_most", (0.25, None)),
    ]


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system"],
)
def test_object_constructing_tags_run_no_code(tmp_path, tag):
    marker = tmp_path / "ran"
    path = write(tmp_path, "f.yaml", f'papers:\n  - id: x\n    title: {tag} ["touch {marker}"]\n')
    _, problems, _ = check([OBJECTIVES, path])
    assert not marker.exists()
    assert any("is not allowed in a catalog" in p.message for p in problems)
