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
