"""Attribution quality on a labelled corpus: precision and recall per role, misses and false credits.

    python bench/quality_attribution.py [--corpus /work/shared/corpus/aeb] [--repeat 3]

Runs the offline core over a corpus and compares with `labels.jsonl` (see the corpus README),
micro-averaged over (document, agency) pairs. The text path is `tag(normalise(raw))` on `raw/*.txt`; the
HTML path reads `html/*.html.gz` as the worker does (`read_webpage`, then `tag` of the page's text with
its metadata). Credited figures on the text path count only the documents whose labels say every credit
is visible in the raw text (`credited_visible_in_raw`).
Importable: `evaluate_attribution(corpus, path=...)` returns the report, `format_report(report)` renders it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wirestream.core import normalise, tag
from wirestream.core.webpage import read_webpage
from wirestream.schemas.attribution import Attribution

Path_ = Literal["text", "html"]

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "aeb"
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
    corpus: str
    path: str
    documents: int
    credited_documents: int  # documents counted for `credited` (credited_visible_in_raw)
    scores: dict[str, RoleScore]
    by_language: dict[str, RoleScore]  # credited, per labelled language
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


def evaluate_attribution(corpus: Path = DEFAULT_CORPUS, *, repeat: int = 1, path: Path_ = "text") -> AttributionReport:
    labels = [json.loads(line) for line in (corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    scores = {role: RoleScore() for role in ROLES}
    by_language: dict[str, RoleScore] = {}
    uncredited_hits: list[str] = []
    raw_bytes = normalised_bytes = 0
    tag_seconds = core_seconds = 0.0
    for label in labels:
        if path == "text":
            source = (corpus / "raw" / f"{label['id']}.txt").read_text(encoding="utf-8")
        else:
            with gzip.open(corpus / "html" / f"{label['id']}.html.gz", "rt", encoding="utf-8") as f:
                source = f.read()
        raw_bytes += len(source.encode())
        normalised, attribution, core_time, tag_time = _run(source, repeat, path)
        normalised_bytes += normalised
        core_seconds += core_time
        tag_seconds += tag_time
        for role in ROLES:
            if role == "credited" and path == "text" and not label["credited_visible_in_raw"]:
                continue
            _score(scores[role], label, role, attribution)
            if role == "credited":
                _score(by_language.setdefault(label.get("lang") or "?", RoleScore()), label, role, attribution)
        if not label["credited"] and attribution.credited:
            uncredited_hits.append(label["id"])
    return AttributionReport(
        corpus=corpus.name,
        path=path,
        documents=len(labels),
        credited_documents=sum(1 for label in labels if label["credited_visible_in_raw"]),
        scores=scores,
        by_language=by_language,
        credited_on_uncredited=uncredited_hits,
        raw_bytes=raw_bytes,
        normalised_bytes=normalised_bytes,
        tag_seconds=tag_seconds,
        core_seconds=core_seconds,
    )


def _run(source: str, repeat: int, path: Path_) -> tuple[int, Attribution, float, float]:
    """Bytes of normalised text that attribution read, the attribution, and the best time over
    `repeat` runs (reading + tag, tag alone)."""
    best_core = best_tag = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        if path == "text":
            doc, metadata = normalise(source), ()
        else:
            page = read_webpage(source)
            doc, metadata = page.page, page.metadata.credits
        t1 = time.perf_counter()
        attribution = tag(doc, metadata=metadata)
        t2 = time.perf_counter()
        best_core = min(best_core, t2 - t0)
        best_tag = min(best_tag, t2 - t1)
    return len(doc.text.encode()), attribution, best_core, best_tag


def _score(score: RoleScore, label: dict[str, Any], role: str, attribution: Attribution) -> None:
    expected = set(label[_LABEL_FIELD[role]])
    found = set(getattr(attribution, role))
    doc = label["id"][:24]
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
    for credit in attribution.metadata:
        if credit.code == code:
            return f"metadata {credit.field}: {credit.value}"
    return ""


def format_report(report: AttributionReport) -> str:
    lines = [
        f"{report.corpus}, {report.path} path: {report.documents} documents"
        + (
            f" (credited scored on {report.credited_documents} with credited_visible_in_raw)"
            if report.path == "text"
            else ""
        ),
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
    lines.append(f"credited by language  {'precision':>10}{'recall':>8}{'tp':>5}{'fp':>5}{'fn':>5}")
    for lang, s in sorted(
        report.by_language.items(), key=lambda kv: (-kv[1].true_positives - len(kv[1].misses), kv[0])
    ):
        if s.true_positives or s.false_positives or s.misses:
            lines.append(
                f"  {lang:<19}{s.precision:>10.3f}{s.recall:>8.3f}{s.true_positives:>5}"
                f"{len(s.false_positives):>5}{len(s.misses):>5}"
            )
    lines.append("")
    lines.append(f"documents labelled with no credited agency that we credit: {len(report.credited_on_uncredited)}")
    lines.extend(f"  {doc_id[:24]}" for doc_id in report.credited_on_uncredited)
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
    parser.add_argument("--path", choices=("text", "html"), default="text")
    args = parser.parse_args(argv)
    print(format_report(evaluate_attribution(args.corpus, repeat=args.repeat, path=args.path)))


if __name__ == "__main__":
    main()
