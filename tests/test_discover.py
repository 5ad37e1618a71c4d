"""Discovery lists the catalog files under the roots given, in catalog order, each once, and
never reads one: what it cannot look at is listed for reading to explain."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from catalog.source.discover import discover


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cat"
    for folder in ("sub/deeper", "folder.yaml", "zz"):
        (root / folder).mkdir(parents=True)
    for file in ("a.yaml", "sub/b.yml", "sub/deeper/c.yaml", "folder.yaml/d.yaml", "zz/e.yaml", "notes.txt"):
        (root / file).write_text("x\n")
    (root / "link.yaml").symlink_to("a.yaml")
    (root / "dangling.yaml").symlink_to("nowhere.yaml")
    (root / "linked-folder").symlink_to("sub")
    (root / "linked-folder.yaml").symlink_to("sub")
    os.mkfifo(root / "pipe.yaml")
    monkeypatch.chdir(tmp_path)
    return root


def listed(roots: list[Path]) -> list[tuple[str, int]]:
    files, problems = discover(roots)
    assert problems == []
    return [(f.display, f.size) for f in files]


def test_a_folder_lists_its_own_files_first_then_each_subfolder_in_name_order(tree):
    assert listed([Path("cat")]) == [
        ("cat/a.yaml", 2),
        ("cat/dangling.yaml", -1),  # reading it will say it leads nowhere
        ("cat/link.yaml", 2),
        ("cat/pipe.yaml", -1),  # never read: it could block for ever
        ("cat/folder.yaml/d.yaml", 2),  # a folder named like a file is a folder
        ("cat/sub/b.yml", 2),
        ("cat/sub/deeper/c.yaml", 2),
        ("cat/zz/e.yaml", 2),
    ]


def test_links_to_folders_are_not_followed_and_paths_are_absolute(tree):
    files, _ = discover([tree])
    assert all(os.path.isabs(f.path) for f in files)
    assert not any("linked-folder" in f.path for f in files)


def test_a_file_under_two_roots_is_listed_once_where_it_is_first_found(tree):
    assert listed([Path("cat/sub/b.yml"), Path("cat/sub")]) == [
        ("cat/sub/b.yml", 2),
        ("cat/sub/deeper/c.yaml", 2),
    ]
    assert listed([Path("cat/sub"), Path("cat/sub/b.yml")]) == [
        ("cat/sub/b.yml", 2),
        ("cat/sub/deeper/c.yaml", 2),
    ]


def test_a_missing_root_is_a_problem_that_names_it(tree):
    files, problems = discover([Path("cat/zz"), Path("missing")])
    assert [f.display for f in files] == ["cat/zz/e.yaml"]
    assert [(p.file, p.message) for p in problems] == [("missing", "no such file or folder: check the path")]
