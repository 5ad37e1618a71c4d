"""Writing an export: what is at ``-o`` is written as a plain write would, and failures are one line.

Devices, FIFOs and links are written through to what they name; a regular file is replaced
atomically but keeps its mode, its owner and its other names; whatever fails (a full disk, a
missing folder, a file in the way) says so in one line naming the path, and leaves nothing
half-written. The YAML of papers loads back to the same numbers, whatever the number.

A guard refuses any rename over a device or into ``/dev`` or ``/proc``: run as root, a broken
export would otherwise replace ``/dev/null`` or ``/dev/full`` with a regular file.
"""

from __future__ import annotations

import errno
import math
import os
import resource
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from catalog.source.validate import load_catalog

from .conftest import MINI, unmeasured

FORMATS = ["csv", "json", "jsonl", "md", "bibtex", "yaml", "parquet"]
TEXT_FORMATS = [f for f in FORMATS if f != "parquet"]
ROOT = os.geteuid() == 0
PROTECTED = ("/dev/", "/proc/")


def _refuse_system_names(real: Callable[..., Any]) -> Callable[..., Any]:
    """``os.replace``/``os.rename`` that refuse to rename over a device or into /dev or /proc."""

    def guarded(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
        name = os.path.abspath(os.fsdecode(dst))
        try:
            mode = os.lstat(name).st_mode
        except OSError:
            mode = 0
        if name.startswith(PROTECTED) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise AssertionError(f"the export renamed a file over {name}")
        return real(src, dst, *args, **kwargs)

    return guarded


@pytest.fixture(autouse=True)
def no_rename_over_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "replace", _refuse_system_names(os.replace))
    monkeypatch.setattr(os, "rename", _refuse_system_names(os.rename))


def mini(*args: str) -> list[str]:
    return ["export", "--no-default", "--catalog", str(MINI), *args]


def export_to(run, fmt: str, target: Path | str):
    return run(*mini("--format", fmt, "-o", str(target)))


def expected_text(run, fmt: str) -> str:
    result = run(*mini("--format", fmt))
    assert result.code == 0, result.err
    return result.out


def parquet_ids(path: Path | str) -> list[str]:
    rows = duckdb.sql(f"SELECT id FROM read_parquet('{path}') ORDER BY id").fetchall()
    return [r[0] for r in rows]


MINI_IDS = ["lean-quant", "quiet-baseline", "swift-sampler"]


