"""Every broken catalog file is refused by the real command line, with its place and a clear message.

Each file in ``tests/broken/`` is ``tests/fixtures/example_paper.yaml`` (or a small objectives
file) with exactly one defect. Byte-level, large and path-level cases are generated at test time
in a temporary folder instead of being committed. Every case runs ``python -m tui validate`` as a
subprocess once; the tests below then check different things about that one run:

* ``test_refused``: exit code 1, no traceback, at least one ``file:line:col: `` line for the file;
* ``test_message``: a located line for the file says what is wrong (a per-case fragment);
* ``test_line``: that line is at the line of the defect;
* ``test_one_problem_per_line``: every line of stderr is a located problem or the summary.

Known validator bugs are marked ``xfail(strict=True)`` with the reason, so fixing one shows up.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from catalog.paths import SHIPPED_CATALOG

REPO = Path(__file__).resolve().parents[1]
BROKEN = Path(__file__).resolve().parent / "broken"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OBJECTIVES = SHIPPED_CATALOG / "objectives.yaml"
EXAMPLE = FIXTURES / "example_paper.yaml"
TIMEOUT = 20
MiB = 2**20

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NEEDS_NON_ROOT = pytest.mark.skipif(IS_ROOT, reason="root can read a chmod 000 file or folder")

SUMMARY = re.compile(
    r"^\d{1,3}(,\d{3})* problems? in \d{1,3}(,\d{3})* files?: fix (it|them) and run again"
    r"(, or add --skip-broken to go on without those files)?$"
)


# Expectations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """What the validator should say about one broken input.

    ``fragment`` must occur in a located line for the file; ``line`` is the defect's line when
    it has one. ``bugs`` maps a test name (refused, message, line, format, export) to the
    reason it is known to fail.
    """

    fragment: str
    line: int | None = None
    bugs: dict[str, str] = field(default_factory=dict)


#: The committed files in tests/broken/, by name.
COMMITTED: dict[str, Case] = {
    "alias_bomb.yaml": Case("aliases (*l0) are not allowed", 7),
    "authors_count_over_int32.yaml": Case("authors_count should be between 1 and 100000", 5),
    "authors_count_zero.yaml": Case("authors_count should be between 1 and 100000, not 0", 5),
    "bad_arxiv.yaml": Case("is not an arXiv id", 5),
    "bad_better.yaml": Case("better should be 'higher' or 'lower', not 'faster'", 5),
    "bad_date_format.yaml": Case("should be a date like 2024-05-23", 5),
    "bad_indentation.yaml": Case("mapping values are not allowed", 4),
    "bad_objective_id.yaml": Case("should be lowercase letters, digits and _", 3),
    "bad_slug_id.yaml": Case("should be a slug", 3),
    "binary_tag.yaml": Case("tag:yaml.org,2002:binary is not allowed", 4),
    "both_evidence_and_source.yaml": Case("not both", 15),
    "comments_only.yaml": Case("the file is empty", 1),
    "conflicting_objective.yaml": Case("objective 'latency' is already defined differently at", 3),
    "custom_tag.yaml": Case("the tag !foo is not allowed", 4),
    "deep_nesting.yaml": Case("maximum nesting depth", 2),
    "duplicate_key.yaml": Case("duplicate key 'title' (first at line 4)", 5),
    "empty.yaml": Case("the file is empty", 1),
    "empty_values.yaml": Case("values is empty", 13),
    "evidence_not_in_abstract.yaml": Case("evidence does not occur in the abstract", 14),
    "evidence_without_abstract.yaml": Case("the paper has no abstract", 12),
    "exponent_number.yaml": Case("plain decimal notation", 13),
    "huge_authors_count.yaml": Case("authors_count should be between 1 and 100000", 5),
    "impossible_date.yaml": Case("2023-02-30 is not a real date", 5),
    "inf_value.yaml": Case("numbers must be finite", 13),
    "missing_title.yaml": Case("missing the required field 'title'", 3),
    "multiple_documents.yaml": Case("expected a single document", 15),
    "nan_value.yaml": Case("numbers must be finite", 13),
    "neither_evidence_nor_source.yaml": Case("a result needs `evidence`", 12),
    "non_scalar_key.yaml": Case("keys of a paper should be plain text", 5),
    "papers_not_list.yaml": Case("papers should be a list", 3),
    "python_object_tag.yaml": Case("python/object/apply:os.system is not allowed", 4),
    "quoted_number.yaml": Case("remove the quotes", 13),
    "relative_without_baseline.yaml": Case("needs a `baseline`", 12),
    "self_alias.yaml": Case("aliases (*a) are not allowed", 6),
    "self_pair.yaml": Case("pairs 'accuracy' with itself", 10),
    "stray_character.yaml": Case("cannot start any token", 4),
    "tab_indent.yaml": Case("tab", 6),
    "tab_indent_list_item.yaml": Case("indent with spaces, not tabs", 3),
    "title_is_list.yaml": Case("title should be text, not a list", 4),
    "top_level_list.yaml": Case("the top level should be a mapping", 2),
    "tradeoff_not_pair.yaml": Case("pair of two objectives", 10),
    "two_relative_modes.yaml": Case("has one key: a relative claim", 14),
    "unclosed_quote.yaml": Case("quoted scalar", 4),
    "unknown_field.yaml": Case("unknown field 'venue' in a paper", 5),
    "unknown_objective.yaml": Case("did you mean 'latency'", 10),
    "unknown_top_level_key.yaml": Case("did you mean 'papers'", 2),
    "value_not_in_evidence.yaml": Case("72.5 does not occur in its evidence", 13),
    "value_too_large.yaml": Case("too large to be a finite number", 13),
    "wrong_type_tags.yaml": Case("tags should be a list of text", 6),
    "zero_date.yaml": Case("not a real date", 5),
}


# Generated inputs: bytes that should not be committed, big files, and paths --------------


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _not_utf8() -> bytes:
    return _example().replace("An example paper", "An \xe9xample paper").encode("latin-1")


def _control_character() -> bytes:
    return _example().replace("An example paper", "An example\x07 paper").encode()


def _utf16_garbage() -> bytes:
    # A UTF-16 byte order mark, then a lone high surrogate and an odd trailing byte.
    return b"\xff\xfe" + "papers:\n".encode("utf-16-le") + b"\x00\xd8" + b"x"


def _too_large() -> bytes:
    # Valid YAML all the way: only the size is wrong.
    padding = ("# " + "x" * 1021 + "\n") * (40 * MiB // 1024 + 1)
    return (_example() + padding).encode()


def _alias_flood() -> bytes:
    head = _example().replace("title: An example paper", "title: &t An example paper")
    return (head + "    notes: [" + ", ".join(["*t"] * 100_000) + "]\n").encode()


def _deep_block_nesting() -> bytes:
    return ("papers:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000))).encode()


@dataclass(frozen=True)
class Generated:
    """A broken input made at test time: ``content`` bytes, or None for a path that is missing.

    ``mode`` is applied with chmod after writing (0 for unreadable); ``folder`` puts the example
    paper inside a folder of that name instead of writing a file.
    """

    case: Case
    content: Callable[[], bytes] | None
    mode: int | None = None
    folder: bool = False
    marks: tuple[pytest.MarkDecorator, ...] = ()


GENERATED: dict[str, Generated] = {
    "not_utf8.yaml": Generated(Case("not valid UTF-8 (byte 0xe9)", 4), _not_utf8),
    "binary.yaml": Generated(
        Case("this is a binary file", 1), lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    ),
    "utf16_garbage.yaml": Generated(Case("not valid UTF-16 text", 1), _utf16_garbage),
    "utf16_without_bom.yaml": Generated(Case("UTF-8", 1), lambda: _example().encode("utf-16-le")),
    "utf32.yaml": Generated(Case("UTF-32", 1), lambda: _example().encode("utf-32")),
    "control_character.yaml": Generated(Case("is not allowed in YAML", 4), _control_character),
    "too_large.yaml": Generated(Case("over the 32 MiB limit", 1), _too_large),
    "alias_flood.yaml": Generated(Case("aliases (*t) are not allowed", 15), _alias_flood),
    "deep_block_nesting.yaml": Generated(Case("maximum nesting depth", 1000), _deep_block_nesting),
    "nonexistent.yaml": Generated(Case("no such file or folder", 1), None),
    "unreadable_file.yaml": Generated(
        Case("cannot read the file", 1), lambda: _example().encode(), mode=0o000, marks=(NEEDS_NON_ROOT,)
    ),
    "unreadable_folder": Generated(
        Case("cannot read the folder", 1),
        lambda: _example().encode(),
        mode=0o000,
        folder=True,
        marks=(NEEDS_NON_ROOT,),
    ),
}


# Running the command line ----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished run of the command line."""

    shown: str  # the path as the tool prints it
    returncode: int
    stdout: str
    stderr: str
    seconds: float = 0.0

    def located(self, path: str | None = None) -> list[tuple[int, int, str]]:
        """(line, col, message) of every ``path:line:col: message`` line of stderr."""
        pattern = re.compile(rf"^{re.escape(path or self.shown)}:(\d+):(\d+): (.*)$")
        found = []
        for line in self.stderr.splitlines():
            match = pattern.match(line)
            if match:
                found.append((int(match[1]), int(match[2]), match[3]))
        return found


