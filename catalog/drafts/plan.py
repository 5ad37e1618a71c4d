"""Decide what an import writes: a draft per new paper, nothing for a paper the catalog has.

Pure planning over plain data (the page's entries, the titles already known, the target
folder), so it is tested without a terminal; the command line prints the plan's outcomes and
writes its drafts.
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
from catalog.text import squash_space

Outcome = Literal["draft", "present", "exists"]


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
        plan.planned.append(Planned(entry, "draft", paper_id, path, text))
    return plan
