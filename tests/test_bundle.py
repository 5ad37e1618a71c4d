"""``tradeoffs bundle``: a pair's frontier written to a folder, every file against its golden
copy and read back by a reader of its format.

The goldens in ``tests/golden/bundle/`` are the bundle of ``tests/fixtures/bundle/`` (three
papers: a frontier across two of them, a qualified value, a table read from a page, LaTeX's
special characters and non-ASCII text in titles and methods), made at a fixed plot size. To
make them again after a deliberate change, run

    UPDATE_GOLDEN=1 pytest --no-cov tests/test_bundle.py

and read the diff before keeping it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.bundle import FILES
from catalog.text import latex_text, markdown_text
from tui.commands.bundle import plot_svg

from .conftest import FIXTURES, MINI

GOLDEN = Path(__file__).parent / "golden" / "bundle"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
PAIR = "accuracy:cost"
SIZE = ("--width", "80", "--height", "24")
SVG = "{http://www.w3.org/2000/svg}"
#: C0 controls but the line break, DEL and C1: none may reach a document a person reads.
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A working folder holding a copy of the bundle fixture as ``fixture``, so the command
    lines the bundle records are the same wherever the test runs."""
    shutil.copytree(FIXTURES / "bundle", tmp_path / "fixture")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def bundle(run, *args: str, catalog: str = "fixture"):
    return run("bundle", *args, "--no-default", "--catalog", catalog)


@pytest.fixture
def made(run, here):
    """The fixture's bundle, made into ``out``: its folder."""
    result = bundle(run, PAIR, "-o", "out", *SIZE)
    assert result.code == 0, result.err
    return here / "out"


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def csv_rows(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read(folder, "points.csv"), newline="")))


def in_table_order(points: list[dict[str, str]]) -> list[dict[str, str]]:
    """The points as the bundle's tables list them: the exact ones along x, then the qualified."""
    exact = sorted((p for p in points if not p.get("x_said")), key=lambda p: (float(p["x"]), float(p["y"])))
    return exact + [p for p in points if p.get("x_said")]


def md_unescape(text: str) -> str:
    """Markdown's backslash escapes taken away, as a renderer shows the text."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def md_tokens(text: str) -> list:
    """Every token a CommonMark reader (with tables) makes of ``text``, inline ones included."""
    markdown_it = pytest.importorskip("markdown_it")
    found = []
    for token in markdown_it.MarkdownIt("commonmark").enable("table").parse(text):
        found += [token, *(token.children or [])]
    return found


def shows_only_text(text: str) -> None:
    """``text`` read as Markdown has no markup it did not write itself: no HTML, no emphasis, no
    image; links only where the address is shown as the link's text; code only its own names."""
    tokens = md_tokens(text)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "em_open", "strong_open", "image", "s_open"}
    for i, token in enumerate(tokens):
        if token.type == "link_open":
            assert token.attrs["href"].startswith("https://") and tokens[i + 1].content == token.attrs["href"]
    assert {t.content for t in tokens if t.type == "code_inline"} <= {
        *FILES,
        PAIR,
        "ox:oy",
        "tradeoffs export --pair",
        "tradeoffs plot",
    }


# The whole bundle, byte for byte.


def test_the_bundle_matches_its_golden_files(made):
    assert sorted(os.listdir(made)) == sorted(FILES)
    for name in FILES:
        data = (made / name).read_bytes()
        golden = GOLDEN / name
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{name} differs; UPDATE_GOLDEN=1 rewrites it"


def test_the_command_says_what_it_wrote(run, here):
    result = bundle(run, PAIR, "-o", "out", *SIZE)
    assert result.out.splitlines() == [
        *(f"wrote out/{name}" for name in FILES),
        "7 points, 3 on the frontier, from 3 papers; out/README.md says what each file holds",
    ]


# Each file read by a reader of its format.


def test_points_csv_is_what_export_writes_and_reads_back(run, made):
    export = run("export", "--pair", PAIR, "--format", "csv", "--no-default", "--catalog", "fixture")
    assert read(made, "points.csv") == export.out
    rows = csv_rows(made)
    assert len(rows) == 8
    assert {r["method"] for r in rows if r["on_frontier"] == "True"} == {
        "Café Sampler",
        "tiny_variant #2",
        "Big~Model",
    }
    assert [r["x_said"] for r in rows] == [""] * 7 + ["76 to 78"]  # the qualified point comes last
    titles = {r["paper_id"]: r["title"] for r in rows}
    assert titles["tilde-table"] == "Costs ~ Accuracy^2 \\ Budgets: a Table-Backed Baseline, #3 at $1"


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)(?:\\\\)*\|", line))


