"""Claim matching's pure rules: figures normalised, and what is never `same`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from factcheck.extraction.figures import Figure, compatible, extract
from factcheck.extraction.matching import Match, judge, read

ROOT = Path(__file__).resolve().parent.parent


def same(a: str, b: str) -> bool:
    return judge(read(a), read(b)).match == Match.SAME


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("4.1%", [Figure(4.1, "%")]),
        ("4.1 percent", [Figure(4.1, "%")]),
        ("four point one per cent", [Figure(4.1, "%")]),
        ("4,1 відсотка", [Figure(4.1, "%")]),
        ("€245m", [Figure(245e6, "EUR")]),
        ("245 million euros", [Figure(245e6, "EUR")]),
        ("EUR 245,000,000", [Figure(245e6, "EUR")]),
        ("€245 млн", [Figure(245e6, "EUR")]),
        ("two hundred and forty-five million euros", [Figure(245e6, "EUR")]),
        ("25 000 soldiers", [Figure(25000, "")]),
        ("25 тисяч військових", [Figure(25000, "")]),
        ("$3.5bn", [Figure(3.5e9, "USD")]),
        ("USD 3,500 million", [Figure(3.5e9, "USD")]),
        ("3,5 млрд долларов", [Figure(3.5e9, "USD")]),
        ("one and a half million tourists", [Figure(1.5e6, "")]),
        ("one of the best", []),
    ],
)
def test_figures_are_normalised(text, figures):
    assert list(extract(text).figures) == figures


def test_years_and_months_are_a_time_frame_not_a_figure():
    found = extract("Inflation reached 7.5% in March 2024.")
    assert found.figures == (Figure(7.5, "%"),)
    assert found.years == {2024} and found.months == {3}
    assert not compatible(found, extract("Inflation reached 7.5% in March 2023."))
    assert not compatible(found, extract("Inflation reached 7.5% in October 2024."))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Unemployment in Lirenia rose to 4.1% in 2024.",
            "In 2024 Lirenia's unemployment climbed to 4.1 per cent.",
        ),
        ("The stadium in Brellin cost €245m.", "The stadium in Brellin cost 245 million euros."),
        (
            "Безробіття в Лірені зросло до 4,1% у 2024 році.",
            "У 2024 році безробіття в Лірені зросло до 4,1 відсотка.",
        ),
    ],
)
def test_rewordings_and_figures_written_differently_are_the_same(a, b):
    assert same(a, b)


@pytest.mark.parametrize(
    ("a", "b", "reason"),
    [
        ("Unemployment rose to 4.1% in 2024.", "Unemployment rose to 3% in 2024.", "figure"),
        ("The bridge cost 245 million euros.", "The bridge cost 245 million dollars.", "figure"),
        (
            "Crime in Brellin fell by 12% last year.",
            "Crime in Brellin rose by 12% last year.",
            "direction",
        ),
        ("Brellin recorded 12% less crime.", "Brellin recorded 12% more crime.", "direction"),
        ("Inflation in Lirenia rose to 4.1%.", "Unemployment in Lirenia rose to 4.1%.", "subject"),
        ("Crime in Brellin fell by 12%.", "Crime in Port Ostra fell by 12%.", "place"),
        (
            "The port handled 2 million containers.",
            "The port never handled 2 million containers.",
            "negation",
        ),
    ],
)
def test_another_figure_direction_or_subject_is_never_the_same(a, b, reason):
    verdict = judge(read(a), read(b))
    assert verdict.match == Match.RELATED
    assert verdict.score <= 0.94
    assert verdict.reason


def test_the_evaluation_set_meets_its_goal_on_same_language_pairs():
    """A regression floor: benchmarks/matching.py on the pair set (figures in benchmarks/README.md)."""
    spec = importlib.util.spec_from_file_location(
        "matching_bench", ROOT / "benchmarks" / "matching.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    tally = bench.score(bench.load(bench.DEFAULT_SET))["[same-language]"]
    assert tally.pairs >= 150
    assert tally.true_same / tally.predicted_same >= 0.95
    assert tally.true_same / tally.expected_same >= 0.85
    assert tally.found / tally.findable >= 0.9


def test_unmatched_words_agree_with_the_pairwise_stem_rule() -> None:
    """The set lookups in ``_unmatched`` give what comparing every pair with
    ``_same_stem`` gives (exact words, or a prefix of four letters or more)."""
    import random

    from factcheck.extraction.matching import _same_stem, _unmatched

    rng = random.Random(7)

    def words() -> frozenset[str]:
        return frozenset(
            "".join(rng.choice("abcde") for _ in range(rng.randint(1, 8)))
            for _ in range(rng.randint(0, 8))
        )

    for _ in range(5000):
        left, right = words(), words()
        pairwise = {w for w in left - right if not any(_same_stem(w, o) for o in right)}
        assert _unmatched(left, right) == pairwise, (left, right)


@pytest.mark.parametrize(
    "text", ["Prices rose 5¹ percent.", "Area of 40 m² in 2024", "³⁴ cases", "①② items"]
)
def test_digit_like_signs_are_not_figures_and_never_fail(text: str) -> None:
    """Superscripts and circled numbers pass str.isdigit() but are not numbers."""
    extract(text)  # no ValueError
    assert judge(read(text), read(text)).score == 1.0
