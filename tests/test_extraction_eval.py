"""Floors for the extraction benchmark over the labelled fictional set."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "extraction.py"

# Measured figures are in benchmarks/README.md; floors sit a little below them
# so a regression fails while a small, explained trade-off does not.
FLOORS = {
    "precision": 0.85,
    "recall": 0.85,
    "speaker_accuracy": 0.9,
    "check_worthy_recall": 0.75,
    "not_claim_rejection": 0.9,
    "metadata_accuracy": 1.0,
}


def _load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def report() -> dict:
    benchmark = _load_benchmark()
    return benchmark.evaluate(BENCHMARK.parent / "extraction_set")


def test_the_set_is_big_and_varied_enough(report: dict) -> None:
    names = [a["name"] for a in report["articles"]]
    assert len(names) >= 8
    assert report["overall"]["expected"] >= 40


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_extraction_meets_its_floor(report: dict, figure: str) -> None:
    assert report["overall"][figure] >= FLOORS[figure], report["overall"]