def shown_path(path: Path) -> str:
    """How the tool names ``path`` when run from REPO (``catalog.source.discover.display_path``'s rule)."""
    rel = os.path.relpath(path, REPO)
    return str(path) if rel.startswith("..") else rel


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of every subprocess: cache and data folders in a temporary folder."""
    home = tmp_path_factory.mktemp("xdg")
    env = dict(os.environ)
    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture(scope="module")
def tradeoffs(cli_env: dict[str, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m tui ARGS...`` from the repository root, within TIMEOUT seconds."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            cwd=REPO,
            env=cli_env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
        )

    return run


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every generated input, written once; permissions restored afterwards for clean-up."""
    root = tmp_path_factory.mktemp("generated")
    paths: dict[str, Path] = {}
    for name, gen in GENERATED.items():
        path = root / name
        paths[name] = path
        if gen.content is None:
            continue
        if gen.folder:
            path.mkdir()
            (path / "paper.yaml").write_bytes(gen.content())
        else:
            path.write_bytes(gen.content())
        if gen.mode is not None:
            path.chmod(gen.mode)
    yield paths
    for path in paths.values():
        if path.exists() or path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture(scope="module")
def validate_runs(
    tradeoffs: Callable[..., subprocess.CompletedProcess[str]], generated: dict[str, Path]
) -> Callable[[str], Run]:
    """``validate`` of one case by name, run once per module and remembered."""
    runs: dict[str, Run] = {}

    def get(name: str) -> Run:
        if name not in runs:
            path = BROKEN / name if name in COMMITTED else generated[name]
            shown = shown_path(path)
            start = time.monotonic()
            proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), shown)
            runs[name] = Run(shown, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start)
        return runs[name]

    return get


