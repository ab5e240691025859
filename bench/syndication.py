"""Syndication quality: `make bench-syndication` (reads ../shared/corpus unless --corpus is given).

    .venv/bin/python bench/syndication.py [--corpus ../shared/corpus] [--seed 7]

Builds the stream of `bench/syndication_corpus.py` (agency copies, edited copies, same-topic
articles, independent same-story pairs), enriches every article with wirestream's real
enrichment, runs the offline twin (`wirestream syndicate`'s code) over the enriched records in
publication order, and scores it:

* pair classification wholly / partially / non-derived: 3-class macro F1 (the METER corpus
  reference is 0.664, Clough et al. 2002), and derived-vs-not precision, recall and F1;
* false-positive rate on the independent same-story pairs (SemEval-2022 Task 8), and on the
  generated same-topic articles;
* uncredited agency copy: precision and recall over every article (a hit must name the agency);
* story clustering: adjusted Rand index against the true stories.

Then the same two streams go through the real stage on a local broker
(`bench/syndication_stage.py`; `--stage-partitions`, default 1; `--no-stage` skips it): its
records are scored the same way and compared with the twin's, which they must equal.

Writes `bench/out/syndication/enriched.jsonl` (the input, for `wirestream syndicate` or the stage)
and `report.json`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from math import comb
from pathlib import Path
from typing import Any

from syndication_corpus import T0, Stream, generate
from syndication_stage import run_stage

from wirestream.core.syndication import Params
from wirestream.enrich import InputMessage, enrich_message
from wirestream.errors import InvalidArticleError
from wirestream.syndication import Syndicator, encode, syndicate_lines

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "corpus"
OUT = HERE / "out" / "syndication"
CLASSES = ("wholly", "partially", "none")
TARGETS = {
    "derived_f1": (">=", 0.95),
    "semeval_fpr": ("<=", 0.01),
    "macro_f1": (">=", 0.85),
    "uncredited_precision": (">=", 0.95),
    "uncredited_recall": (">=", 0.90),
}


def enrich_stream(stream: Stream) -> tuple[list[bytes], dict[str, dict[str, Any]], int]:
    """Enriched records in publication order, by id; and how many articles were dead-lettered."""
    start = datetime.fromisoformat(T0)
    lines: list[bytes] = []
    records: dict[str, dict[str, Any]] = {}
    dropped = 0
    for doc in sorted(stream.docs, key=lambda d: d.minute):
        published = start + timedelta(minutes=doc.minute)
        envelope = json.dumps({"id": doc.id, "text": doc.text, "published_at": published.isoformat()}).encode()
        try:
            record = enrich_message(InputMessage(value=envelope), max_bytes=1 << 22, processed_at=published)
        except InvalidArticleError:
            dropped += 1
            continue
        line = record.model_dump_json().encode()
        lines.append(line)
        records[doc.id] = json.loads(line)
    return lines, records, dropped


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def adjusted_rand(truth: list[str], predicted: list[str]) -> float:
    n = len(truth)
    pairs = Counter(zip(truth, predicted, strict=True))
    index = sum(comb(c, 2) for c in pairs.values())
    a = sum(comb(c, 2) for c in Counter(truth).values())
    b = sum(comb(c, 2) for c in Counter(predicted).values())
    expected = a * b / comb(n, 2)
    best = (a + b) / 2
    return (index - expected) / (best - expected) if best != expected else 1.0


def score(stream: Stream, enriched: dict[str, dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    docs = {d.id: d for d in stream.docs if d.id in results}

    def predicted(doc_id: str, source_id: str) -> str:
        for a, b in ((doc_id, source_id), (source_id, doc_id)):
            for copy in results[a]["copies"]:
                if copy["id"] == b:
                    return copy["derivation"]
        return "none"

    rows = [(d, s, label, group) for d, s, label, group in stream.pairs if d in results and s in results]
    confusion = Counter((label, predicted(d, s)) for d, s, label, _ in rows)
    per_class = {}
    for cls in CLASSES:
        tp = confusion[(cls, cls)]
        p = ratio(tp, sum(v for (_, pred), v in confusion.items() if pred == cls))
        r = ratio(tp, sum(v for (true, _), v in confusion.items() if true == cls))
        per_class[cls] = {
            "precision": p,
            "recall": r,
            "f1": f1(p, r),
            "support": sum(v for (true, _), v in confusion.items() if true == cls),
        }
    derived_tp = sum(v for (t, p), v in confusion.items() if t != "none" and p != "none")
    derived_pred = sum(v for (_, p), v in confusion.items() if p != "none")
    derived_true = sum(v for (t, _), v in confusion.items() if t != "none")
    dp, dr = ratio(derived_tp, derived_pred), ratio(derived_tp, derived_true)
    semeval = [predicted(d, s) != "none" for d, s, _, g in rows if g == "semeval"]
    same_topic = [predicted(d, s) != "none" for d, s, label, g in rows if g == "generated" and label == "none"]

    # Uncredited agency copy, per article. The truth is the generator's (credit removed or kept);
    # copies whose credit the attribution tagger reads otherwise are left out and counted.
    misread = 0
    u_tp = u_fp = u_fn = 0
    for doc_id, doc in docs.items():
        flagged = {u["agency"] for u in results[doc_id]["uncredited_agency_copy"]}
        truth = False
        if doc.kind == "copy":
            visible = bool(set(enriched[doc_id]["attribution"]["credited"]) & set(doc.agencies))
            if visible != doc.credit_kept:
                misread += 1
                continue
            truth = not doc.credit_kept
        if truth and flagged & set(doc.agencies):
            u_tp += 1
        elif truth:
            u_fn += 1
        elif flagged:
            u_fp += 1
    origin_ok = sum(
        1
        for d in docs.values()
        if d.kind == "copy"
        and (results[d.id]["origin"] or {}).get("article_id") == d.source
        and (results[d.id]["origin"] or {}).get("agency") in d.agencies
    )
    ordered = sorted(docs)
    return {
        "articles": len(docs),
        "pairs": len(rows),
        "confusion": {f"{t}->{p}": v for (t, p), v in sorted(confusion.items())},
        "per_class": per_class,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(CLASSES),
        "derived_precision": dp,
        "derived_recall": dr,
        "derived_f1": f1(dp, dr),
        "semeval_pairs_scored": len(semeval),
        "semeval_fpr": ratio(sum(semeval), len(semeval)),
        "same_topic_fpr": ratio(sum(same_topic), len(same_topic)),
        "uncredited_precision": ratio(u_tp, u_tp + u_fp),
        "uncredited_recall": ratio(u_tp, u_tp + u_fn),
        "uncredited_counts": {"tp": u_tp, "fp": u_fp, "fn": u_fn, "credit_misread_by_tagger": misread},
        "origin_accuracy_on_copies": ratio(origin_ok, sum(1 for d in docs.values() if d.kind == "copy")),
        "adjusted_rand_index": adjusted_rand([docs[i].story for i in ordered], [results[i]["story"] for i in ordered]),
    }


def by_profile(stream: Stream, results: dict[str, dict[str, Any]]) -> dict[str, str]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for doc in stream.docs:
        if doc.kind != "copy" or doc.id not in results:
            continue
        total[doc.profile] += 1
        found[doc.profile] += any(c["id"] == doc.source for c in results[doc.id]["copies"])
    return {p: f"{found[p]}/{total[p]}" for p in sorted(total)}


SHOWN = (
    ("3-class macro F1", "macro_f1"),
    ("derived precision", "derived_precision"),
    ("derived recall", "derived_recall"),
    ("derived F1", "derived_f1"),
    ("FPR, independent same-story pairs", "semeval_fpr"),
    ("FPR, generated same-topic articles", "same_topic_fpr"),
    ("uncredited agency copy precision", "uncredited_precision"),
    ("uncredited agency copy recall", "uncredited_recall"),
    ("origin right on copies", "origin_accuracy_on_copies"),
    ("adjusted Rand index (stories)", "adjusted_rand_index"),
)


def _verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = value >= target if op == ">=" else value <= target
    return "met" if ok else "NOT met"


def report(
    runs: dict[str, dict[str, Any]], stream: Stream, profiles: dict[str, str], seconds: float, dropped: int
) -> str:
    kinds = Counter(d.kind for d in stream.docs)
    labels = Counter(label for _, _, label, _ in stream.pairs)
    main = runs["feed"]
    lines = [
        f"stream: {sum(kinds.values())} articles ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
        f"{dropped} dead-lettered by enrichment",
        f"pairs: {main['pairs']} scored ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}); "
        f"SemEval same-story pairs {stream.semeval_pairs}, {stream.excluded_semeval} left out as real copies",
        f"twin: {seconds:.2f} s, {seconds / max(1, main['articles']) * 1000:.2f} ms per article",
        "",
        "pair classes (agency feed run):",
        f"{'class':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}",
    ]
    for cls, m in main["per_class"].items():
        lines.append(f"{cls:<10} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>5}")
    lines += [
        f"confusion (true->predicted): {main['confusion']}",
        f"copies found by edit profile: {profiles}",
        "",
        f"{'':<36} {'pages':>8} {'':<8} {'feed':>8} {'':<8} target",
    ]
    for title, key in SHOWN:
        pages, feed = runs["pages"][key], runs["feed"][key]
        target = " ".join(str(x) for x in TARGETS[key]) if key in TARGETS else ""
        lines.append(
            f"{title:<36} {pages:>8.4f} {_verdict(key, pages):<8} {feed:>8.4f} {_verdict(key, feed):<8} {target}"
        )
    for name, run in ((k, runs[k]) for k in ("pages", "feed")):
        lines.append(f"uncredited counts ({name}): {run['uncredited_counts']}")
    lines += [
        "",
        "pages: agency copies are known only by the credit the attribution tagger reads on their page;",
        "feed:  the same pages also arrive on an agency feed that names their agency (the labels').",
    ]
    return "\n".join(lines)


def run_twin(lines: Iterable[bytes], params: Params) -> dict[str, dict[str, Any]]:
    results = {}
    for result in syndicate_lines(lines, params):
        if isinstance(result, Exception):
            raise result
        results[result.id] = json.loads(encode(result))
    return results


def state_bytes(lines: list[bytes], params: Params) -> tuple[int, int]:
    """Bytes of the index after the stream, as its tables hold it (JSON keys and values), and
    the number of articles in it."""
    syndicator = Syndicator(params)
    for line in lines:
        syndicator.record(line)
    state = syndicator.index.state
    total = 0
    for mapping in (state.docs, state.bands, state.urls, state.expiry, state.meta):
        total += sum(len(json.dumps(k)) + len(json.dumps(v)) for k, v in mapping.items())
    return total, len(state.docs)


def with_feed(lines: list[bytes], stream: Stream) -> list[bytes]:
    """The stream with every agency copy's credits as an agency feed gives them (the labels')."""
    agencies = {d.id: d.agencies for d in stream.docs if d.kind == "source"}
    out = []
    for line in lines:
        record = json.loads(line)
        if record["id"] in agencies:
            record["attribution"]["credited"] = sorted(agencies[record["id"]])
            line = json.dumps(record).encode()
        out.append(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stage-partitions", type=int, default=1, help="partitions of the stage's topics")
    parser.add_argument("--no-stage", action="store_true", help="score the offline twin only")
    args = parser.parse_args()
    stream = generate(args.corpus, seed=args.seed)
    lines, enriched, dropped = enrich_stream(stream)
    stream.docs = [d for d in stream.docs if d.id in enriched]
    started = time.perf_counter()
    results = run_twin(lines, Params())
    seconds = time.perf_counter() - started
    feed_lines = with_feed(lines, stream)
    feed_enriched = {json.loads(line)["id"]: json.loads(line) for line in feed_lines}
    feed_results = run_twin(feed_lines, Params())
    runs = {"pages": score(stream, enriched, results), "feed": score(stream, feed_enriched, feed_results)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "enriched.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    (OUT / "enriched-feed.jsonl").write_bytes(b"".join(line + b"\n" for line in feed_lines))
    (OUT / "report.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    size, kept = state_bytes(lines, Params())
    runs["state"] = {"bytes": size, "articles": kept, "bytes_per_100k_articles": size / kept * 100_000}
    (OUT / "report.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    print(report(runs, stream, by_profile(stream, feed_results), seconds, dropped))
    print(
        f"state: {size / kept:,.0f} bytes per article as JSON in the tables "
        f"({size / kept * 100_000 / 1e6:,.0f} MB per 100,000 articles in the window)"
    )
    if args.no_stage:
        return
    twins = {"pages": results, "feed": feed_results}
    started = time.perf_counter()
    staged = run_stage({"pages": lines, "feed": feed_lines}, partitions=args.stage_partitions)
    seconds = time.perf_counter() - started
    runs["stage"] = {
        name: score(stream, enriched if name == "pages" else feed_enriched, staged[name]) for name in twins
    }
    runs["stage_agreement"] = {name: _agreement(twins[name], staged[name]) for name in twins}
    (OUT / "report.json").write_text(json.dumps(runs, indent=2) + "\n", encoding="utf-8")
    print(f"\nthe stage on a broker ({args.stage_partitions} partition(s), {seconds:.0f} s with start-up):")
    print(f"{'':<36} {'pages':>8} {'':<8} {'feed':>8}")
    for title, key in SHOWN:
        pages, feed = runs["stage"]["pages"][key], runs["stage"]["feed"][key]
        print(f"{title:<36} {pages:>8.4f} {_verdict(key, pages):<8} {feed:>8.4f} {_verdict(key, feed)}")
    for name, agreement in runs["stage_agreement"].items():
        print(f"records equal to the twin's ({name}): {agreement['equal']} of {agreement['twin']}", end="")
        print(f"; differing: {agreement['differing'][:5]}" if agreement["differing"] else "")
    if any(a["differing"] or a["missing"] for a in runs["stage_agreement"].values()) and args.stage_partitions == 1:
        raise SystemExit("the stage and the twin disagree")


def _agreement(twin: dict[str, dict[str, Any]], stage: dict[str, dict[str, Any]]) -> dict[str, Any]:
    differing = sorted(i for i in twin if i in stage and stage[i] != twin[i])
    missing = sorted(set(twin) - set(stage))
    return {
        "twin": len(twin),
        "equal": len(twin) - len(differing) - len(missing),
        "differing": differing,
        "missing": missing,
    }


if __name__ == "__main__":
    main()
