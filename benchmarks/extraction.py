"""Extraction quality on the fictional set and on the real set, and throughput.

    python benchmarks/extraction.py [SET_DIR] [--pages DIR] [--throughput [N]]

The real sets (benchmarks/real_set, dev2_set and heldout_set, each an
annotations.json) are described in benchmarks/README.md and evaluated by `evaluate_real`; the rest of this
docstring is about the fictional set.

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
import os
import re
import subprocess
import sys
from collections import defaultdict
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
from factcheck.extraction.scoring import WORTH_CHECKING  # noqa: E402
from factcheck.extraction.sentences import iter_sentences, split_sentences  # noqa: E402

MATCH_THRESHOLD = 0.6
CHECK_WORTHY = WORTH_CHECKING
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


# -- the real set ---------------------------------------------------------

REAL_SET = Path(__file__).resolve().parent / "real_set" / "annotations.json"
# Where the pages are read from when no --pages folder is given: a bare git
# copy of mozilla/readability (the pages are not kept in this repository).
READABILITY_GIT = Path(
    os.environ.get("READABILITY_GIT_DIR", "/work/.mirror/mozilla+readability/repo")
)
# The second real set, held out from tuning: postlight/parser's fixture pages,
# read from a bare git copy of that repository the same way.
HELDOUT_SET = Path(__file__).resolve().parent / "heldout_set" / "annotations.json"
POSTLIGHT_GIT = Path(os.environ.get("POSTLIGHT_GIT_DIR", "/work/.mirror/postlight+parser/repo"))
# The third real set, for tuning: other postlight/parser fixtures (not those of
# the held-out set), read from the same bare git copy.
DEV2_SET = Path(__file__).resolve().parent / "dev2_set" / "annotations.json"
TOP = 5
_NAIVE_CUE = re.compile(r"[\"“”«»]|\b(?:said|says)\b")


def _page(
    pages: Path | None, spec: dict, name: str, git_dir: Path = READABILITY_GIT
) -> bytes | None:
    if pages is not None:
        path = pages / f"{name}.html"
        return path.read_bytes() if path.exists() else None
    if not git_dir.exists():
        return None
    found = subprocess.run(
        [
            "git",
            f"--git-dir={git_dir}",
            "show",
            f"{spec['commit']}:{spec['path'].format(name=name)}",
        ],
        capture_output=True,
        check=False,
    )
    return found.stdout if found.returncode == 0 else None


def _speaker_right(got: str | None, wanted: list[str]) -> bool:
    folded = normalize_name(got or "")
    return bool(folded) and any(folded == normalize_name(w) for w in wanted)


def _matches_any(text: str, claims: list[dict]) -> bool:
    return any(similarity(text, c["text"]) >= MATCH_THRESHOLD for c in claims)


class _Naive:
    """The baseline: every sentence with a quote mark or "said"/"says", in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.speaker = None
        self.score = 0.0
        self.frame = "naive"


def _naive_candidates(body: str) -> list[_Naive]:
    return [_Naive(s) for s in split_sentences(body) if _NAIVE_CUE.search(s)]


def _score_article(candidates: list, ranked: list, claims: list[dict]) -> dict:
    matches = _match([c.text for c in candidates], [c["text"] for c in claims])
    top = ranked[:TOP]
    return {
        "expected": len(claims),
        "matched": len(matches),
        "speaker_right": sum(
            _speaker_right(candidates[t].speaker, claims[w]["speaker"]) for w, t in matches.items()
        ),
        "top": len(top),
        "top_right": sum(_matches_any(c.text, claims) for c in top),
        "matches": matches,
    }