def test_points_md_is_a_table_with_every_point(made):
    tokens = md_tokens(read(made, "points.md"))
    rows, row = [], []
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline":
            row.append("".join(t.content for t in token.children))
        elif token.type == "tr_close":
            rows.append(row)
    points = in_table_order(csv_rows(made))
    assert rows[0] == ["paper", "point", "accuracy", "cost", "on the frontier", "title"]
    assert [r[5] for r in rows[1:]] == [p["title"] for p in points]  # shown as written
    assert [r[2] for r in rows[1:]] == ["60", "70.2", "75", "79", "80.1", "81.5", "84", "76 to 78"]
    shows_only_text(read(made, "points.md"))
    lines = read(made, "points.md").splitlines()
    assert lines[1] == "|---|---|---|---|---|---|"
    assert {unescaped_pipes(line) for line in lines} == {7}
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines if line != lines[1])
    body = lines[2:]
    assert len(body) == len(csv_rows(made))
    frontier = [line for line in body if "| yes |" in line]
    assert len(frontier) == 3 and any("Big\\~Model" in line for line in frontier)
    assert "| 76 to 78 | 0.1 | may be |" in body[-1]


def test_plot_txt_is_what_tradeoffs_plot_draws(run, made):
    plotted = run("plot", PAIR, *SIZE, "--no-default", "--catalog", "fixture")
    assert read(made, "plot.txt") == plotted.out
    assert "\x1b" not in plotted.out and "◆ tiny_variant #2 [cafe-sampler]" in plotted.out


def test_plot_svg_parses_and_places_each_character_of_the_plot(made):
    root = ET.parse(made / "plot.svg").getroot()
    assert root.tag == f"{SVG}svg"
    lines = [line.rstrip() for line in read(made, "plot.txt").splitlines()]
    drawn = {}
    for text in root.iter(f"{SVG}text"):
        row = round((float(text.get("y")) - 12 + 4) / 17) - 1
        for span in text.iter(f"{SVG}tspan"):
            xs = [float(x) for x in span.get("x").split()]
            assert len(xs) == len(span.text)
            for char, x in zip(span.text, xs):
                drawn[(row, round((x - 12) / 8.4))] = char
    expected = {(r, c): ch for r, line in enumerate(lines) for c, ch in enumerate(line) if ch != " "}
    assert drawn == expected


def test_papers_bib_has_one_balanced_entry_per_frontier_paper(made):
    text = read(made, "papers.bib")
    entries = re.findall(r"^@misc\{([^,]+),\n(.*?)^\}$", text, flags=re.S | re.M)
    assert [key for key, _ in entries] == ["cafe-sampler", "tilde-table"]
    frontier_papers = {r["paper_id"] for r in csv_rows(made) if r["on_frontier"] == "True"}
    assert {key for key, _ in entries} == frontier_papers
    for _, body in entries:
        depth = 0
        for char in body:  # BibTeX counts every brace, escaped or not
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0
        assert depth == 0
        assert re.fullmatch(r"(  \w+ = \{.*\},\n)*  \w+ = \{.*\}\n", body)
    assert "Zoë Müller" in text


def latex_rows(text: str) -> tuple[list[str], list[str]]:
    """The header rows and the data rows of the table, in order (rules left out)."""
    body = text[text.index(r"\toprule") : text.index(r"\bottomrule")]
    head, _, rows = body.partition(r"\midrule")
    keep = lambda part: [line.strip() for line in part.splitlines() if line.strip().endswith(r"\\")]  # noqa: E731
    return keep(head), keep(rows)


