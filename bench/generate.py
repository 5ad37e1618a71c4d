"""Generate a realistic synthetic catalog: one file per paper, abstracts of about 200 words,
2 to 6 objectives, 2 to 20 results per paper, each with evidence that validates.

    python bench/generate.py 10000 /tmp/catalog-10k
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

OBJECTIVES = {
    "b_accuracy": ("Accuracy", "higher", "quality"),
    "b_latency": ("Latency", "lower", "speed"),
    "b_memory": ("Memory", "lower", "memory"),
    "b_tokens": ("Tokens", "lower", "cost"),
    "b_energy": ("Energy", "lower", "cost"),
    "b_reward": ("Reward", "higher", "quality"),
    "b_fid": ("FID", "lower", "quality"),
    "b_throughput": ("Throughput", "higher", "speed"),
}
_PROSE = (
    "model training inference quantization sparse attention diffusion alignment reward policy "
    "gradient frontier pareto efficient scaling compression distillation benchmark latency memory "
    "accuracy token reasoning retrieval agent planning robust evaluation dataset transformer "
    "language vision graph kernel optimizer schedule budget objective tradeoff hardware cluster "
    "throughput energy carbon fairness safety"
)
WORDS = _PROSE.split()
TAGS = [
    "quantization",
    "alignment",
    "diffusion",
    "reasoning efficiency",
    "multi-objective RL",
    "retrieval",
    "agents",
    "scaling laws",
    "efficient inference",
    "evaluation",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def paper(rng: random.Random, i: int) -> str:
    objectives = rng.sample(sorted(OBJECTIVES), rng.randint(2, 6))
    results = []
    statements = []
    for r in range(rng.randint(2, 20)):
        x, y = rng.sample(objectives, 2)
        vx, vy = round(rng.uniform(0.1, 100), 2), round(rng.uniform(0.1, 100), 2)
        method = f"Method{rng.randint(1, 50)}-v{r}"
        statement = f"{method} reaches {vx} {OBJECTIVES[x][0].lower()} and {vy} {OBJECTIVES[y][0].lower()}"
        statements.append(statement + ".")
        values = f"{{{x}: {vx}, {y}: {vy}}}"
        results.append(f"      - method: {method}\n        values: {values}\n        evidence: {statement}")
    filler = " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(max(4, 14 - len(statements))))
    abstract = filler + " " + " ".join(statements)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10))).title() + f" {i}"
    pairs = "\n".join(f"      - [{a}, {b}]" for a, b in itertools.pairwise(objectives))
    return (
        f"papers:\n  - id: p{i}\n    title: '{title}'\n    published: {rng.randint(2018, 2025)}\n"
        f"    authors_count: {rng.randint(1, 20)}\n    tags: [{rng.choice(TAGS)}, {rng.choice(TAGS)}]\n"
        f"    abstract: '{abstract}'\n    tradeoffs:\n{pairs}\n    results:\n" + "\n".join(results) + "\n"
    )


def generate(count: int, folder: Path, seed: int = 1) -> None:
    """Write ``count`` papers and the objectives they use into ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = "objectives:\n" + "".join(
        f"  {oid}: {{label: {label}, better: {better}, kind: {kind}}}\n"
        for oid, (label, better, kind) in OBJECTIVES.items()
    )
    (folder / "objectives.yaml").write_text(vocab)
    for i in range(count):
        (folder / f"p{i:06d}.yaml").write_text(paper(rng, i))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    generate(args.count, args.folder)
