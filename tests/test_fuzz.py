"""Random catalogs and random corruptions of them: every outcome is a catalog or located problems.

Never a traceback, never a hang, never a partial catalog: ``check`` either returns a whole
catalog with no problems, or no catalog and problems that each point inside the file.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.source.validate import check
from catalog.store.store import open_store
from tui.cli import main

from .test_export import catalog_yaml

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
POINTS = st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=6)
DIRECTION = st.sampled_from(["higher", "lower"])


@st.composite
def titled_catalogs(draw) -> tuple[str, list[str]]:
    """A valid catalog file, with titles that YAML would love to misread, and those titles."""
    text = catalog_yaml(draw(POINTS), draw(DIRECTION), draw(DIRECTION))
    lines = text.splitlines()
    titles = []
    for i, line in enumerate(lines):
        if line.strip().startswith("title:"):
            # Quoted as YAML single-quoted text, so any title stays text.
            title = draw(
                st.one_of(TEXT, st.sampled_from(["no", "yes", "2024.01230", "~", "1e3", ".nan", "[x]"]))
            )
            lines[i] = line.split("title:")[0] + "title: '" + title.replace("'", "''") + "'"
            titles.append(title)
    return "\n".join(lines) + "\n", titles


def catalogs() -> st.SearchStrategy[str]:
    """A valid catalog file, with titles that YAML would love to misread."""
    return titled_catalogs().map(lambda made: made[0])


@st.composite
def corruptions(draw, text: str) -> bytes:
    """``text`` with one random defect, as bytes."""
    data = text.encode()
    kind = draw(
        st.sampled_from(
            ["delete_line", "duplicate_line", "swap_lines", "truncate", "insert", "flip_byte", "indent"]
        )
    )
    lines = text.splitlines(keepends=True)
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    if kind == "delete_line":
        return "".join(lines[:i] + lines[i + 1 :]).encode()
    if kind == "duplicate_line":
        return "".join(lines[: i + 1] + lines[i:]).encode()
    if kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines).encode()
    if kind == "indent":
        lines[i] = draw(st.sampled_from(["\t", " ", "   "])) + lines[i]
        return "".join(lines).encode()
    at = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        junk = draw(
            st.sampled_from(
                [
                    b'"',
                    b"'",
                    b":",
                    b"- ",
                    b"[",
                    b"{",
                    b"&a ",
                    b"*a",
                    b"!!python/name:os.system ",
                    b"\xff",
                    b"\x00",
                    b"\x1b",
                    b"%",
                    b"@",
                    b"#",
                    b"|",
                ]
            )
        )
        return data[:at] + junk + data[at:]
    # flip_byte
    if not data:
        return b"\xff"
    at = min(at, len(data) - 1)
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]


def assert_whole_or_located(path: Path) -> None:
    catalog, problems, _ = check([path])
    raw = path.read_bytes()
    line_count = raw.count(b"\n") + 2
    if catalog is None:
        assert problems, "no catalog but no problem either"
        for problem in problems:
            assert problem.file == str(path) or problem.file.endswith(path.name)
            assert 1 <= problem.line <= line_count and problem.col >= 1, problem
            assert "\n" not in problem.message
    else:
        assert problems == []
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["validate", "--no-default", str(path)], out=out)
    assert code == (0 if catalog is not None else 1)
    assert "Traceback" not in err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=titled_catalogs())
def test_random_catalogs_load_with_their_text_intact(tmp_path_factory, made):
    text, titles = made
    path = tmp_path_factory.mktemp("fuzz") / "c.yaml"
    path.write_text(text)
    catalog, problems, _ = check([path])
    assert problems == [] and catalog is not None
    assert [p.title for p in catalog.papers] == titles
    # And through the database, as every command and the app read them.
    store = open_store([path], use_cache=False)
    try:
        stored = store.cursor().execute("SELECT title FROM papers ORDER BY position").fetchall()
    finally:
        store.close()
    assert [t for (t,) in stored] == titles


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_corruptions_give_a_catalog_or_located_problems(tmp_path_factory, data):
    text = data.draw(catalogs())
    corrupted = data.draw(corruptions(text))
    path = tmp_path_factory.mktemp("fuzz") / "c.yaml"
    path.write_bytes(corrupted)
    assert_whole_or_located(path)
