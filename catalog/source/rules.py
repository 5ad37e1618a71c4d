"""The rules that span files: one definition per objective and benchmark, known references, unique ids.

This module is their one home. The in-memory check (``catalog.source.validate``) applies them
to parsed files; the store's update (``catalog.store.checks``) detects breaches cheaply in SQL
and over the files table with the same helpers, then words them here from the files involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from catalog.errors import Problem
from catalog.model import Benchmark, Objective, Paper
from catalog.source.reader import FileContent, Ref
from catalog.suggest import suggest

Place = TypeVar("Place")
Defined = TypeVar("Defined", Objective, Benchmark)


def merge_definitions(
    defined: Iterable[tuple[Defined, Place]],
) -> tuple[dict[str, Defined], list[tuple[Defined, Place, Place]]]:
    """A vocabulary's definitions (objectives, or benchmarks) in catalog order, merged: the first
    definition of an id wins.

    Returns the vocabulary and each definition that differs from the first of its id, as
    (that definition, its place, the first one's place). A repeat that agrees is no conflict.
    """
    merged: dict[str, Defined] = {}
    first_place: dict[str, Place] = {}
    conflicts: list[tuple[Defined, Place, Place]] = []
    for definition, where in defined:
        first = merged.setdefault(definition.id, definition)
        if first is definition:
            first_place[definition.id] = where
        elif first != definition:
            conflicts.append((definition, where, first_place[definition.id]))
    return merged, conflicts


def kinds_of(objectives: Mapping[str, Objective]) -> set[str]:
    """Every kind the vocabulary names."""
    return {o.kind for o in objectives.values() if o.kind}


def is_known(name: str, kinds_allowed: bool, objectives: Mapping[str, Objective], kinds: set[str]) -> bool:
    """Whether a reference names an objective (or, where kinds are allowed, a kind)."""
    return name in objectives or (kinds_allowed and name in kinds)


def needs_benchmark(name: str, objectives: Mapping[str, Objective]) -> bool:
    """Whether values of objective ``name`` must say the benchmark they were measured on."""
    objective = objectives.get(name)
    return objective is not None and objective.per_benchmark


def _unknown_ref(
    ref: Ref, vocabulary: Mapping[str, Objective] | Mapping[str, Benchmark], kinds: set[str]
) -> Problem:
    aliases = {alias.lower(): d.id for d in vocabulary.values() for alias in d.aliases}
    if ref.name.lower() in aliases:
        hint = f" (did you mean {aliases[ref.name.lower()]!r}?)"
    else:
        hint = suggest(ref.name, list(vocabulary) + (sorted(kinds) if ref.kinds_allowed else []))
    what = "objective or kind" if ref.kinds_allowed else ref.vocabulary[:-1]
    return Problem(
        ref.file,
        ref.line,
        ref.col,
        f"unknown {what} {ref.name!r}{hint}: define it under `{ref.vocabulary}:` or use a known id",
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
    contents: list[FileContent],
    objectives: Mapping[str, Objective] | None = None,
    benchmarks: Mapping[str, Benchmark] | None = None,
) -> list[Problem]:
    """Every problem of these files (in catalog order), on their own and across them, sorted.

    ``objectives`` and ``benchmarks`` are the whole catalog's vocabularies when ``contents``
    are only some of its files: those a problem was detected in, which is all it takes to
    word it.
    """
    problems = [p for content in contents for p in content.problems]
    objectives_here, conflicts = merge_definitions(o for c in contents for o in c.objectives)
    benchmarks_here, benchmark_conflicts = merge_definitions(b for c in contents for b in c.benchmarks)
    for what, found in (("objective", conflicts), ("benchmark", benchmark_conflicts)):
        for definition, at, was in found:
            problems.append(
                Problem(
                    at.file,
                    at.line,
                    at.col,
                    f"{what} {definition.id!r} is already defined differently at "
                    f"{was.file}:{was.line}:{was.col}: keep one definition",
                )
            )
    vocabulary = objectives_here if objectives is None else objectives
    known_benchmarks = benchmarks_here if benchmarks is None else benchmarks
    kinds = kinds_of(vocabulary)
    for content in contents:
        for ref in content.refs:
            if ref.vocabulary == "benchmarks":
                if ref.name not in known_benchmarks:
                    problems.append(_unknown_ref(ref, known_benchmarks, set()))
            elif not is_known(ref.name, ref.kinds_allowed, vocabulary, kinds):
                problems.append(_unknown_ref(ref, vocabulary, kinds))
            elif ref.unqualified and needs_benchmark(ref.name, vocabulary):
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        ref.col,
                        f"{ref.name!r} is measured per benchmark: write {ref.name}/BENCHMARK, naming "
                        f"the benchmark it was measured on (such as {ref.name}/mmlu) under `benchmarks:`",
                    )
                )
    problems.extend(unique_papers(contents)[1])
    return sorted(set(problems))
