"""The fast path reads what the exact path reads, or leaves the file to it.

Differential tests over the broken corpus, the official YAML test suite (vendored in
``tests/fixtures/yaml-test-suite``) and generated catalogs, valid and slightly broken: whenever the
fast path vouches for a file, the exact path accepts it with the same data; the reading the store
does (fast, falling back to exact) gives the same rows and the same ``file:line:col`` problems
as the exact path alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.model import FileStat
from catalog.source import fast
from catalog.source.document import parse_document
from catalog.source.fast import Unvouched, plain_tree, read_fast
from catalog.source.read import read_file
from catalog.source.reader import FileContent
from catalog.source.tree import Node, Plain, is_plain
from catalog.source.yamlsafe import compose
from catalog.store.pool import _read_chunk
from catalog.store.rows import file_rows
from tests.test_yaml_suite import SUITE_CASES

pytestmark = pytest.mark.skipif(not fast.available(), reason="rapidyaml is not installed")

TESTS = Path(__file__).resolve().parent
BROKEN = TESTS / "broken"
FIXTURES = TESTS / "fixtures"


def exact(name: str, data: bytes) -> FileContent:
    """What the exact path alone makes of ``data``."""
    root, problems = compose(name, data)
    if root is None:
        return FileContent(problems=problems)
    return parse_document(name, root)


def as_store_reads(name: str, data: bytes) -> FileContent:
    """What the store makes of ``data``: the fast path, or the exact path when it does not vouch."""
    content = read_fast(name, data)
    return content if content is not None else exact(name, data)


def what(content: FileContent) -> tuple[Any, ...]:
    """What a file's rows and messages are made of (the fast path keeps no other places)."""
    return (
        content.papers,
        [o for o, _ in content.objectives],
        [b for b, _ in content.benchmarks],
        content.problems,
    )


def assert_agree(name: str, data: bytes) -> FileContent | None:
    """The two paths agree on ``data``; the fast path's content (None: it left it to the exact path)."""
    want = exact(name, data)
    got = read_fast(name, data)
    if got is not None:
        assert not want.problems, f"the fast path accepted what the exact path refuses: {want.problems}"
        assert what(got) == what(want)
    assert what(as_store_reads(name, data)) == what(want)
    return got


# Text stays text, on both paths -------------------------------------------------------------

PAPER = """\
papers:
  - id: p1
    title: {title}
    arxiv: {arxiv}
    abstract: 'Our method reaches 71.5 accuracy at 3 bits.'
    tradeoffs:
      - [accuracy, bits]
    results:
      - method: {method}
        values: {{accuracy: {value}, bits: 3}}
        evidence: 'reaches 71.5 accuracy at 3 bits'
"""


def paper(
    title: str = "A title", arxiv: str = "2401.01230", method: str = "Ours", value: str = "71.5"
) -> bytes:
    return PAPER.format(title=title, arxiv=arxiv, method=method, value=value).encode()


def test_a_plain_catalog_file_is_read_fast_with_its_lines() -> None:
    content = assert_agree("p.yaml", paper())
    assert content is not None
    assert content.papers[0].line == 2
    assert content.papers[0].results[0].line == 9


@pytest.mark.parametrize(
    ("field", "written", "read"),
    [
        ("title", "no", "no"),
        ("title", "'yes'", "yes"),
        ("title", "2024", "2024"),
        ("arxiv", "2401.01230", "2401.01230"),
        ("arxiv", "'2401.01230'", "2401.01230"),
        ("title", "true", "true"),
        ("title", "1e3", "1e3"),
        ("title", "'null'", "null"),
        ("title", '"double \\"quoted\\" \\u00e9"', 'double "quoted" \u00e9'),
        ("title", "|\n      block\n      text", "block\ntext\n"),
        ("title", ">-\n      folded\n      text", "folded text"),
        ("title", "a > b | c", "a > b | c"),
    ],
)
def test_text_stays_text_on_the_fast_path(field: str, written: str, read: str) -> None:
    content = assert_agree("p.yaml", paper(**{field: written}))
    assert content is not None, "the fast path should vouch for this file"
    assert getattr(content.papers[0], field) == read


