"""Importing a hostile page: what is not a page is refused, and what a page says stays text.

Every draft an import writes is a valid catalog file that holds the page's title and abstract
exactly (leading and trailing whitespace aside) and nothing the page did not give: no character
of the page can end a line of the draft, add a field or define an objective.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.drafts.page import MAX_PAGE_BYTES, MAX_PAGE_PAPERS, parse_page
from catalog.drafts.plan import title_key
from catalog.drafts.render import MAX_ID_CHARS, MAX_SUGGEST_CHARS
from catalog.source.validate import check, load_catalog
from tui.cli import main

from .test_import import SMALL, VOCABULARY, import_args

ROOT = Path(__file__).parent.parent
#: The keys a draft's paper may have, and the top level's only key.
PAPER_KEYS = {"id", "title", "published", "authors_count", "code", "abstract"}
FILLER = " ".join(["plain words about a method and its costs"] * 6)  # a paragraph: over 200 characters
#: Characters YAML treats specially: line breaks, control characters, quotes, the byte order mark.
SPECIAL = [
    "\u2028",
    "\u2029",
    "\x85",
    "\x00",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x7f",
    "\x80",
    "\x9f",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\t",
    "'",
    '"',
    "\\",
]
INJECTION = "objectives: {evil: {label: Evil, better: higher}}"


def page_of(*papers: tuple[str, str] | tuple[str, str, str]) -> str:
    """A listing page: each paper's title, abstract and, when given, its metadata block."""
    return "".join("\n\n".join(paper) + "\n\n" for paper in papers)


def write_page(folder: Path, text: str) -> Path:
    page = folder / "page.txt"
    page.write_text(text, encoding="utf-8")
    return page


def drafts_in(target: Path) -> dict[str, dict]:
    """Each draft's file name and its paper, loaded by plain PyYAML; checks the top level
    holds the paper alone and the paper only the keys a draft has."""
    drafts = {}
    for file in sorted(target.glob("*.yaml")):
        document = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert set(document) == {"papers"}, file
        (paper,) = document["papers"]
        assert set(paper) <= PAPER_KEYS and {"id", "title", "abstract"} <= set(paper), paper.keys()
        assert isinstance(paper["id"], str) and f"{paper['id']}.yaml" == file.name
        drafts[file.name] = paper
    return drafts


def assert_valid(target: Path, command: bool = False) -> None:
    """The validator accepts the drafts (through ``tradeoffs validate`` too, when ``command``),
    and they define no objective of their own."""
    catalog, problems, _ = check([VOCABULARY, target])
    assert problems == [] and catalog is not None, problems
    assert set(catalog.objectives) == set(load_catalog([VOCABULARY]).objectives)
    if command:
        args = ["validate", "--no-default", "--catalog", str(VOCABULARY), "--catalog", str(target)]
        assert main(args, out=io.StringIO()) == 0


def run_limited(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``tradeoffs ARGS`` as a process that may use 2 GB of memory at most."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        preexec_fn=limit,
    )