def evaluate_real(
    pages: Path | None = None, path: Path = REAL_SET, git_dir: Path = READABILITY_GIT
) -> dict | None:
    """Figures on a real set, overall and per split; None when its pages cannot be read."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    records = []
    for entry in spec["articles"]:
        data = _page(pages, spec["pages"], entry["name"], git_dir)
        if data is None:
            return None
        records.append(_real_article(entry, data))
    report: dict = {"splits": {}, "records": records}
    splits = sorted({r["split"] for r in records})
    for split in ("all", *(splits if len(splits) > 1 else ())):
        chosen = [r for r in records if split == "all" or r["split"] == split]
        sums: dict[str, dict[str, int]] = {"importer": defaultdict(int), "naive": defaultdict(int)}
        for record in chosen:
            for key in ("importer", "naive"):
                for field, value in record[key].items():
                    sums[key][field] += value
        report["splits"][split] = sums
    patterns: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        for name, row in record["patterns"].items():
            for field, value in row.items():
                patterns[name][field] += value
    report["patterns"] = patterns
    return report


def _real_article(entry: dict, data: bytes) -> dict:
    article = read_article(data, filename=f"{entry['name']}.html")
    candidates = extract_candidates(article)
    published = article.published_at.strftime("%Y-%m-%d") if article.published_at else None
    record: dict = {
        "name": entry["name"],
        "split": entry.get("split", "heldout"),
        "title": article.title,
        "published": published,
        "want_title": entry["title"],
        "want_published": entry["published"],
        "patterns": defaultdict(lambda: defaultdict(int)),
        "misses": [],
    }
    title_right = _same_title(article.title, entry["title"])
    date_right = published in (entry["published"] or [None])
    news = entry["kind"] == "news"
    for key, got in (("importer", candidates), ("naive", _naive_candidates(article.body))):
        counts: dict[str, int] = defaultdict(int)
        counts["pages"] = 1
        counts["title_right"] = int(title_right)
        counts["date_right"] = int(date_right)
        record[key] = counts
        if not news:
            counts["other_candidates"] = len(got)
            continue
        found = _score_article(got, got, entry["claims"])
        matches = found.pop("matches")
        counts.update(found)
        counts["articles"] = 1
        if key != "importer":
            continue
        for w, claim in enumerate(entry["claims"]):
            row = record["patterns"][claim["pattern"]]
            row["expected"] += 1
            if w not in matches:
                record["misses"].append(f"missed   [{claim['pattern']}] {claim['text'][:90]}")
                continue
            row["matched"] += 1
            candidate = got[matches[w]]
            if _speaker_right(candidate.speaker, claim["speaker"]):
                row["speaker_right"] += 1
            else:
                record["misses"].append(
                    f"speaker  {claim['text'][:50]} -> {candidate.speaker} "
                    f"(want {claim['speaker'][0]})"
                )
        for c in got[:TOP]:
            if not _matches_any(c.text, entry["claims"]):
                record["misses"].append(f"top5-not {c.score:.2f} {c.text[:90]}")
    if not title_right:
        record["misses"].append(f"title    {article.title!r} (want {entry['title']!r})")
    if not date_right:
        record["misses"].append(f"date     {published} (want {entry['published']})")
    return record


def _same_title(got: str, want: str | list[str]) -> bool:
    """Equal (to one of the accepted headlines) but for case, diacritics and quote marks."""
    quotes = str.maketrans("“”‘’«»", '""\'\'""')
    wanted = [want] if isinstance(want, str) else want
    return any(
        normalize_name(got.translate(quotes)) == normalize_name(w.translate(quotes)) for w in wanted
    )


def _real_ratios(row: dict) -> dict[str, float]:
    def ratio(part: str, whole: str) -> float:
        return row.get(part, 0) / row[whole] if row.get(whole) else float("nan")

    return {
        "recall": ratio("matched", "expected"),
        "speaker_accuracy": ratio("speaker_right", "matched"),
        "precision_at_5": ratio("top_right", "top"),
        "title_accuracy": ratio("title_right", "pages"),
        "date_accuracy": ratio("date_right", "pages"),
    }


def _print_real(
    report: dict | None,
    verbose: str | None,
    heading: str = "Real set (benchmarks/real_set, mozilla/readability test pages)",
    missing: str = "give --pages DIR or READABILITY_GIT_DIR",
) -> None:
    print(f"\n== {heading} ==")
    if report is None:
        print(f"  pages not found: {missing} (see README.md)")
        return
    for split, sums in report["splits"].items():
        importer = _real_ratios(sums["importer"])
        naive = _real_ratios(sums["naive"])
        print(
            f"\n  [{split}] {sums['importer']['articles']} news articles, "
            f"{sums['importer']['expected']} claims, "
            f"{sums['importer']['pages'] - sums['importer']['articles']} pages not news"
        )
        print(f"  {'figure':18} {'importer':>9} {'naive':>9}")
        for figure in (
            "recall",
            "speaker_accuracy",
            "precision_at_5",
            "title_accuracy",
            "date_accuracy",
        ):
            shown = (
                f"{naive[figure]:9.2f}" if figure in ("recall", "precision_at_5") else "        -"
            )
            print(f"  {figure:18} {importer[figure]:9.2f} {shown}")
        print(
            f"  candidates on pages that are not news: importer "
            f"{sums['importer']['other_candidates']}, naive {sums['naive']['other_candidates']}"
        )
    print(f"\n  {'pattern':16} {'claims':>6} {'recall':>7} {'speaker':>8}")
    for name, row in sorted(report["patterns"].items()):
        ratios = _real_ratios(row)
        print(
            f"  {name:16} {row['expected']:6} {ratios['recall']:7.2f} "
            f"{ratios['speaker_accuracy']:8.2f}"
        )
    if verbose is None:
        return
    for record in report["records"]:
        if verbose in ("all", record["split"]):
            for line in record["misses"]:
                print(f"  {record['name']:14} {line}")


def main(argv: list[str]) -> int:
    args = argv[1:]
    verbose = None
    for flag, split in (("-v", "dev"), ("-vv", "all")):
        if flag in args:
            verbose = split
            args.remove(flag)
    heldout_misses = "--heldout-misses" in args
    if heldout_misses:
        args.remove("--heldout-misses")
    pages = None
    if "--pages" in args:
        at = args.index("--pages")
        pages = Path(args[at + 1])
        del args[at : at + 2]
    if "--throughput" in args:
        at = args.index("--throughput")
        count = int(args[at + 1]) if len(args) > at + 1 and args[at + 1].isdigit() else 330_000
        return throughput(count)
    set_dir = Path(args[0]) if args else DEFAULT_SET
    print("== Fictional set (benchmarks/extraction_set) ==")
    _print(evaluate(set_dir))
    _print_real(evaluate_real(pages), verbose)
    _print_real(
        evaluate_real(None, DEV2_SET, POSTLIGHT_GIT),
        "all" if verbose else None,
        "Second tuning set (benchmarks/dev2_set, other postlight/parser fixtures)",
        "set POSTLIGHT_GIT_DIR",
    )
    # The held-out set's misses are printed only on request (--heldout-misses):
    # looking at them while tuning would make it a second tuning set.
    _print_real(
        evaluate_real(None, HELDOUT_SET, POSTLIGHT_GIT),
        "heldout" if heldout_misses else None,
        "Held-out real set (benchmarks/heldout_set, postlight/parser fixtures; not tuned on)",
        "set POSTLIGHT_GIT_DIR",
    )
    return 0


def generated_text(sentences: int) -> str:
    """A long text of invented news sentences: the fictional set's paragraphs, repeated
    with their numbers and names varied so that repeats are not merged away."""
    paragraphs = []
    for path in sorted(DEFAULT_SET.glob("*.txt")):
        article = read_article(path.read_bytes(), filename=path.name)
        if article.language == "en":
            paragraphs.extend(article.body.split("\n\n"))
    per_paragraph = [max(1, len(split_sentences(p))) for p in paragraphs]
    out: list[str] = []
    total = 0
    round_ = 0
    while total < sentences:
        shift = round_
        for paragraph, count in zip(paragraphs, per_paragraph, strict=True):
            varied = re.sub(r"\d+", lambda m, s=shift: str(int(m.group()) + s), paragraph)
            out.append(varied)
            total += count
            if total >= sentences:
                break
        round_ += 1
    return "Generated monitoring feed\n\n" + "\n\n".join(out)


def throughput(count: int) -> int:
    """Import a generated text of `count` sentences on one core; print the rate and memory."""
    import resource
    import time

    text = generated_text(count)
    started = time.process_time()
    wall = time.perf_counter()
    article = read_article(text)
    del text  # the article's body is the copy the importer keeps
    read_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sentences = sum(1 for _ in iter_sentences(article.body))
    split_time = time.process_time() - started
    candidates = extract_candidates(article)
    cpu = time.process_time() - started
    elapsed = time.perf_counter() - wall
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"text: {len(article.body) / 1e6:.1f} MB, {sentences} sentences, "
        f"{len(candidates)} candidates"
    )
    print(f"sentence splitting alone: {split_time:.1f} s CPU (counted twice in the total)")
    print(
        f"import (read + split + attribute + score + merge): {cpu:.1f} s CPU, "
        f"{elapsed:.1f} s wall; {sentences / cpu:.0f} sentences per second on one core"
    )
    print(
        f"peak memory (max RSS): {peak_mb:.0f} MB; {read_mb:.0f} MB once the text was read "
        f"(extraction added {peak_mb - read_mb:.0f} MB)"
    )
    goal = 300
    print(f"{count} sentences at this rate: {count / (sentences / cpu):.0f} s (goal < {goal} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