def _case(name: str) -> Case:
    return COMMITTED[name] if name in COMMITTED else GENERATED[name].case


def _params(test: str, only_with_line: bool = False) -> list:
    """Every case as a pytest param with id = name, xfail where ``test`` is a known bug."""
    params = []
    for name in [*COMMITTED, *GENERATED]:
        case = _case(name)
        if only_with_line and case.line is None:
            continue
        marks = list(GENERATED[name].marks) if name in GENERATED else []
        if test in case.bugs:
            marks.append(pytest.mark.xfail(strict=True, reason=case.bugs[test]))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


# The tests ---------------------------------------------------------------------------------


def test_every_committed_file_has_an_expectation() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.is_file()}
    assert on_disk == set(COMMITTED)
    assert len(on_disk) + len(GENERATED) >= 30


@pytest.mark.parametrize("name", _params("refused"))
def test_refused(name: str, validate_runs: Callable[[str], Run]) -> None:
    run = validate_runs(name)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.located(), f"no line starting {run.shown}:LINE:COL: in\n{run.stderr[:2000]}"
    assert run.seconds < 5, f"took {run.seconds:.1f} s"


@pytest.mark.parametrize("name", _params("message"))
def test_message(name: str, validate_runs: Callable[[str], Run]) -> None:
    run = validate_runs(name)
    fragment = _case(name).fragment
    messages = [message for _, _, message in run.located()]
    assert any(fragment in m for m in messages), f"{fragment!r} not in {messages[:5]}"