@pytest.mark.parametrize(
    "changes",
    [
        {"value": "'71.5'"},  # a quoted number is text: refused, with its place
        {"title": "~"},  # null, not text
        {"title": "Null"},
        {"title": ""},
        {"method": ".5"},  # rapidyaml writes 0.5
        {"method": "5."},
        {"title": "&a Anchored"},
        {"title": "*alias"},
        {"title": "!!str tagged"},
        {"title": "|+\n      kept"},
        {"title": "|2\n       indented"},
    ],
)
def test_what_the_fast_path_cannot_vouch_for_goes_to_the_exact_path(changes: dict[str, str]) -> None:
    assert assert_agree("p.yaml", paper(**changes)) is None


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + paper(),  # a BOM
        paper().replace(b"    title", b"\ttitle"),
        paper().replace(b"\n", b"\r\n"),
        paper().replace(b"A title", b"A \xff title"),
        paper() + b"    title: again\n",  # a duplicate key
        b"---\n" + paper(),
        paper().replace(b"results:\n      - method: Ours", b"results:\n      -\n        method: Ours"),
        paper()
        .replace(b"  - id: p1\n", b"  - title: first\n    id: p1\n")
        .replace(b"    title: A title\n", b""),
    ],
)
def test_odd_bytes_and_layouts_go_to_the_exact_path_or_agree(data: bytes) -> None:
    assert_agree("p.yaml", data)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  - id: p1\n", "  - # the first\n    id: p1\n"),  # the item's content starts below
        ("papers:\n", "'papers':\n"),  # a key written quoted
        ("  - id: p1\n", "  - 'id': p1\n"),
        ("    results:\n", '    "results":\n'),
        ("    results:\n      - method: Ours", "    results: [{method: Ours"),
        ("  - id: p1\n", "  - results: []\n    id: p1\n"),
        ("    tradeoffs:", "    notes: [a, b]\n    tradeoffs:"),
    ],
)
def test_a_layout_the_line_finder_does_not_know_goes_to_the_exact_path(old: str, new: str) -> None:
    data = paper().decode()
    assert old in data
    assert assert_agree("p.yaml", data.replace(old, new).encode()) is None


@pytest.mark.parametrize(
    "data",
    [
        b"papers:\n  - just text\n",
        b"papers: text\n",
        b"papers:\n  - id: p1\n    title: T\n    results: text\n",
        b"- a list\n",
    ],
)
def test_a_wrong_shape_goes_to_the_exact_path(data: bytes) -> None:
    assert assert_agree("p.yaml", data) is None


def test_flags_and_a_vocabulary_file_are_read_fast() -> None:
    data = (
        b"objectives:\n  accuracy: {label: Accuracy, better: higher, per_benchmark: true}\n"
        b"  bits: {label: Bits, better: lower, per_benchmark: false, aliases: [bpw, 'bits']}\n"
        b"benchmarks:\n  mmlu: {label: MMLU}\n"
    )
    content = assert_agree("objectives.yaml", data)
    assert content is not None
    assert [o.per_benchmark for o, _ in content.objectives] == [True, False]


def test_every_odd_character_is_one_python_does_not_print() -> None:
    # The look for odd characters is skipped for text that prints: safe only while this holds.
    printable = [
        hex(n)
        for n in range(0x110000)
        if chr(n) != "\n" and fast._ODD_CHARACTER.match(chr(n)) and chr(n).isprintable()
    ]
    assert printable == []


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident size from /proc")
def test_reading_fast_keeps_no_memory_per_file() -> None:
    # rapidyaml's own JSON buffers are never freed: about a file's size each file read.
    data = paper().replace(b"Our method", b"Our method " + b"and more words " * 800)
    assert len(data) > 10_000 and read_fast("p.yaml", data) is not None

    def resident_mib() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    before = resident_mib()
    for _ in range(3000):  # 30 MB read: a leak of the file's size would show as that much
        read_fast("p.yaml", data)
    assert resident_mib() - before < 8


def test_without_rapidyaml_every_file_is_read_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "ENABLED", False)
    assert read_fast("p.yaml", paper()) is None


def test_the_fast_path_finds_no_lines_it_is_not_sure_of() -> None:
    # A second paper's item hidden in a quoted scalar must not be taken for one.
    data = paper().replace(b"title: A title", b"title: 'A title\n  - id: p2'")
    assert assert_agree("p.yaml", data) is None


def test_a_table_goes_to_the_exact_path() -> None:
    path = FIXTURES / "tables" / "quant.yaml"  # its rows' lines are not looked for
    assert b"tables:" in path.read_bytes()
    assert assert_agree(path.name, path.read_bytes()) is None


# The broken corpus, and the store's reading -------------------------------------------------