def cells(row: str) -> list[str]:
    """A row's cells, split on the ``&`` that are not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)&", row.removesuffix(r"\\"))]


def balanced_outside_escapes(text: str) -> bool:
    depth, i = 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "%":  # a comment, to the end of the line
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def test_points_tex_is_a_booktabs_table_with_the_frontier_in_bold(made):
    text = read(made, "points.tex")
    assert balanced_outside_escapes(text)
    assert text.count(r"\begin{tabular}") == text.count(r"\end{tabular}") == 1
    order = [text.index(rule) for rule in (r"\begin{tabular}", r"\toprule", r"\midrule", r"\bottomrule")]
    assert order == sorted(order) and order[-1] < text.index(r"\end{tabular}")
    head, rows = latex_rows(text)
    assert {len(cells(row)) for row in head + rows} == {4}
    points = in_table_order(csv_rows(made))
    assert len(rows) == len(points)
    for row, point in zip(rows, points):
        bold = [cell.startswith(r"\textbf{") for cell in cells(row)]
        assert bold == [point["on_frontier"] == "True"] * 4, row
    caption = re.search(r"\\caption\{(.*)\}\n", text).group(1)
    assert "higher is better" in caption and "lower is better" in caption
    assert r"(\%)" in caption and r"(US\$)" in caption and r"\texttt{accuracy:cost}" in caption
    assert "Café Sampler" in text and r"\usepackage[utf8]{inputenc}" in text  # UTF-8, said so
    assert r"Mid\_Model \& Co" in text and r"Baseline\textasciicircum{}2" in text


@pytest.mark.skipif(not (shutil.which("pdflatex") or shutil.which("lualatex")), reason="no LaTeX here")
def test_points_tex_and_papers_bib_compile(made):
    engine = shutil.which("pdflatex") or shutil.which("lualatex")
    (made / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{booktabs}\n\\begin{document}\n\\input{points.tex}\n\\nocite{*}\n"
        "\\bibliographystyle{plain}\n\\bibliography{papers}\n\\end{document}\n"
    )
    latex = [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"]
    for step in (latex, ["bibtex", "doc"], latex):
        if step[0] == "bibtex" and not shutil.which("bibtex"):
            continue
        proc = subprocess.run(step, cwd=made, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout[-3000:]
    assert (made / "doc.pdf").stat().st_size > 0


def test_readme_gives_each_points_evidence_and_how_to_make_it_again(made):
    readme = read(made, "README.md")
    shown = md_unescape(readme)
    assert (
        "$ tradeoffs bundle accuracy:cost -o out --no-default --catalog fixture --width 80 --height 24"
        in readme
    )
    assert "7 points with exact values, 3 of them on the frontier, from 3 papers" in shown
    assert (
        "Top-1 accuracy (%), higher is better" in shown
        and "Cost per 1k images (US$), lower is better" in shown
    )
    for point in csv_rows(made):
        if point["evidence"]:
            assert f"“{point['evidence']}”" in shown, point["method"]
        else:
            assert f"source: {point['source']}, read at <{point['source_at']}>" in shown
            if point["source_row"]:
                assert f"its row: “{point['source_row']}”" in shown
    frontier, _, others = shown.partition("## The other points")
    for method in ("1. tiny_variant #2", "2. Café Sampler", "3. Big~Model (hardware=A100)"):
        assert method in frontier
    assert "(cafe-sampler), <https://example.org/cafe>" in frontier
    assert "Über model: accuracy 76 to 78 %, cost 0.1 US$, may be on the frontier" in others
    for name in FILES:
        assert f"- `{name}`: " in readme
    shows_only_text(readme)


# Where a bundle goes.


def test_a_folder_holding_other_files_is_refused_and_left_as_it_was(run, here):
    folder = here / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    (folder / "README.md").write_text("my readme")
    result = bundle(run, PAIR, "-o", "mine")
    assert result.code == 1
    assert "holds other files (notes.txt)" in result.err and "pick an empty or new folder" in result.err
    assert sorted(os.listdir(folder)) == ["README.md", "notes.txt"]
    assert (folder / "notes.txt").read_text() == "my notes" and (
        folder / "README.md"
    ).read_text() == "my readme"


def test_a_bundle_name_that_is_a_link_is_refused_and_its_target_kept(run, here):
    (here / "precious.csv").write_text("keep me")
    (here / "out").mkdir()
    (here / "out" / "points.csv").symlink_to(here / "precious.csv")
    result = bundle(run, PAIR, "-o", "out")
    assert result.code == 1 and "is not a plain file" in result.err
    assert (here / "precious.csv").read_text() == "keep me"


def test_a_file_is_no_folder_for_a_bundle(run, here):
    (here / "taken").write_text("x")
    result = bundle(run, PAIR, "-o", "taken")
    assert result.code == 1 and "it is a file" in result.err
    result = bundle(run, PAIR, "-o", "taken/inside")
    assert result.code == 1 and "cannot write" in result.err and "Traceback" not in result.err
    assert (here / "taken").read_text() == "x"


def test_a_missing_folder_is_made_with_its_parents(run, here):
    assert bundle(run, PAIR, "-o", "a/b/c").code == 0
    assert sorted(os.listdir(here / "a" / "b" / "c")) == sorted(FILES)


def test_a_second_run_replaces_the_earlier_bundle(run, made):
    before = {name: (made / name).stat().st_ino for name in FILES}
    readme = read(made, "README.md")
    result = bundle(run, PAIR, "-o", "out", "--query", "year:2023-2024", "--as-of", "2024", "--log-y")
    assert result.code == 0, result.err
    assert sorted(os.listdir(made)) == sorted(FILES)  # no temporary file left behind
    assert all((made / name).stat().st_ino != before[name] for name in FILES)  # each file replaced whole
    again = read(made, "README.md")
    assert again != readme
    assert "--query year:2023-2024 --as-of 2024 --log-y" in again
    shown = md_unescape(again)
    assert "Papers: those the query “year:2023-2024” selects" in shown
    assert "As of: the papers published by 2024" in shown
    assert {r["paper_id"] for r in csv_rows(made)} == {"cafe-sampler", "tilde-table"}


# What cannot be bundled.


def test_the_folder_is_required(run, here):
    result = bundle(run, PAIR)
    assert result.code == 2 and "-o DIR" in result.err


def test_the_pair_is_required(run, here):
    result = bundle(run, "-o", "out")
    assert result.code == 2 and "needs a pair X:Y" in result.err


def test_a_pair_without_points_fails_as_plot_says_and_writes_nothing(run, here):
    plotted = run("plot", "size:wait", "--no-default", "--catalog", str(MINI))
    said = plotted.err.strip()
    assert said.startswith("no result reports both size and wait")
    result = bundle(run, "size:wait", "-o", "out", catalog=str(MINI))
    assert result.code == 1
    assert said in result.err
    assert not (here / "out").exists()


def test_a_pair_with_only_qualified_points_has_no_frontier(run, here, tmp_path):
    (tmp_path / "q.yaml").write_text(
        "objectives:\n  ox: {label: X, better: higher}\n  oy: {label: Y, better: lower}\n"
        "papers:\n  - id: q\n    title: Q\n    abstract: about 3 at 4.\n    results:\n"
        "      - method: m\n        values: {ox: {about: 3}, oy: 4}\n        evidence: about 3 at 4\n"
    )
    result = bundle(run, "ox:oy", "-o", "out", catalog=str(tmp_path / "q.yaml"))
    assert result.code == 0, result.err
    assert "No point has two exact values" in read(here / "out", "README.md")
    assert read(here / "out", "papers.bib") == ""


# Catalog text is data.

HOSTILE_TITLE = (
    "Esc \x1b[31mred\x1b[0m bel \x07 [click](javascript:alert(1)) <script>x</script> \\input{/etc/passwd}"
)
HOSTILE_METHOD = "**Bold** `code` | pipe \x9b2J\nnext"


def hostile_catalog(folder: Path) -> Path:
    import json

    def q(text: str) -> str:
        return json.dumps(text)  # a JSON string is a YAML double-quoted scalar

    (folder / "hostile.yaml").write_text(
        'objectives:\n  ox: {label: "X [a](b) \\e", better: higher, unit: "$\\\\"}\n'
        "  oy: {label: Y, better: lower}\n"
        "papers:\n"
        f"  - id: evil\n    title: {q(HOSTILE_TITLE)}\n    authors: [{q('Ann {Brace')}]\n"
        '    url: "javascript:alert(1)"\n'
        f"    abstract: {q('It [reaches](javascript:x) 5 at 2. ' + HOSTILE_METHOD + ' has 3 at 1.')}\n"
        "    results:\n"
        f"      - method: {q(HOSTILE_METHOD)}\n        values: {{ox: 3, oy: 1}}\n"
        f"        evidence: {q(HOSTILE_METHOD + ' has 3 at 1')}\n"
        "      - method: '# heading \\input{x}'\n        values: {ox: 5, oy: 2}\n"
        "        source: '<b>Table</b> 1'\n"
        "        at: {repo: 'x/y', path: 'a_b.md', commit: 0123456789abcdef0123456789abcdef01234567}\n"
        "  - id: plain\n    title: Plain\n    arxiv: '2401.01230'\n    abstract: 1 at 9.\n    results:\n"
        "      - method: '1. listed'\n        values: {ox: 1, oy: 9}\n        evidence: 1 at 9\n"
    )
    return folder / "hostile.yaml"


def test_catalog_text_with_controls_and_markup_arrives_as_data(run, here, tmp_path):
    catalog = hostile_catalog(tmp_path)
    assert run("validate", "--no-default", str(catalog)).code == 0
    result = bundle(run, "ox:oy", "-o", "out", catalog=str(catalog))
    assert result.code == 0, result.err
    out = here / "out"
    for name in FILES:
        if name != "points.csv":
            assert not RAW_CONTROL.search(read(out, name)), name
    assert {r["title"] for r in csv_rows(out)} == {HOSTILE_TITLE, "Plain"}  # the CSV keeps it exactly
    assert {r["method"] for r in csv_rows(out)} >= {HOSTILE_METHOD}

    readme = read(out, "README.md")
    assert not re.search(r"(?<!\\)\[", readme)  # no link, no image
    assert all(tag.startswith("<https://") for tag in re.findall(r"(?<!\\)<[^>]*>", readme))  # no HTML
    assert "\\[click](javascript:alert(1))" in readme and "\\<script\\>" in readme
    shows_only_text(readme)
    shows_only_text(read(out, "points.md"))
    assert HOSTILE_TITLE.split(" [")[0].replace("\x1b", "\\x1b").replace("\x07", "\\x07") in md_unescape(
        readme
    )
    assert "\\*\\*Bold\\*\\* \\`code\\` \\| pipe \\\\x9b2J next" in readme
    assert "\\# heading" in readme and "1\\. listed" in readme
    assert "<javascript:" not in readme and "<https://arxiv.org/abs/2401.01230>" in readme
    assert "a\\_b.md in x/y at commit 0123456789abcdef0123456789abcdef01234567" in readme

    tex = read(out, "points.tex")
    assert "\\input" not in tex.replace("\\textbackslash{}input", "")
    assert "\\# heading \\textbackslash{}input\\{x\\}" in tex
    assert balanced_outside_escapes(tex)
    bib = read(out, "papers.bib")
    assert bib.count("{") == bib.count("}") and "Ann \\textbraceleft{}Brace" in bib
    assert "\\textbackslash{}input\\textbraceleft{}/etc/passwd\\textbraceright{}" in bib

    ET.parse(out / "plot.svg")
    assert "\\x9b2J" in read(out, "plot.txt")


# The writers on any text.


@given(st.text())
def test_markdown_text_shows_any_line_as_written(text):
    line = text.replace("\n", " ").replace("\r", " ")
    escaped = markdown_text(line)
    assert md_unescape(escaped) == line
    assert not re.search(r"(?<!\\)(?:\\\\)*[`*_\[<>|~$#&]", escaped)


@given(st.text())
def test_latex_text_leaves_no_special_character_bare(text):
    escaped = latex_text(text)
    assert balanced_outside_escapes(escaped)
    bare = re.sub(r"\\(?:[&%$#_{}]|text\w+\{\})", "", escaped)
    assert not re.search(r"[\\&%$#_{}~^]", bare)


def test_the_svg_escapes_what_xml_cannot_hold_and_places_wide_characters():
    svg = plot_svg("a\x1bb <&> \ud800\n漢x e\u0301!", "t & \x07")
    root = ET.fromstring(svg)
    spans = [s for s in root.iter(f"{SVG}tspan")]
    assert [s.text for s in spans] == ["a\\x1bb", "<&>", "\\ud800", "漢x", "e\u0301!"]
    assert spans[3].get("x") == "12 28.8"  # 漢 takes two cells
    assert spans[4].get("x") == "45.6 45.6 54"  # the accent sits on its letter
    assert root.find(f"{SVG}title").text == "t & \\x07"


def test_usage_errors_load_no_database():
    from .test_layering import loaded_by

    for args in (["bundle"], ["bundle", PAIR], ["bundle", "--help"]):
        assert loaded_by(args, ("duckdb", "yaml", "rapidfuzz", "plotext", "textual", "rich")) == "[]", args


def test_a_failure_to_write_says_which_file_and_why(run, here, monkeypatch):
    import errno

    import catalog.atomic

    def full(path, data, **_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(catalog.atomic, "write_atomic", full)
    result = bundle(run, PAIR, "-o", "out")
    assert result.code == 1 and result.err.startswith("tradeoffs: cannot write out/points.csv: ")
    assert "Traceback" not in result.err


def test_a_folder_that_cannot_be_read_says_so(run, here, monkeypatch):
    (here / "out").mkdir()

    def refused(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "listdir", refused)
    result = bundle(run, PAIR, "-o", "out")
    assert result.code == 1 and result.err.startswith("tradeoffs: cannot write out: ")