@pytest.mark.parametrize("name", _params("line", only_with_line=True))
def test_line(name: str, validate_runs: Callable[[str], Run]) -> None:
    run = validate_runs(name)
    case = _case(name)
    located = run.located()
    assert located, run.stderr[:2000]
    # The line saying what is wrong, or (when test_message fails) the first line for the file.
    line = next((line for line, _, message in located if case.fragment in message), located[0][0])
    assert line == case.line, f"reported at line {line}, the defect is on line {case.line}"


@pytest.mark.parametrize("name", _params("format"))
def test_one_problem_per_line(name: str, validate_runs: Callable[[str], Run]) -> None:
    run = validate_runs(name)
    objectives = shown_path(OBJECTIVES)
    strays = [
        line
        for line in run.stderr.splitlines()
        if not (SUMMARY.match(line) or line.startswith((f"{run.shown}:", f"{objectives}:")))
    ]
    assert not strays, strays[:5]


def test_duplicate_ids_across_files_names_both_places(
    tradeoffs: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    folder = BROKEN / "duplicate_ids_across_files"
    first, second = shown_path(folder / "first.yaml"), shown_path(folder / "second.yaml")
    proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), shown_path(folder))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    run = Run(second, proc.returncode, proc.stdout, proc.stderr)
    assert run.located() == [
        (3, 9, f"duplicate paper id 'example-paper', also at {first}:3:9: ids must be unique")
    ]


@pytest.mark.parametrize("name", ["first.yaml", "second.yaml"])
def test_each_duplicate_alone_is_valid(
    name: str, tradeoffs: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    path = BROKEN / "duplicate_ids_across_files" / name
    proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), shown_path(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: 2 files, 1 papers")


# Every command refuses a bad catalog the same way ------------------------------------------

EXPORT_CASES = [
    "duplicate_key.yaml",
    "unknown_objective.yaml",
    "python_object_tag.yaml",
    "deep_nesting.yaml",
    "zero_date.yaml",
    "not_utf8.yaml",
    "too_large.yaml",
    "nonexistent.yaml",
    "unreadable_file.yaml",
    "huge_authors_count.yaml",
    "authors_count_over_int32.yaml",
]
EXPORT_BUGS: dict[str, str] = {}


def _export_params() -> list:
    params = []
    for name in EXPORT_CASES:
        marks = list(GENERATED[name].marks) if name in GENERATED else []
        if name in EXPORT_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=EXPORT_BUGS[name]))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", _export_params())