def corpus() -> list[Path]:
    return sorted(p for p in BROKEN.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", corpus(), ids=lambda p: str(p.relative_to(BROKEN)))
def test_broken_files_read_the_same_on_both_paths(path: Path) -> None:
    assert_agree(path.name, path.read_bytes())
    stat = FileStat(str(path), path.name, path.stat().st_size, path.stat().st_mtime_ns)
    assert file_rows(stat, 3, fast=True) == file_rows(stat, 3)


def test_workers_read_fast_and_make_the_same_rows(tmp_path: Path) -> None:
    from bench.generate import generate

    generate(30, tmp_path)
    files = sorted(tmp_path.glob("*.yaml"))
    chunk = [
        (FileStat(str(p), p.name, p.stat().st_size, p.stat().st_mtime_ns), n) for n, p in enumerate(files)
    ]
    assert _read_chunk(chunk, fast=True) == _read_chunk(chunk)
    for path in files:
        assert read_fast(path.name, path.read_bytes()) is not None, f"{path.name} should be read fast"
        assert read_file(path, path.name, fast=True)[0].papers == read_file(path, path.name)[0].papers


def test_a_worker_reads_its_files_through_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import pickle
    import sys
    import types

    from bench.generate import generate
    from catalog.source import read
    from catalog.store.pool import serve

    generate(3, tmp_path)
    files = sorted(tmp_path.glob("*.yaml"))
    chunk = [
        (FileStat(str(p), p.name, p.stat().st_size, p.stat().st_mtime_ns), n) for n, p in enumerate(files)
    ]
    tried: list[str] = []
    real = read.read_fast
    monkeypatch.setattr(read, "read_fast", lambda name, data: tried.append(name) or real(name, data))
    sink = io.BytesIO()
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(pickle.dumps(chunk))))
    monkeypatch.setattr(sys, "stdout", types.SimpleNamespace(buffer=sink))
    serve()  # one chunk, then the end of its input
    assert tried == [p.name for p in files]
    assert pickle.loads(sink.getvalue()) == _read_chunk(chunk)


def test_the_shipped_and_fixture_catalogs_read_the_same() -> None:
    from catalog.paths import SHIPPED_CATALOG

    for path in sorted(
        [*SHIPPED_CATALOG.rglob("*.yaml"), *FIXTURES.glob("*.yaml"), *(FIXTURES / "mini").rglob("*.yaml")]
    ):
        assert_agree(path.name, path.read_bytes())


# The YAML test suite ------------------------------------------------------------------------


def same_tree(exact_node: Node, fast_node: Node) -> bool:
    """Whether the fast path's tree holds what the exact path's does: the same kinds, keys and
    texts in the same order, and a plain scalar wherever the fast one says plain."""
    if isinstance(fast_node, str):
        return (
            isinstance(exact_node, str)
            and str(exact_node) == str(fast_node)
            and (type(fast_node) is not Plain or is_plain(exact_node))
        )
    if isinstance(fast_node, list):
        return (
            isinstance(exact_node, list)
            and len(exact_node) == len(fast_node)
            and all(same_tree(a, b) for a, b in zip(exact_node, fast_node))
        )
    assert isinstance(fast_node, dict), f"the fast path made a {type(fast_node).__name__}"
    return (
        isinstance(exact_node, dict)
        and len(exact_node) == len(fast_node)
        and all(
            same_tree(a, b) and same_tree(c, d)
            for (a, c), (b, d) in zip(exact_node.items(), fast_node.items())
        )
    )


@pytest.mark.parametrize(("name", "text", "fails"), SUITE_CASES, ids=[c[0] for c in SUITE_CASES])
def test_suite_case(name: str, text: str, fails: bool) -> None:
    data = text.encode("utf-8", "surrogatepass")
    content = assert_agree(name, data)
    if fails:
        assert exact(name, data).problems, "the exact path accepted YAML the suite marks invalid"
        assert content is None
    try:
        fast_tree = plain_tree(text)
    except Unvouched:
        return
    root, problems = compose(name, data)
    assert not fails, "the fast path read YAML the suite marks invalid"
    assert root is not None and not problems, f"the fast path read YAML the exact path refuses: {problems}"
    assert same_tree(root, fast_tree)


# Generated catalogs -------------------------------------------------------------------------