def check_content(run, fmt: str, path: Path) -> None:
    """``path`` holds the export of the mini catalog in ``fmt``."""
    if fmt == "parquet":
        assert parquet_ids(path) == MINI_IDS
    else:
        assert path.read_text(encoding="utf-8") == expected_text(run, fmt)


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for the test; the old one comes back after."""
    old = os.umask(0o022)
    os.umask(old)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(old)


# Links, devices, FIFOs, modes -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "yaml", "parquet"])
def test_a_symlink_stays_a_link_and_the_file_it_names_gets_the_export(run, tmp_path, fmt):
    real = tmp_path / "data" / f"real.{fmt}"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / f"link.{fmt}"
    link.symlink_to(Path("data") / real.name)
    result = export_to(run, fmt, link)
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(Path("data") / real.name)
    assert stat.S_ISREG(os.lstat(real).st_mode)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    check_content(run, fmt, real)
    assert sorted(p.name for p in real.parent.iterdir()) == [real.name]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_link_to_nothing_creates_the_file_it_names(run, tmp_path, fmt):
    link = tmp_path / f"link.{fmt}"
    link.symlink_to(f"new.{fmt}")
    assert export_to(run, fmt, link).code == 0
    assert link.is_symlink()
    check_content(run, fmt, tmp_path / f"new.{fmt}")


@pytest.mark.parametrize("fmt", ["csv", "yaml", "parquet"])
def test_a_file_with_two_names_keeps_both_and_both_see_the_export(run, tmp_path, fmt):
    first = tmp_path / f"first.{fmt}"
    first.write_text("old\n")
    second = tmp_path / f"second.{fmt}"
    os.link(first, second)
    assert export_to(run, fmt, first).code == 0
    assert first.stat().st_nlink == 2 and os.path.samefile(first, second)
    check_content(run, fmt, second)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "user") == [first.name, second.name]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_replaced_file_keeps_its_mode(run, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    target.write_text("old\n")
    target.chmod(0o640)
    assert export_to(run, fmt, target).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    check_content(run, fmt, target)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
@pytest.mark.parametrize("fmt", ["csv", "yaml", "parquet"])
def test_a_new_file_gets_the_mode_the_umask_says(run, tmp_path, umask, fmt, mask):
    target = tmp_path / f"new.{fmt}"
    umask(mask)
    assert export_to(run, fmt, target).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


@pytest.mark.skipif(not ROOT, reason="only root can give a file to another user")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_file_of_another_user_keeps_its_owner(run, tmp_path, fmt):
    target = tmp_path / f"theirs.{fmt}"
    target.write_text("old\n")
    os.chown(target, 65534, 65534)
    target.chmod(0o664)
    assert export_to(run, fmt, target).code == 0
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o664)
    check_content(run, fmt, target)


def read_fifo(fifo: Path) -> tuple[Callable[[], bytes], Callable[[], None]]:
    """Start reading ``fifo`` in a thread. Returns a function giving what was read (once every
    writer is gone) and one that stops the reading (by closing the writer kept open so that
    opening it never blocks)."""
    keeper = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer, so the reader's open returns
    got: list[bytes] = []
    opened = threading.Event()

    def reader() -> None:
        with open(fifo, "rb") as handle:
            opened.set()
            got.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    assert opened.wait(10)
    closed = False

    def stop() -> None:
        nonlocal closed
        if not closed:
            os.close(keeper)
            closed = True

    def result() -> bytes:
        stop()
        thread.join(10)
        assert not thread.is_alive(), "the reader never saw the end of the FIFO"
        return got[0]

    return result, stop


@pytest.mark.parametrize("fmt", ["csv", "yaml", "parquet"])
def test_a_fifo_with_a_reader_gets_the_bytes_and_stays_a_fifo(run, tmp_path, fmt):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result, stop = read_fifo(fifo)
    try:
        exported = export_to(run, fmt, fifo)
    finally:
        stop()
    data = result()
    assert exported.code == 0, exported.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if fmt == "parquet":
        copy = tmp_path / "copy.parquet"
        copy.write_bytes(data)
        assert parquet_ids(copy) == MINI_IDS
    else:
        assert data.decode() == expected_text(run, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_dev_null_stays_a_character_device(run, fmt):
    before = os.stat("/dev/null")
    result = export_to(run, fmt, "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert result.code == 0, result.err


GUARDED_MAIN = f"""
import os, stat, sys
sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
def guard(real):
    def guarded(src, dst, *a, **k):
        name = os.path.abspath(os.fsdecode(dst))
        if name.startswith({PROTECTED!r}):
            raise SystemExit(f"the export renamed a file over {{name}}")
        return real(src, dst, *a, **k)
    return guarded