# What is not a page ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_without_being_read(tmp_path, kind):
    if kind == "fifo":
        page = tmp_path / "page.fifo"
        os.mkfifo(page)  # no writer: opening it for reading would wait for ever
    elif kind == "device":
        page = Path("/dev/zero")  # endless: reading it would fill the memory
    else:
        page = tmp_path / "folder"
        page.mkdir()
    result = run_limited(*import_args(page, tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"tradeoffs: {page}: ")
    assert ("this is a folder" if kind == "folder" else "not a regular file") in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_a_page_over_the_size_limit_is_refused_naming_the_file_and_the_limit(run, tmp_path):
    page = tmp_path / "huge.txt"
    with page.open("wb") as handle:
        handle.truncate(MAX_PAGE_BYTES + 1)
    result = run(*import_args(page, tmp_path / "out"))
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.startswith(
        f"tradeoffs: {page}: the file is 20,971,521 bytes, over the 20,971,520 (20 MB) a listing page can be"
    )
    assert "import the page in parts" in result.err


def test_a_page_with_more_papers_than_one_import_takes_is_refused_before_any_draft(run, tmp_path):
    papers = [(f"Paper number {i}", f"{FILLER} {i}") for i in range(MAX_PAGE_PAPERS + 1)]
    page = write_page(tmp_path, page_of(*papers))
    result = run(*import_args(page, tmp_path / "out"))
    assert result.code == 1
    assert f"tradeoffs: {page}: the page lists 1,001 papers, over the 1,000 one import takes" in result.err
    assert "split it into smaller pages" in result.err
    assert not (tmp_path / "out").exists()


def test_an_abstract_too_long_to_be_one_is_kept_but_not_searched_for_suggestions(run, tmp_path):
    abstract = " ".join(["It cuts latency by 35% at 71.2 accuracy."] * (MAX_SUGGEST_CHARS // 40 + 1))
    page = write_page(tmp_path, page_of(("Very long", abstract)))
    target = tmp_path / "out"
    assert run(*import_args(page, target)).code == 0
    draft = (target / "very-long.yaml").read_text(encoding="utf-8")
    assert f"# The abstract is {len(abstract):,} characters, too long to look for objectives" in draft
    assert "# results:" not in draft and "seems to mention" not in draft
    (paper,) = drafts_in(target).values()
    assert paper["abstract"] == abstract


def test_a_year_no_date_can_have_is_refused_or_leaves_the_date_out(run, tmp_path):
    result = run(*import_args(SMALL, tmp_path / "out"), "--year", "99999999999999999999")
    assert result.code == 2 and "Traceback" not in result.err
    assert "error: argument --year: must be" in result.err
    (entry,) = parse_page(page_of(("A title", FILLER, "  • 3 authors\n·\nNov 12")), 10**30)
    assert (entry.authors_count, entry.published) == (3, None)


# What a page says stays text ------------------------------------------------------------------


@pytest.mark.parametrize("char", SPECIAL, ids=[f"U+{ord(c):04X}" for c in SPECIAL])
def test_any_character_of_a_title_or_abstract_comes_back_as_text(run, tmp_path, char):
    title = f"A{char}title{char}"
    abstract = f"{FILLER}{char}more{char}{char}words 12.5{char}% {char}"
    page = write_page(tmp_path, page_of((title, abstract)))
    target = tmp_path / "out"
    assert run(*import_args(page, target)).code == 0
    (paper,) = drafts_in(target).values()
    assert (paper["title"], paper["abstract"]) == (title.strip(), abstract.strip())
    assert_valid(target)


@pytest.mark.parametrize("line_break", ["\u2028", "\u2029", "\x85"])
def test_an_abstract_cannot_add_a_field_or_an_objective_to_its_draft(run, tmp_path, line_break):
    abstract = f"{FILLER} end.{line_break}{INJECTION}{line_break}notes: injected"
    title = f"Honest{line_break}tradeoffs: [[accuracy, latency]]"
    page = write_page(tmp_path, page_of((title, abstract)))
    target = tmp_path / "out"
    assert run(*import_args(page, target)).code == 0
    (paper,) = drafts_in(target).values()
    assert set(paper) == {"id", "title", "abstract"}
    assert (paper["title"], paper["abstract"]) == (title, abstract)
    assert_valid(target, command=True)


def test_the_words_a_comment_quotes_are_the_abstract_s_own(run, tmp_path):
    # Lowercased, each İ is two characters: words cut from the abstract at the lowercased text's
    # places would be the 8 characters after "accuracy", a line break and a field among them.
    abstract = "İ" * 8 + " accuracy\u2028notes: " + FILLER
    page = write_page(tmp_path, page_of(("Dotted capitals", abstract)))
    target = tmp_path / "out"
    assert run(*import_args(page, target)).code == 0
    (paper,) = drafts_in(target).values()
    assert set(paper) == {"id", "title", "abstract"} and paper["abstract"] == abstract
    draft = (target / "dotted-capitals.yaml").read_text(encoding="utf-8")
    assert "# Objectives the abstract seems to mention: accuracy (accuracy)" in draft
    assert_valid(target)


@pytest.mark.parametrize(
    "title",
    ["null", "~", "true", "no", "yes", "on", "1e3", ".inf", ".nan", "123", "0x1F", "2023-11-12", "12:30",
     "- item", "? key", "# hash", "[list]", "{map}", "&anchor", "*alias", "!tag", "%YAML", "@at", "| pipe",
     "> fold", "'single'", '"double"', "key: value"],
)  # fmt: skip
def test_every_scalar_from_the_page_comes_back_as_the_same_text(run, tmp_path, title):
    page = write_page(tmp_path, page_of((title, f"{title} {FILLER}")))
    target = tmp_path / "out"
    assert run(*import_args(page, target)).code == 0
    (paper,) = drafts_in(target).values()
    assert paper["title"] == title and paper["abstract"] == f"{title} {FILLER}"
    assert_valid(target)


@pytest.mark.parametrize(
    ("count", "kept"),
    [("99999999999999999999", None), ("9" * 5000, None), ("100001", None), ("0", None), ("100000", 100000)],
    ids=["20 digits", "5000 digits", "over the limit", "zero", "the limit"],
)
def test_an_author_count_the_catalog_refuses_is_left_out(run, tmp_path, count, kept):
    page = write_page(tmp_path, page_of(("A paper", FILLER, f"  • {count} authors\n·\nNov 12, 2023")))
    target = tmp_path / "out"
    result = run(*import_args(page, target))
    assert result.code == 0 and "Traceback" not in result.err
    (paper,) = drafts_in(target).values()
    assert paper.get("authors_count") == kept and str(paper["published"]) == "2023-11-12"
    assert_valid(target)


def test_titles_of_5000_characters_get_short_unique_file_names_and_all_their_drafts(run, tmp_path):
    titles = ["A short title first", "x" * 5000, "x" * 5000 + "y", " ".join(["longword" * 50] * 12)]
    page = write_page(tmp_path, page_of(*((title, f"{FILLER} {i}") for i, title in enumerate(titles))))
    target = tmp_path / "out"
    result = run(*import_args(page, target))
    assert result.code == 0, result.err
    drafts = drafts_in(target)
    assert sorted(p["title"] for p in drafts.values()) == sorted(titles)
    assert all(len(name) <= MAX_ID_CHARS + len("-99.yaml") for name in drafts)
    assert_valid(target, command=True)


def test_an_import_that_cannot_write_every_draft_writes_none_and_says_which(run, tmp_path, monkeypatch):
    import catalog.atomic

    real = catalog.atomic.write_atomic
    calls = []

    def failing(path: Path, data: bytes, **kwargs: bool) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, **kwargs)

    monkeypatch.setattr(catalog.atomic, "write_atomic", failing)
    target = tmp_path / "out"
    result = run(*import_args(SMALL, target))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"tradeoffs: {calls[1]}: cannot write the draft (No space left on device); no drafts written" in (
        result.err
    )
    assert list(target.glob("*")) == []


def test_a_draft_the_catalog_would_refuse_is_skipped_saying_which_and_why(run, tmp_path, monkeypatch):
    import catalog.drafts.plan

    monkeypatch.setattr(catalog.drafts.plan, "MAX_FILE_BYTES", 1500)
    page = write_page(tmp_path, page_of(("Short one", FILLER), ("Long one", FILLER * 8)))
    target = tmp_path / "out"
    result = run(*import_args(page, target))
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{page}:5: skipped 'Long one': its draft would be " in result.err
    assert "bytes, over the 1,500 a catalog file can be" in result.err
    assert "1 drafts written" in result.out and "1 skipped" in result.out
    assert [p["title"] for p in drafts_in(target).values()] == ["Short one"]


# Any page -------------------------------------------------------------------------------------

LINE_FREE = st.characters(codec="utf-8", blacklist_characters="\n\r")
PIECE = st.one_of(
    st.text(LINE_FREE, max_size=12), st.sampled_from([*SPECIAL, INJECTION, "null", " ~ ", "  "])
)
TEXT = st.lists(PIECE, max_size=6).map("".join)
_MONTH = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def _a_title(text: str) -> bool:
    """Whether the page would show ``text`` as a title line (not blank, not metadata)."""
    shown = text.strip()
    return bool(shown) and not shown.startswith("•") and not _MONTH.match(shown)


TITLE = TEXT.filter(_a_title)
ABSTRACT = st.tuples(TEXT, TEXT).map(lambda ends: f"{ends[0]} {FILLER} {ends[1]}")
COUNT = st.one_of(st.none(), st.integers(0, 10**25))


@settings(max_examples=50, deadline=None)
@given(
    papers=st.lists(
        st.tuples(TITLE, ABSTRACT.filter(lambda a: not a.strip().startswith("•")), COUNT),
        min_size=1,
        max_size=4,
        unique_by=lambda paper: title_key(paper[0]),
    )
)
def test_any_page_gives_valid_drafts_holding_exactly_its_text(papers):
    with tempfile.TemporaryDirectory() as folder:
        blocks = [
            (title, abstract) if count is None else (title, abstract, f"  • {count} authors\n·\nNov 12, 2023")
            for title, abstract, count in papers
        ]
        # After a blank line: a byte order mark opening the file is not part of its text.
        page = write_page(Path(folder), "\n" + page_of(*blocks))
        assert len(parse_page(page.read_text(encoding="utf-8"), 2025)) == len(papers)
        target = Path(folder) / "out"
        with contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(import_args(page, target), out=io.StringIO())
        assert code == 0, err.getvalue()
        drafts = drafts_in(target)
        expected = {(t.strip(), a.strip(), c if c and c <= 100_000 else None) for t, a, c in papers}
        assert {(p["title"], p["abstract"], p.get("authors_count")) for p in drafts.values()} == expected
        assert_valid(target)
