"""What a worker has done: Prometheus metrics, and a short rolling history for the dashboard.

Updated once per delivered batch, so the per-message cost is a few additions.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Gauge, Histogram, generate_latest
from prometheus_client import Counter as PromCounter

from wirestream.handler import Outgoing

HISTORY_S = 600
BUCKET_S = 5
LATEST = 15
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass
class _Bucket:
    start: float
    consumed: int = 0
    enriched: int = 0
    dead: int = 0
    agencies: Counter[str] = field(default_factory=Counter)


class Monitor:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.consumed = PromCounter("wirestream_consumed", "Input messages consumed.", registry=self.registry)
        self.enriched = PromCounter("wirestream_enriched", "Enriched records written.", registry=self.registry)
        self.dead_lettered = PromCounter(
            "wirestream_dead_lettered", "Dead letters written, by error class.", ["error_class"], registry=self.registry
        )
        self.credited = PromCounter(
            "wirestream_credited",
            "Enriched records crediting an agency, by agency.",
            ["agency"],
            registry=self.registry,
        )
        self.processing = Histogram(
            "wirestream_processing_seconds",
            "Time from taking a batch to the broker confirming its outputs, per message.",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.end_to_end = Histogram(
            "wirestream_end_to_end_seconds",
            "Time from the input's timestamp to its output being confirmed, per message.",
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.lag = Gauge(
            "wirestream_consumer_lag",
            "Messages not yet processed, by input partition.",
            ["partition"],
            registry=self.registry,
        )
        self._history: deque[_Bucket] = deque(maxlen=HISTORY_S // BUCKET_S)
        self._latest: deque[dict[str, Any]] = deque(maxlen=LATEST)
        self._dead_by_class: Counter[str] = Counter()
        self._totals: Counter[str] = Counter(consumed=0, enriched=0, dead_lettered=0)
        self._lag: dict[int, int] = {}

    def record_batch(
        self, outgoing: Iterable[Outgoing], input_timestamps_ms: Iterable[int | None], started: float
    ) -> None:
        now = time.time()
        elapsed = time.perf_counter() - started
        bucket = self._bucket(now)
        consumed = enriched = 0
        for out, ts in zip(outgoing, input_timestamps_ms, strict=True):
            consumed += 1
            self.processing.observe(elapsed)
            if ts:
                self.end_to_end.observe(max(0.0, now - ts / 1000))
            if out.record is not None:
                enriched += 1
                credited = out.record.attribution.credited
                for code in credited:
                    self.credited.labels(code).inc()
                bucket.agencies.update(credited)
                self._latest.appendleft(
                    {"id": out.record.id, "title": out.record.title, "credited": credited, "at": now}
                )
            elif out.error is not None:
                self.dead_lettered.labels(out.error.error_class).inc()
                self._dead_by_class[out.error.error_class] += 1
                bucket.dead += 1
        self.consumed.inc(consumed)
        self.enriched.inc(enriched)
        self._totals.update(consumed=consumed, enriched=enriched, dead_lettered=consumed - enriched)
        bucket.consumed += consumed
        bucket.enriched += enriched

    def set_lag(self, lag: Mapping[int, int]) -> None:
        self._lag = dict(lag)
        for partition, value in lag.items():
            self.lag.labels(str(partition)).set(value)

    def prometheus(self) -> bytes:
        return generate_latest(self.registry)

    def snapshot(self) -> dict[str, Any]:
        """The dashboard's data: rates over the last minutes, lag, dead letters, agencies, titles."""
        now = time.time()
        self._bucket(now)
        start = now - HISTORY_S
        buckets = [b for b in self._history if b.start >= start]
        agencies: Counter[str] = Counter()
        for b in buckets:
            agencies.update(b.agencies)
        return {
            "bucket_seconds": BUCKET_S,
            "series": [{"t": b.start, "consumed": b.consumed, "enriched": b.enriched, "dead": b.dead} for b in buckets],
            "totals": dict(self._totals),
            "dead_letters": dict(self._dead_by_class.most_common()),
            "agencies": dict(agencies.most_common()),
            "lag": {str(p): v for p, v in sorted(self._lag.items())},
            "latest": list(self._latest),
        }

    def _bucket(self, now: float) -> _Bucket:
        start = now - now % BUCKET_S
        if not self._history or self._history[-1].start < start:
            last = self._history[-1].start if self._history else start - BUCKET_S
            # Empty buckets keep the time axis honest when nothing arrives.
            gap_start = max(last + BUCKET_S, start - HISTORY_S)
            while gap_start < start:
                self._history.append(_Bucket(gap_start))
                gap_start += BUCKET_S
            self._history.append(_Bucket(start))
        return self._history[-1]