def test_export_refuses_too(
    name: str,
    tradeoffs: Callable[..., subprocess.CompletedProcess[str]],
    generated: dict[str, Path],
) -> None:
    path = BROKEN / name if name in COMMITTED else generated[name]
    shown = shown_path(path)
    proc = tradeoffs(
        "export", "--no-default", "--catalog", str(OBJECTIVES), "--catalog", shown, "--format", "json"
    )
    run = Run(shown, proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr[-2000:]
    assert run.returncode == 1, run.stdout[:500] + run.stderr
    assert run.stdout == ""
    fragment = _case(name).fragment
    assert any(fragment in message for _, _, message in run.located()), run.stderr[:2000]


# Valid files that YAML 1.1 would misread ---------------------------------------------------

VALID = [
    pytest.param("example_paper.yaml", "An example paper", id="example_paper.yaml"),
    pytest.param("title_no.yaml", "no", id="title_no.yaml"),
    pytest.param("title_number.yaml", "2024.01230", id="title_number.yaml"),
    pytest.param("title_equals.yaml", "=", id="title_equals.yaml"),
]


@pytest.mark.parametrize(("name", "title"), VALID)
def test_valid_file_keeps_its_text(
    name: str, title: str, tradeoffs: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    path = shown_path(FIXTURES / name)
    proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: 2 files, 1 papers"), proc.stdout
    proc = tradeoffs(
        "export", "--no-default", "--catalog", str(OBJECTIVES), "--catalog", path, "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    [paper] = json.loads(proc.stdout)
    assert paper["title"] == title


def test_utf16_with_bom_is_valid(
    tmp_path: Path, tradeoffs: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(_example().encode("utf-16"))
    proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), str(path))
    assert proc.returncode == 0, proc.stderr


# Every command, the app, and inputs too big to commit --------------------------------------

COMMANDS = [
    ["pairs"],
    ["search", "sampler"],
    ["plot", "accuracy:latency", "--width", "60"],
    ["export", "--format", "csv"],
    ["sql", "SELECT 1"],
]


@pytest.mark.parametrize("name", sorted(COMMITTED))
def test_every_command_refuses_a_broken_catalog(name: str, run) -> None:
    shown = shown_path(BROKEN / name)
    for command in COMMANDS:
        result = run(*command, "--no-default", "--catalog", str(OBJECTIVES), "--catalog", str(BROKEN / name))
        assert result.code == 1, (command, result.out[:300], result.err[:300])
        assert result.out == ""
        assert "Traceback" not in result.err
        assert any(line.startswith(f"{shown}:") or f"{name}:" in line for line in result.err.splitlines())


@pytest.mark.parametrize(
    "name",
    [
        "python_object_tag.yaml",
        "alias_bomb.yaml",
        "deep_nesting.yaml",
        "unknown_objective.yaml",
        "empty.yaml",
    ],
)
async def test_the_app_leaves_out_a_broken_file_and_lists_its_problems(name: str) -> None:
    from textual.widgets import Static

    from tests.test_app import started, until
    from tui.app import TradeoffsApp
    from tui.screens.dialogs import ProblemsScreen

    app = TradeoffsApp([OBJECTIVES, BROKEN / name])
    async with app.run_test(size=(100, 24)) as pilot:
        await started(pilot)  # every other file opens; the broken one is left out, and said
        await pilot.press("exclamation_mark")
        # The screen is current before its content is composed: wait for the content.
        await until(
            pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.query("#problems Static")
        )
        text = str(app.screen.query_one("#problems Static", Static).render())
        assert name in text and _case(name).fragment in text


def test_a_100_mb_file_is_refused_at_once(tmp_path: Path, tradeoffs) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(100 * MiB)
    start = time.monotonic()
    proc = tradeoffs("validate", "--no-default", str(huge))
    assert time.monotonic() - start < 5
    assert proc.returncode == 1 and "over the 32 MiB limit" in proc.stderr and "Traceback" not in proc.stderr


def test_a_folder_of_thousands_of_files_reports_its_one_bad_file(tmp_path: Path, tradeoffs) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    example = (FIXTURES / "example_paper.yaml").read_text()
    for i in range(3000):
        (folder / f"p{i:04d}.yaml").write_text(example.replace("example-paper", f"paper-{i}"))
    (folder / "p1234.yaml").write_text(
        example.replace("example-paper", "paper-1234").replace("title:", "titel:")
    )
    start = time.monotonic()
    proc = tradeoffs("validate", "--no-default", "--catalog", str(OBJECTIVES), str(folder))
    elapsed = time.monotonic() - start
    assert proc.returncode == 1, proc.stdout + proc.stderr
    problem_lines = [line for line in proc.stderr.splitlines() if ":" in line and "problem" not in line]
    assert len(problem_lines) == 2 and all("p1234.yaml" in line for line in problem_lines)
    assert elapsed < 15, f"3000 files took {elapsed:.1f} s"


def test_a_dangling_link_in_a_folder_is_a_problem_not_a_crash(tmp_path: Path, tradeoffs) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    proc = tradeoffs("validate", "--no-default", str(folder))
    assert proc.returncode == 1 and "gone.yaml:1:1: cannot read the file" in proc.stderr


def test_leaving_out_a_broken_file_reads_every_file_once(tmp_path: Path) -> None:
    from catalog.store.store import open_store

    folder = tmp_path / "many"
    folder.mkdir()
    example = (FIXTURES / "example_paper.yaml").read_text()
    for i in range(40):
        (folder / f"p{i:02d}.yaml").write_text(example.replace("example-paper", f"paper-{i}"))
    (folder / "p17.yaml").write_text("papers:\n  - id: [\n")
    heard: list[tuple[int, int]] = []
    store = open_store(
        [OBJECTIVES, folder], skip_broken=True, on_progress=lambda done, total: heard.append((done, total))
    )
    assert {Path(p.file).name for p in store.skipped} == {"p17.yaml"}
    assert store.cursor().execute("SELECT count(*) FROM papers").fetchone() == (39,)
    # One pass over the files: the count of files read only ever goes up, to all of them.
    dones = [done for done, _ in heard]
    assert dones == sorted(dones) and heard[-1] == (41, 41)
