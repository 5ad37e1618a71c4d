"""Generate a synthetic catalog: one file per paper, abstracts of about 200 words, 2 to 6
objectives, 2 to 20 results per paper, each with evidence that validates.

    python bench/generate.py 10000 /tmp/catalog-10k
    python bench/generate.py 10000 /tmp/catalog-10k-zipf --vocabulary zipf

Two vocabularies. ``topics`` (the default) draws every word of titles and abstracts from a
few dozen topic words, so nearly every word is in most papers: the worst case for search,
where each query word matches tens of thousands of papers. ``zipf`` draws them as a field's
abstracts have them: thousands of words, the n-th most common about 1/n as frequent as the
first (Zipf's law), function words on top, the field's terms next, a long tail of rare ones.
Both are deterministic: the same count and seed give the same files.
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


#: The most common words of English prose, most common first: the top of a Zipf vocabulary.
_FUNCTION_TEXT = (
    "the of and to in a is we for that on with as by this are our from be an which at can it "
    "or not these its than both while more such has also but into over when between each their "
    "under only two how most show use new across where all up per one three without"
)
_FUNCTION = list(dict.fromkeys(_FUNCTION_TEXT.split()))
#: A field's terms, roughly most common first: the middle of a Zipf vocabulary (the topic words
#: of the ``topics`` vocabulary among them, so the same queries find papers in both).
_TERMS_TEXT = (
    "model models method results performance training data learning large language tasks "
    "approach inference accuracy efficient evaluation benchmark propose outperforms framework "
    "reasoning reward policy quality cost latency memory optimization state art existing "
    "compute attention agent agents dataset datasets tradeoff pareto frontier objective "
    "objectives scaling transformer retrieval alignment quantization compression sparse "
    "distillation diffusion vision graph kernel optimizer schedule budget hardware cluster "
    "throughput energy carbon fairness safety robust planning token tokens gradient "
    "preference preferences human feedback fine tuning pretraining instruction prompt prompts "
    "context length window decoding speculative parallel pipeline tensor precision bit bits "
    "weights activations layers layer heads head expert experts mixture routing pruning "
    "structured unstructured rank adapter adapters lora parameter parameters efficient "
    "baseline baselines strong weak supervision reinforcement offline online exploration "
    "exploitation value function critic actor advantage estimation variance bias regret "
    "bandit multi armed search tree beam sampling temperature calibration uncertainty "
    "ensemble bayesian hyperparameter tuning neural architecture cnn image video audio speech "
    "text code math chain thought verifier verification generation generative adversarial "
    "robustness privacy differential federated clients communication edge device mobile "
    "accelerator gpu tpu cpu fpga power consumption carbon footprint emissions sustainability "
    "throughput serving batching caching cache kv paging scheduling queue requests load "
    "retrieval augmented knowledge base embedding embeddings vector index similarity "
    "contrastive self supervised representation encoder decoder autoregressive masked "
    "denoising score matching flow consistency steps sampler guidance classifier free fid "
    "inception precision recall coverage diversity novelty mode collapse stability "
    "convergence theory bound bounds lower upper optimal suboptimal regularization dropout "
    "normalization batch residual skip connection depth width scaling laws compute optimal "
    "chinchilla emergent abilities few shot zero shot transfer domain adaptation shift "
    "distribution generalization overfitting memorization contamination leakage toxicity "
    "harmlessness helpfulness honesty jailbreak red teaming oversight monitoring control "
    "interpretability probing circuits features sparse autoencoders steering editing"
)
_TERMS = _TERMS_TEXT.split()
#: Syllables the long tail of rare words is made of ("provanel", "kestrimor").
_SYLLABLES_TEXT = (
    "ka ve lo mi sar ten dor qui bra pel sto vin cor mal tri gen pho lex nor dra fen sul "
    "ri an el om ut is ar on pre pro tra con dis ver pal mer tor ix ul en"
)
_SYLLABLES = _SYLLABLES_TEXT.split()
ZIPF_WORDS = 6000
ZIPF_EXPONENT = 1.05


def zipf_vocabulary(size: int = ZIPF_WORDS, seed: int = 7) -> list[str]:
    """``size`` distinct words, most common first: function words, the field's terms, then a
    long tail of made-up words (deterministic)."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(_FUNCTION + _TERMS))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if len(word) >= 4 and word not in seen:
            seen.add(word)
            words.append(word)
    return words[:size]


class Vocabulary:
    """Where the words of titles and abstracts come from."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        if kind == "topics":
            self.words = WORDS
            self.title_words = WORDS
            self._weights: list[float] | None = None
            self._title_weights: list[float] | None = None
        else:
            self.words = zipf_vocabulary()
            self._weights = list(
                itertools.accumulate(1 / (r + 1) ** ZIPF_EXPONENT for r in range(len(self.words)))
            )
            # Titles skip function words: they are made of the field's terms and rarer words.
            skip = len(_FUNCTION)
            self.title_words = self.words[skip:]
            self._title_weights = list(
                itertools.accumulate(1 / (r + 1) ** ZIPF_EXPONENT for r in range(len(self.title_words)))
            )

    def draw(self, rng: random.Random, n: int, title: bool = False) -> list[str]:
        """``n`` words, as the vocabulary has them."""
        words = self.title_words if title else self.words
        weights = self._title_weights if title else self._weights
        if weights is None:
            return [rng.choice(words) for _ in range(n)]
        return rng.choices(words, cum_weights=weights, k=n)


TOPICS = Vocabulary("topics")


def sentence(rng: random.Random, n: int, vocabulary: Vocabulary = TOPICS) -> str:
    return " ".join(vocabulary.draw(rng, n)).capitalize() + "."


def paper(rng: random.Random, i: int, vocabulary: Vocabulary = TOPICS) -> str:
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
    filler = " ".join(
        sentence(rng, rng.randint(8, 16), vocabulary) for _ in range(max(4, 14 - len(statements)))
    )
    abstract = filler + " " + " ".join(statements)
    title = " ".join(vocabulary.draw(rng, rng.randint(4, 10), title=True)).title() + f" {i}"
    pairs = "\n".join(f"      - [{a}, {b}]" for a, b in itertools.pairwise(objectives))
    return (
        f"papers:\n  - id: p{i}\n    title: '{title}'\n    published: {rng.randint(2018, 2025)}\n"
        f"    authors_count: {rng.randint(1, 20)}\n    tags: [{rng.choice(TAGS)}, {rng.choice(TAGS)}]\n"
        f"    abstract: '{abstract}'\n    tradeoffs:\n{pairs}\n    results:\n" + "\n".join(results) + "\n"
    )


def generate(count: int, folder: Path, seed: int = 1, vocabulary: str = "topics") -> None:
    """Write ``count`` papers and the objectives they use into ``folder``; their words drawn
    from ``vocabulary`` (``topics`` or ``zipf``)."""
    rng = random.Random(seed)
    words = Vocabulary(vocabulary)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = "objectives:\n" + "".join(
        f"  {oid}: {{label: {label}, better: {better}, kind: {kind}}}\n"
        for oid, (label, better, kind) in OBJECTIVES.items()
    )
    (folder / "objectives.yaml").write_text(vocab)
    for i in range(count):
        (folder / f"p{i:06d}.yaml").write_text(paper(rng, i, words))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--vocabulary",
        choices=("topics", "zipf"),
        default="topics",
        help="topics: a few dozen words in every paper (search's worst case); zipf: thousands, "
        "as a field's abstracts have them",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed, args.vocabulary)
