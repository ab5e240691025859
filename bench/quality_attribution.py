"""Attribution quality on a labelled corpus: precision and recall per role, misses and false credits.

    python bench/quality_attribution.py [--corpus /work/shared/corpus/aeb] [--repeat 3]

Runs the offline core (`normalise(raw)` then `tag`) over `raw/*.txt` and compares with `labels.jsonl`
(see the corpus README), micro-averaged over (document, agency) pairs. Credited figures count only the
documents whose labels say every credit is visible in the raw text (`credited_visible_in_raw`).
Importable: `evaluate_attribution(corpus)` returns the report, `format_report(report)` renders it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirestream.core import NormalisedText, normalise, tag
from wirestream.schemas.attribution import Attribution

DEFAULT_CORPUS = Path("/work/shared/corpus/aeb")
ROLES = ("credited", "cited", "photo")
_LABEL_FIELD = {"credited": "credited", "cited": "cited", "photo": "photo_only"}


@dataclass(frozen=True, slots=True)
class Pair:
    doc: str
    agency: str
    evidence: str


@dataclass
class RoleScore:
    true_positives: int = 0
    false_positives: list[Pair] = field(default_factory=list)
    misses: list[Pair] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + len(self.false_positives)
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + len(self.misses)
        return self.true_positives / labelled if labelled else 1.0


@dataclass
class AttributionReport:
    documents: int
    credited_documents: int  # documents counted for `credited` (credited_visible_in_raw)
    scores: dict[str, RoleScore]
    credited_on_uncredited: list[str]  # ids of documents labelled with no credited agency that we credit
    raw_bytes: int
    normalised_bytes: int
    tag_seconds: float
    core_seconds: float

    @property
    def tag_mb_per_s(self) -> float:
        return self.raw_bytes / 1e6 / self.tag_seconds if self.tag_seconds else float("inf")

    @property
    def core_mb_per_s(self) -> float:
        return self.raw_bytes / 1e6 / self.core_seconds if self.core_seconds else float("inf")


def evaluate_attribution(corpus: Path = DEFAULT_CORPUS, *, repeat: int = 1) -> AttributionReport:
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    scores = {role: RoleScore() for role in ROLES}
    uncredited_hits: list[str] = []
    raw_bytes = normalised_bytes = 0
    tag_seconds = core_seconds = 0.0
    for label in labels:
        raw = (corpus / "raw" / f"{label['id']}.txt").read_text(encoding="utf-8")
        raw_bytes += len(raw.encode())
        doc, attribution, core_time, tag_time = _run(raw, repeat)
        normalised_bytes += len(doc.text.encode())
        core_seconds += core_time
        tag_seconds += tag_time
        for role in ROLES:
            if role == "credited" and not label["credited_visible_in_raw"]:
                continue
            _score(scores[role], label, role, attribution)
        if not label["credited"] and attribution.credited:
            uncredited_hits.append(label["id"])
    return AttributionReport(
        documents=len(labels),
        credited_documents=sum(1 for label in labels if label["credited_visible_in_raw"]),
        scores=scores,
        credited_on_uncredited=uncredited_hits,
        raw_bytes=raw_bytes,
        normalised_bytes=normalised_bytes,
        tag_seconds=tag_seconds,
        core_seconds=core_seconds,
    )


def _run(raw: str, repeat: int) -> tuple[NormalisedText, Attribution, float, float]:
    """The core's output on `raw`, and its best time over `repeat` runs (normalise + tag, tag alone)."""
    best_core = best_tag = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        doc = normalise(raw)
        t1 = time.perf_counter()
        attribution = tag(doc)
        t2 = time.perf_counter()
        best_core = min(best_core, t2 - t0)
        best_tag = min(best_tag, t2 - t1)
    return doc, attribution, best_core, best_tag


def _score(score: RoleScore, label: dict[str, Any], role: str, attribution: Attribution) -> None:
    expected = set(label[_LABEL_FIELD[role]])
    found = set(getattr(attribution, role))
    doc = label["id"][:8]
    score.true_positives += len(expected & found)
    for code in sorted(found - expected):
        score.false_positives.append(Pair(doc, code, _our_evidence(attribution, code)))
    for code in sorted(expected - found):
        score.misses.append(Pair(doc, code, label["evidence"].get(code, "")))


def _our_evidence(attribution: Attribution, code: str) -> str:
    for agency in attribution.agencies:
        if agency.code == code:
            e = agency.evidence[0]
            return f"{e.kind}: {e.text}"
    return ""


def format_report(report: AttributionReport) -> str:
    lines = [
        f"documents: {report.documents} (credited scored on {report.credited_documents} with credited_visible_in_raw)",
        "",
        f"{'role':<10}{'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for role in ROLES:
        s = report.scores[role]
        lines.append(
            f"{role:<10}{s.precision:>10.3f}{s.recall:>8.3f}{s.true_positives:>5}"
            f"{len(s.false_positives):>5}{len(s.misses):>5}"
        )
    lines.append("")
    lines.append(f"documents labelled with no credited agency that we credit: {len(report.credited_on_uncredited)}")
    lines.extend(f"  {doc_id[:8]}" for doc_id in report.credited_on_uncredited)
    for role in ROLES:
        s = report.scores[role]
        lines.extend(_pairs(f"{role}: false positives (our evidence)", s.false_positives))
        lines.extend(_pairs(f"{role}: misses (label evidence)", s.misses))
    lines.append("")
    lines.append(
        f"throughput: tag {report.tag_mb_per_s:.1f} MB/s, normalise+tag {report.core_mb_per_s:.1f} MB/s "
        f"of raw text ({report.raw_bytes / 1e6:.2f} MB raw, {report.normalised_bytes / 1e6:.2f} MB normalised)"
    )
    return "\n".join(lines)


def _pairs(title: str, pairs: Sequence[Pair]) -> Iterable[str]:
    if not pairs:
        return []
    return ["", f"{title}:"] + [f"  {p.doc} {p.agency:<9} {_one_line(p.evidence)}" for p in pairs]


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 110 else flat[:107] + "..."


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="time each document this many times, keep the best")
    args = parser.parse_args(argv)
    print(format_report(evaluate_attribution(args.corpus, repeat=args.repeat)))


if __name__ == "__main__":
    main()
