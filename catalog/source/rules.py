"""The rules that span files: one definition per objective, known references, unique paper ids.

This module is their one home. The in-memory check (``catalog.source.validate``) applies them
to parsed files; the store's update (``catalog.store.checks``) detects breaches cheaply in SQL
and over the files table with the same helpers, then words them here from the files involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from catalog.errors import Problem
from catalog.model import Objective, Paper
from catalog.source.document import FileContent, Ref
from catalog.suggest import suggest

Place = TypeVar("Place")


def merge_objectives(
    defined: Iterable[tuple[Objective, Place]],
) -> tuple[dict[str, Objective], list[tuple[Objective, Place, Place]]]:
    """Objectives defined in catalog order, merged: the first definition of an id wins.

    Returns the vocabulary and each definition that differs from the first of its id, as
    (that definition, its place, the first one's place). A repeat that agrees is no conflict.
    """
    merged: dict[str, Objective] = {}
    first_place: dict[str, Place] = {}
    conflicts: list[tuple[Objective, Place, Place]] = []
    for objective, where in defined:
        first = merged.setdefault(objective.id, objective)
        if first is objective:
            first_place[objective.id] = where
        elif first != objective:
            conflicts.append((objective, where, first_place[objective.id]))
    return merged, conflicts


def kinds_of(objectives: Mapping[str, Objective]) -> set[str]:
    """Every kind the vocabulary names."""
    return {o.kind for o in objectives.values() if o.kind}


def is_known(name: str, kinds_allowed: bool, objectives: Mapping[str, Objective], kinds: set[str]) -> bool:
    """Whether a reference names an objective (or, where kinds are allowed, a kind)."""
    return name in objectives or (kinds_allowed and name in kinds)


def _unknown_ref(ref: Ref, objectives: Mapping[str, Objective], kinds: set[str]) -> Problem:
    aliases = {alias.lower(): o.id for o in objectives.values() for alias in o.aliases}
    if ref.name.lower() in aliases:
        hint = f" (did you mean {aliases[ref.name.lower()]!r}?)"
    else:
        hint = suggest(ref.name, list(objectives) + (sorted(kinds) if ref.kinds_allowed else []))
    what = "objective or kind" if ref.kinds_allowed else "objective"
    return Problem(
        ref.file,
        ref.line,
        ref.col,
        f"unknown {what} {ref.name!r}{hint}: define it under `objectives:` or use a known id",
    )


def unique_papers(contents: Iterable[FileContent]) -> tuple[list[Paper], list[Problem]]:
    """The papers in order, each id once; a repeated id is a problem naming both places."""
    papers: list[Paper] = []
    problems: list[Problem] = []
    first_place: dict[str, Problem] = {}
    for content in contents:
        for paper, at in zip(content.papers, content.paper_places):
            if paper.id in first_place:
                was = first_place[paper.id]
                problems.append(
                    Problem(
                        at.file,
                        at.line,
                        at.col,
                        f"duplicate paper id {paper.id!r}, also at {was.file}:{was.line}:{was.col}: "
                        "ids must be unique",
                    )
                )
                continue
            first_place[paper.id] = at
            papers.append(paper)
    return papers, problems


def problems_across(
    contents: list[FileContent], objectives: Mapping[str, Objective] | None = None
) -> list[Problem]:
    """Every problem of these files (in catalog order), on their own and across them, sorted.

    ``objectives`` is the whole catalog's vocabulary when ``contents`` are only some of its
    files: those a problem was detected in, which is all it takes to word it.
    """
    problems = [p for content in contents for p in content.problems]
    merged, conflicts = merge_objectives(o for content in contents for o in content.objectives)
    for objective, at, was in conflicts:
        problems.append(
            Problem(
                at.file,
                at.line,
                at.col,
                f"objective {objective.id!r} is already defined differently at "
                f"{was.file}:{was.line}:{was.col}: keep one definition",
            )
        )
    vocabulary = merged if objectives is None else objectives
    kinds = kinds_of(vocabulary)
    for content in contents:
        for ref in content.refs:
            if not is_known(ref.name, ref.kinds_allowed, vocabulary, kinds):
                problems.append(_unknown_ref(ref, vocabulary, kinds))
    problems.extend(unique_papers(contents)[1])
    return sorted(set(problems))