# Texts that YAML could take for something else, written plainly or quoted as a catalog might.
TRICKY = st.sampled_from(
    [
        "no", "yes", "on", "~", "null", "Null", "true", "False", "2401.01230", "007", "1e3", "0x1F",
        ".5", "5.", "-0", "+5", "1_000", ".inf", "1:20", "Q&A", "a *b", "2*3", "x!", "a #b", "a#b",
        "50%", "a: b", "- x", "[x]", "{x}", "é", "日本", "",
    ]
)  # fmt: skip
WORDS = st.text(st.sampled_from("abcxyz 019.-_:#'&*!%|>\\\""), min_size=1, max_size=12)
SAFE_WORDS = st.text(st.sampled_from("abcxyz 019.-_é"), min_size=1, max_size=12).map(str.strip).filter(bool)
# Double-quoted and block scalars as written, escapes and folding included (``@`` is the indent).
WRITTEN = st.sampled_from(
    [
        '"a\\tb"', '"\\x41\\u00e9"', '"a\\\\b"', '"line\\nbreak"', '"a\\\n@  b"', '"multi\n@  line"',
        '"\\ lead"', '"trail\\ "', '""', '"a\n@\n@  b"', '"\\0"', '"\\/"',
        "|\n@  text\n@  more", "|-\n@  text\n\n@  more", ">\n@  folded\n@  text\n@\n@  para",
        ">-\n@  a\n@    b\n@  c",
        "|\n@  trailing  \n@  space", ">\n@\n@  leading blank", "| # comment\n@  x", "|\n@  x\n@ y",
        "'multi\n@  quoted'", "'a\n@\n@  b'", "plain\n@  continued", "a\n@  - b",
    ]
)  # fmt: skip


def scalar(text: str, style: str, indent: str = "      ") -> str:
    if style == "w":
        return text.replace("@", indent)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if style == '"':
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@st.composite
def catalog_file(draw: st.DrawFn) -> bytes:
    styles = st.sampled_from(["", "'", '"'])

    def text_field(indent: str = "      ") -> str:
        if draw(st.integers(0, 3)) == 0:
            return scalar(draw(WRITTEN), "w", indent)
        return scalar(draw(st.one_of(TRICKY, WORDS, SAFE_WORDS, SAFE_WORDS)), draw(styles))

    lines = ["papers:"]
    for p in range(draw(st.integers(1, 3))):
        lines += [f"  - id: p{p}", f"    title: {text_field('    ')}"]
        if draw(st.booleans()):
            arxiv = draw(st.sampled_from(["2401.01230", "2405.14852v2"]))
            lines.append(f"    arxiv: {scalar(arxiv, draw(styles))}")
        if draw(st.booleans()):
            count = draw(st.sampled_from(["3", "03", "'3'", "0", "~"]))
            lines.append(f"    authors_count: {count}")
        if draw(st.booleans()):
            lines.append(f"    tags: [{', '.join(scalar(draw(TRICKY), draw(styles)) for _ in range(2))}]")
        lines += ["    tradeoffs:", "      - [accuracy, bits]", "    abstract: ABSTRACT", "    results:"]
        statements = []
        indent = draw(st.sampled_from(["      ", "    "]))  # a list may sit at its key's indent
        for _ in range(draw(st.integers(1, 3))):
            number = draw(st.sampled_from(["71.5", "3", "0.5", ".5", "5.", "-2", "1e3", "'4'", "70.0"]))
            statements.append(f"we reach {number.strip(chr(39))} accuracy at 3 bits")
            lines += [
                f"{indent}- method: {text_field(indent + '  ')}",
                f"{indent}  values: {{accuracy: {number}, bits: 3}}",
                f"{indent}  evidence: {statements[-1]}",
            ]
            if draw(st.booleans()):
                lines.append(f"{indent}  setting: {text_field(indent + '  ')}")
        lines[lines.index("    abstract: ABSTRACT")] = f"    abstract: '{'. '.join(statements)}.'"
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "", "\n\n", "  "]))
    # Slightly broken ones: a line dropped, doubled, indented or cut.
    edit = draw(st.sampled_from(["none"] * 8 + ["drop", "double", "indent", "cut"]))
    if edit != "none":
        rows = text.splitlines(keepends=True)
        n = draw(st.integers(1, len(rows) - 1))
        if edit == "drop":
            del rows[n]
        elif edit == "double":
            rows.insert(n, rows[n])
        elif edit == "indent":
            rows[n] = " " + rows[n]
        else:
            rows[n] = rows[n][: draw(st.integers(0, len(rows[n])))] + "\n"
        text = "".join(rows)
    return text.encode("utf-8")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_file())
def test_generated_catalogs_read_the_same_on_both_paths(data: bytes) -> None:
    assert_agree("gen.yaml", data)