os.replace, os.rename = guard(os.replace), guard(os.rename)
from tui.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def run_guarded(
    args: list[str], stdout: Any = subprocess.PIPE, measured: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess:
    """``tradeoffs ARGS`` in a process of its own that may not rename over anything in /dev
    (not ``measured`` by coverage when the test starves it of file space)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if not measured:
        env = unmeasured(env)
    return subprocess.run(
        [sys.executable, "-c", GUARDED_MAIN, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**env, **kwargs.pop("env", {})},
        timeout=120,
        **kwargs,
    )


def test_dev_stdout_on_a_pipe_writes_to_the_pipe():
    proc = run_guarded([*mini("--format", "csv", "-o", "/dev/stdout")])
    assert proc.returncode == 0, proc.stderr.decode()
    assert stat.S_ISLNK(os.lstat("/dev/stdout").st_mode) or not os.path.lexists("/dev/stdout")
    assert proc.stdout.decode().startswith("id,")


def test_dev_stdout_appended_to_a_file_keeps_what_it_held(tmp_path, run):
    log = tmp_path / "log.txt"
    log.write_text("before\n")
    with open(log, "ab") as handle:
        proc = run_guarded([*mini("--format", "csv", "-o", "/dev/stdout")], stdout=handle)
    assert proc.returncode == 0, proc.stderr.decode()
    assert log.read_text() == "before\n" + expected_text(run, "csv")


def test_private_files_stay_private_when_replaced(tmp_path):
    from catalog.state import UserState, save_state

    path = tmp_path / "state.json"
    path.write_text("{}")
    path.chmod(0o644)
    save_state(UserState(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# Failures: one line naming the path, what went wrong and what to do; nothing left behind ----


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_device_is_one_plain_line(run, fmt):
    result = export_to(run, fmt, "/dev/full")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert result.code == 1
    assert one_line(result.err) == (
        "tradeoffs: cannot write /dev/full: the disk is full; free some space or write it elsewhere"
    )


def limited_export(fmt: str, target: Path, limit: int) -> subprocess.CompletedProcess:
    """``tradeoffs export`` in a process that may write no file beyond ``limit`` bytes, as on a
    disk about to fill up (the system says EFBIG where a full disk says ENOSPC)."""

    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return run_guarded(
        mini("--format", fmt, "-o", str(target)),
        preexec_fn=limit_files,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        measured=False,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("existing", [False, True])
def test_running_out_of_space_is_one_line_and_leaves_no_partial_file(run, tmp_path, fmt, existing):
    # The catalog's cache is built before the limit. Parquet's rows go to DuckDB through a
    # temporary JSON Lines file, which must fit; the Parquet file is larger.
    rows = run(*mini("--format", "jsonl")).out.encode()
    limit = len(rows) + 16 if fmt == "parquet" else 40
    folder = tmp_path / "out"
    folder.mkdir()
    if fmt == "parquet":
        assert export_to(run, fmt, folder / "full.parquet").code == 0
        assert (folder / "full.parquet").stat().st_size > limit
        (folder / "full.parquet").unlink()
    target = folder / f"x.{fmt}"
    if existing:
        target.write_text("old\n")
    proc = limited_export(fmt, target, limit)
    assert proc.returncode == 1
    assert one_line(proc.stderr.decode()) == (
        f"tradeoffs: cannot write {target}: the file would be larger than the disk or the file size "
        "limit allows; write it elsewhere"
    )
    assert sorted(p.name for p in folder.iterdir()) == ([target.name] if existing else [])
    if existing:
        assert target.read_text() == "old\n"


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_full_standard_output_is_one_line(unbuffered):
    env = {"PYTHONUNBUFFERED": unbuffered} if unbuffered else {}
    with open("/dev/full", "wb") as full:
        proc = run_guarded(mini("--format", "csv"), stdout=full, env=env)
    assert proc.returncode == 1
    assert one_line(proc.stderr.decode()) == (
        "tradeoffs: cannot write standard output: the disk is full; "
        "free some space or write it elsewhere (-o FILE)"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_in_the_way_of_a_folder_is_one_line(run, tmp_path, fmt):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder\n")
    target = blocker / f"x.{fmt}"
    result = export_to(run, fmt, target)
    assert result.code == 1
    assert one_line(result.err) == (
        f"tradeoffs: cannot write {target}: a part of the path is a file, not a folder; "
        "name a file inside a folder"
    )
    assert blocker.read_text() == "a file, not a folder\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_folder_or_a_folder_is_one_line_for_every_format(run, tmp_path, fmt):
    missing = tmp_path / "missing" / f"x.{fmt}"
    result = export_to(run, fmt, missing)
    assert result.code == 1
    assert one_line(result.err) == (
        f"tradeoffs: cannot write {missing}: the folder {missing.parent} does not exist"
    )
    result = export_to(run, fmt, tmp_path)
    assert result.code == 1
    if fmt == "parquet":  # to a folder, the catalog's tables as a dataset: not beside other files
        assert one_line(result.err).startswith(f"tradeoffs: cannot write a dataset to {tmp_path}: it holds")
        return
    assert one_line(result.err) == f"tradeoffs: cannot write {tmp_path}: it is a folder; name a file in it"


@pytest.mark.parametrize("fmt", ["csv", "json", "bibtex"])
def test_a_folder_not_there_yet_is_never_written_as_a_file_of_its_name(run, tmp_path, fmt):
    target = f"{tmp_path}/new/"
    result = export_to(run, fmt, target)
    assert result.code == 1
    assert (
        one_line(result.err)
        == f"tradeoffs: cannot write {target}: it names a folder (it ends in /); name a file in it"
    )
    assert not (tmp_path / "new").exists()


def test_parquet_rows_that_the_temporary_folder_cannot_take_are_one_line(run, tmp_path):
    assert run(*mini("--format", "csv")).code == 0  # the catalog's cache built before the limit
    target = tmp_path / "x.parquet"
    proc = limited_export("parquet", target, 40)
    assert proc.returncode == 1
    line = one_line(proc.stderr.decode())
    assert line.startswith(f"tradeoffs: cannot write {target}: the temporary folder ")
    assert line.endswith("; free some space there, or set TMPDIR to another folder")
    assert not target.exists()


def test_parquet_failures_in_duckdb_name_the_target_not_the_temporary_file(tmp_path):
    from catalog.export import _duckdb_failure

    partial = tmp_path / ".x.parquet.0123abcd"
    target = tmp_path / "x.parquet"
    said = (
        'IO Error: Async write failed: {"exception_type":"IO","exception_message":'
        f'"Could not write file \\"{partial}\\": No space left on device","errno":"28"}}'
    )
    failure = _duckdb_failure(said, partial, target)
    assert isinstance(failure, OSError) and failure.errno == errno.ENOSPC
    other = _duckdb_failure(f'IO Error: Cannot open file "{partial}": something new', partial, target)
    assert str(partial) not in str(other) and str(target) in str(other)


def test_a_writable_file_in_a_folder_that_takes_no_new_file_is_written_in_place(run, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "out.csv"
    target.write_text("old\n")
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("root can write into a read-only folder")
        result = export_to(run, "csv", target)
        assert result.code == 0, result.err
        assert target.read_text() == expected_text(run, "csv")
    finally:
        folder.chmod(0o700)


# The YAML of papers loads back to the same numbers --------------------------------------------


def decimal_text(value: float) -> str:
    """``value`` in plain decimal notation, every digit written, as an abstract would."""
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0") if text.endswith(".0") else text


def one_value_catalog(value: float, form: str) -> str:
    words = f"we measure {decimal_text(abs(value))} units"
    written = {
        "plain": repr_yaml(value),
        "about": f"{{about: {repr_yaml(value)}}}",
        "percent": f"{{percent: {repr_yaml(value)}}}",
    }[form]
    baseline = "\n        baseline: the old way" if form == "percent" else ""
    return (
        "objectives:\n"
        "  ox: {label: X, better: lower}\n"
        "papers:\n"
        "  - id: p0\n"
        "    title: Paper 0\n"
        f"    abstract: {words}.\n"
        "    results:\n"
        "      - method: m0\n"
        f"        values: {{ox: {written}}}{baseline}\n"
        f"        evidence: {words}\n"
    )


def repr_yaml(value: float) -> str:
    """``value`` as a catalog file writes a number: plain decimal notation, its sign kept."""
    text = decimal_text(abs(value))
    return ("-" if math.copysign(1.0, value) < 0 else "") + text


def same_float(a: float, b: float) -> bool:
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=finite, form=st.sampled_from(["plain", "about", "percent"]))
@example(value=1e23, form="plain")
@example(value=float(2**53), form="plain")
@example(value=float(2**53 + 2), form="plain")
@example(value=-0.0, form="plain")
@example(value=-0.0, form="percent")
@example(value=0.0, form="plain")
@example(value=5e-324, form="plain")
@example(value=-5e-324, form="about")
@example(value=1.7976931348623157e308, form="plain")
@example(value=-1.7976931348623157e308, form="plain")
@example(value=-1e23, form="percent")
@example(value=-40.0, form="percent")
@example(value=0.1, form="plain")
def test_yaml_export_loads_back_every_number_the_validator_accepts(run, tmp_path_factory, value, form):
    folder = tmp_path_factory.mktemp("number")
    source = folder / "c.yaml"
    source.write_text(one_value_catalog(value, form))
    original = load_catalog([source]).papers[0].results[0].values[0].number
    assert same_float(original, value)  # the validator accepts it, as written
    exported = folder / "copy.yaml"
    result = run("export", "--no-default", "--catalog", str(source), "--format", "yaml", "-o", str(exported))
    assert result.code == 0, result.err
    checked = run("validate", "--no-default", str(exported))
    assert checked.code == 0, checked.err + checked.out
    loaded = load_catalog([exported]).papers[0].results[0].values[0].number
    assert same_float(loaded, value), (value, loaded, exported.read_text())