# -- syndication: top stories and the share of uncredited agency copy --


def agencies_carried(origin_agency: str | None, uncredited: Iterable[str]) -> set[str]:
    """The agencies whose copy a syndication record carries: its origin's agency (credited or
    inferred) and every agency whose copy it carries without a credit. Per agency, the share of
    uncredited agency copy is (records flagging it in `uncredited_agency_copy`) / (records
    carrying it); the stage's counters and the dashboard both count so."""
    carried = set(uncredited)
    if origin_agency:
        carried.add(origin_agency)
    return carried


@dataclass(frozen=True, slots=True)
class _Seen:
    at: float
    story: str
    derived: bool
    origin: str | None
    carried: frozenset[str]
    uncredited: frozenset[str]


class SyndicationBoard:
    """The dashboard's syndication panels over the last `window_s` seconds of syndication
    records (by record timestamp). Each article counts once, by its latest record, so that a
    version or a record written twice replaces the earlier one. At most `max_articles` are
    kept (the oldest go first), which bounds memory and the work of a snapshot."""

    def __init__(self, window_s: float, *, max_articles: int = 100_000, top: int = 10) -> None:
        self.window_s = window_s
        self.max_articles = max_articles
        self.top = top
        self._seen: dict[str, _Seen] = {}
        self._order: deque[tuple[float, str]] = deque()

    def add(self, record: Mapping[str, Any], at: float) -> None:
        """One syndication record (decoded JSON) written at `at` (seconds); anything without
        a string `id` and `story` is ignored."""
        article_id, story = record.get("id"), record.get("story")
        if not isinstance(article_id, str) or not isinstance(story, str):
            return
        origin = record.get("origin") or {}
        origin_agency = origin.get("agency") if isinstance(origin, dict) else None
        uncredited = frozenset(
            u["agency"] for u in record.get("uncredited_agency_copy") or () if isinstance(u, dict) and "agency" in u
        )
        self._seen[article_id] = _Seen(
            at=at,
            story=story,
            derived=bool(record.get("copies")),
            origin=origin_agency,
            carried=frozenset(agencies_carried(origin_agency, uncredited)),
            uncredited=uncredited,
        )
        self._order.append((at, article_id))
        while len(self._order) > self.max_articles:
            self._forget(*self._order.popleft())

    def clear(self) -> None:
        self._seen.clear()
        self._order.clear()

    def snapshot(self, now: float) -> dict[str, Any]:
        """Top stories (most copies: articles derived from an earlier one; then most articles)
        with their most frequent origin agency, and per agency the records carrying its copy,
        those not crediting it, and the share."""
        cutoff = now - self.window_s
        while self._order and self._order[0][0] < cutoff:
            self._forget(*self._order.popleft())
        copies: Counter[str] = Counter()
        articles: Counter[str] = Counter()
        origins: dict[str, Counter[str]] = {}
        carried: Counter[str] = Counter()
        uncredited: Counter[str] = Counter()
        for seen in self._seen.values():
            if seen.at < cutoff:
                continue
            articles[seen.story] += 1
            copies[seen.story] += seen.derived
            if seen.origin:
                origins.setdefault(seen.story, Counter())[seen.origin] += 1
            carried.update(seen.carried)
            uncredited.update(seen.uncredited)
        ranked = sorted((s for s in copies if copies[s]), key=lambda s: (-copies[s], -articles[s], s))[: self.top]
        return {
            "window_seconds": self.window_s,
            "articles": sum(articles.values()),
            "stories": [
                {
                    "story": s,
                    "origin": min(origins[s].items(), key=lambda kv: (-kv[1], kv[0]))[0] if s in origins else None,
                    "copies": copies[s],
                    "articles": articles[s],
                }
                for s in ranked
            ],
            "agencies": [
                {"agency": a, "carried": n, "uncredited": uncredited[a], "share": uncredited[a] / n}
                for a, n in sorted(carried.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        }

    def _forget(self, at: float, article_id: str) -> None:
        seen = self._seen.get(article_id)
        if seen is not None and seen.at == at:
            del self._seen[article_id]
