"""Decide what an import writes: a draft per new paper, nothing for a paper the catalog has.

Pure planning over plain data (the page's entries, the titles already known, the target
folder), so it is tested without a terminal; the command line prints the plan's outcomes and
writes its drafts. Every draft is read back with the validator's own reader before it is
planned: one that is not a valid catalog file holding exactly the page's text is skipped,
with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from catalog.drafts.page import PageEntry
from catalog.drafts.render import render_draft, slug
from catalog.model import Objective
from catalog.paths import SCHEMA_FILE
from catalog.source.document import parse_document
from catalog.source.yamlsafe import MAX_FILE_BYTES, compose
from catalog.text import squash_space

Outcome = Literal["draft", "present", "exists", "skipped"]


@dataclass(frozen=True)
class Planned:
    """What happens to one entry of the page."""

    entry: PageEntry
    outcome: Outcome
    paper_id: str
    """The new draft's id, or the id of the paper already in the catalog."""
    path: Path | None = None
    """Where the draft goes (``draft``), or the file that is there already (``exists``)."""
    text: str = ""
    """The draft's text (``draft`` only)."""
    reason: str = ""
    """Why the entry gets no draft (``skipped`` only)."""


@dataclass
class ImportPlan:
    """Every entry's outcome, in page order."""

    planned: list[Planned] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """How many entries have ``outcome``."""
        return sum(p.outcome == outcome for p in self.planned)


def title_key(title: str) -> str:
    """How titles are compared: case and spacing ignored."""
    return squash_space(title.lower())


def schema_reference(target: Path) -> str:
    """How a draft in ``target`` names the JSON Schema: relative when near, absolute when far."""
    relative = os.path.relpath(SCHEMA_FILE, target)
    # Far away, an absolute path reads better and survives moves.
    return str(SCHEMA_FILE) if relative.count("..") > 1 else relative


def draft_problem(text: str, entry: PageEntry, paper_id: str) -> str | None:
    """Why ``text`` is not a valid catalog file holding just the paper ``paper_id`` with the
    entry's title and abstract, or None when it is."""
    data = text.encode()
    if len(data) > MAX_FILE_BYTES:
        return f"its draft would be {len(data):,} bytes, over the {MAX_FILE_BYTES:,} a catalog file can be"
    name = f"{paper_id}.yaml"
    root, problems = compose(name, data)
    if root is None:
        return f"its draft would not be valid ({problems[0].message})"
    content = parse_document(name, root)
    if content.problems:
        return f"its draft would not be valid ({content.problems[0].message})"
    papers = [(p.id, p.title, p.abstract) for p in content.papers]
    if content.objectives or content.benchmarks or papers != [(paper_id, entry.title, entry.abstract)]:
        return "its draft would not read back as the page's title and abstract alone"
    return None


def _planned_draft(entry: PageEntry, paper_id: str, path: Path, text: str) -> Planned:
    problem = draft_problem(text, entry, paper_id)
    if problem:
        return Planned(entry, "skipped", paper_id, path, reason=problem)
    return Planned(entry, "draft", paper_id, path, text)


def plan_import(
    entries: list[PageEntry],
    known: Mapping[str, str],
    target: Path,
    objectives: Mapping[str, Objective],
) -> ImportPlan:
    """The outcome of each entry: ``known`` maps the catalog's titles (any case) to paper ids."""
    titles = {title_key(title): pid for title, pid in known.items()}
    taken = set(titles.values())
    schema = schema_reference(target)
    plan = ImportPlan()
    for entry in entries:
        key = title_key(entry.title)
        if key in titles:
            plan.planned.append(Planned(entry, "present", titles[key]))
            continue
        paper_id = slug(entry.title, taken)
        titles[key] = paper_id
        path = target / f"{paper_id}.yaml"
        if path.exists():
            plan.planned.append(Planned(entry, "exists", paper_id, path))
            continue
        text = render_draft(entry, paper_id, dict(objectives), schema)
        plan.planned.append(_planned_draft(entry, paper_id, path, text))
    return plan
