"""Extraction quality on the labelled set in benchmarks/extraction_set/.

    python benchmarks/extraction.py [SET_DIR]

Each NN-name.txt article has NN-name.expected.json with its metadata, the
claims a fact-checker would log (text and speaker) and statements that must
not come out as check-worthy. An extracted candidate matches an expected
claim when similarity() of their texts is at least MATCH_THRESHOLD; matching
is one-to-one, best pairs first. Figures:

- recall: expected claims matched by any candidate, whatever its score;
- precision: check-worthy candidates (score >= CHECK_WORTHY) that match an
  expected claim — low-scored candidates are shown to the fact-checker as
  opinions to discard, so they are not counted against precision;
- speaker accuracy: matched claims whose speaker is the expected one;
- check-worthy recall: expected claims matched by a check-worthy candidate;
- not-claim rejection: not_claims that no check-worthy candidate matches;
- metadata accuracy: source, title and published_at read correctly.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from factcheck.extraction import (  # noqa: E402  (needs the repo root on sys.path)
    extract_candidates,
    normalize_name,
    read_article,
    similarity,
)

MATCH_THRESHOLD = 0.6
CHECK_WORTHY = 0.4
DEFAULT_SET = Path(__file__).resolve().parent / "extraction_set"

_COUNTERS = (
    "expected",
    "matched",
    "candidates",
    "check_worthy",
    "check_worthy_matched",
    "check_worthy_recalled",
    "speaker_right",
    "not_claims",
    "not_claims_rejected",
    "metadata_fields",
    "metadata_right",
)


def _match(texts: list[str], wanted: list[str]) -> dict[int, int]:
    """One-to-one matches, wanted index -> text index, best similarity first."""
    pairs = sorted(
        (
            (similarity(text, want), t, w)
            for t, text in enumerate(texts)
            for w, want in enumerate(wanted)
        ),
        reverse=True,
    )
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, t, w in pairs:
        if score < MATCH_THRESHOLD:
            break
        if w not in matched and t not in used:
            matched[w] = t
            used.add(t)
    return matched


def _metadata_right(article: object, expected: dict) -> list[bool]:
    published = getattr(article, "published_at", None)
    want_date = expected.get("published_at")
    return [
        getattr(article, "source", None) == expected.get("source"),
        getattr(article, "title", None) == expected.get("title"),
        (published.strftime("%Y-%m-%dT%H:%M") if isinstance(published, datetime) else None)
        == want_date,
    ]


def evaluate_article(article_path: Path, expected: dict) -> dict:
    article = read_article(article_path.read_bytes(), filename=article_path.name)
    candidates = extract_candidates(article)
    claims = expected["claims"]
    matches = _match([c.text for c in candidates], [c["text"] for c in claims])
    speaker_right = sum(
        normalize_name(candidates[t].speaker or "") == normalize_name(claims[w]["speaker"] or "")
        for w, t in matches.items()
    )
    check_worthy = [i for i, c in enumerate(candidates) if c.score >= CHECK_WORTHY]
    matched_candidates = set(matches.values())
    not_claims = expected.get("not_claims", [])
    leaked = _match([candidates[i].text for i in check_worthy], not_claims)
    metadata = _metadata_right(article, expected)
    return {
        "name": article_path.stem,
        "expected": len(claims),
        "matched": len(matches),
        "candidates": len(candidates),
        "check_worthy": len(check_worthy),
        "check_worthy_matched": len(matched_candidates & set(check_worthy)),
        "check_worthy_recalled": sum(
            candidates[t].score >= CHECK_WORTHY for t in matched_candidates
        ),
        "speaker_right": speaker_right,
        "not_claims": len(not_claims),
        "not_claims_rejected": len(not_claims) - len(leaked),
        "metadata_fields": len(metadata),
        "metadata_right": sum(metadata),
        "missed": [claims[w]["text"] for w in range(len(claims)) if w not in matches],
        "wrong_speaker": [
            (claims[w]["text"], candidates[t].speaker)
            for w, t in matches.items()
            if normalize_name(candidates[t].speaker or "")
            != normalize_name(claims[w]["speaker"] or "")
        ],
        "leaked_not_claims": [not_claims[w] for w in leaked],
    }


def _ratios(counts: dict) -> dict[str, float]:
    def ratio(part: str, whole: str) -> float:
        return counts[part] / counts[whole] if counts[whole] else 1.0

    return {
        "precision": ratio("check_worthy_matched", "check_worthy"),
        "recall": ratio("matched", "expected"),
        "speaker_accuracy": ratio("speaker_right", "matched"),
        "check_worthy_recall": ratio("check_worthy_recalled", "expected"),
        "not_claim_rejection": ratio("not_claims_rejected", "not_claims"),
        "metadata_accuracy": ratio("metadata_right", "metadata_fields"),
    }


def evaluate(set_dir: Path | str = DEFAULT_SET) -> dict:
    """Per-article and overall figures for the labelled set in `set_dir`."""
    set_dir = Path(set_dir)
    articles = []
    for expected_path in sorted(set_dir.glob("*.expected.json")):
        article_path = expected_path.with_name(expected_path.name.replace(".expected.json", ".txt"))
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        result = evaluate_article(article_path, expected)
        result.update(_ratios(result))
        articles.append(result)
    totals = {key: sum(a[key] for a in articles) for key in _COUNTERS}
    return {
        "articles": articles,
        "overall": {**totals, **_ratios(totals)},
        "thresholds": {"match": MATCH_THRESHOLD, "check_worthy": CHECK_WORTHY},
    }


def _print(report: dict) -> None:
    columns = ("prec", 5), ("recall", 6), ("speaker", 7), ("cw-rec", 6), ("reject", 6), ("meta", 5)
    header = f"{'article':28} " + " ".join(f"{name:>{width}}" for name, width in columns)
    print(header)
    print("-" * len(header))
    rows = [*report["articles"], {"name": "OVERALL", **report["overall"]}]
    for row in rows:
        print(
            f"{row['name'][:28]:28} {row['precision']:5.2f} {row['recall']:6.2f} "
            f"{row['speaker_accuracy']:7.2f} {row['check_worthy_recall']:6.2f} "
            f"{row['not_claim_rejection']:6.2f} {row['metadata_accuracy']:5.2f}"
        )
    for article in report["articles"]:
        for text in article["missed"]:
            print(f"  missed   {article['name']}: {text}")
        for text, speaker in article["wrong_speaker"]:
            print(f"  speaker  {article['name']}: {text} -> {speaker}")
        for text in article["leaked_not_claims"]:
            print(f"  leaked   {article['name']}: {text}")
    thresholds = report["thresholds"]
    print(
        f"\nmatch: similarity >= {thresholds['match']}; "
        f"check-worthy: score >= {thresholds['check_worthy']}"
    )


def main(argv: list[str]) -> int:
    set_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_SET
    _print(evaluate(set_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
