"""The syndication stage: `articles.enriched` in, `articles.syndication` out, state in Faust tables.

The core's steps run where their state lives. Every internal topic has the partition count P
of `articles.enriched`, and every message is sent to an explicit partition, so that a key's
table entries and the messages about it meet on one partition (and one worker) whatever the
topic. An article's home is `home(id)` (Kafka's default partitioner), the partition of
`articles.enriched` its record is on (a record on another partition moves home first); a band
key's is `band_home(key)`:

    enriched ─index─▶ bands (band_home(key)) ─band─▶ replies (home(id))
      replies ─gather─▶ verify (home(candidate)) ─verify─▶ verdicts (home(id))
      verdicts ─decide─▶ articles.syndication (key id)

* `index`: fingerprints the article and asks each band partition, in one message per
  partition for all the articles of a batch, which earlier ids share its band keys.
* `band`: answers from the partition's band index and adds the articles to it.
* `gather`: once every band partition has answered, ranks the candidates and asks each
  candidate's partition to compare.
* `verify`: compares the shingles with the candidate's; a candidate still being judged is
  waited for (the comparison is parked), so that its story and origin are final.
* `decide`: the core's `decide`; the record goes out, the article is kept, and comparisons
  parked on it are answered.

Each agent takes its events in batches. The steps for partitions the worker holds run in the
same batch, step by step over the whole batch (`run_local`); items for partitions that other
workers hold go through the internal topics, one message per destination partition per batch.
A batch's events are acknowledged, in offset order per partition, by a task of their own once
its messages and table writes are on the broker.

State. Tables are changelog-backed (in memory, restored from their changelog topics when a
worker starts or takes over partitions), and each entry goes to the changelog partition its
key names, whichever step writes it (`PlacedTable`):

* `docs`: id -> the judged article (its shingles, story, origin and record), on its home.
* `postings`: per batch of asks a band partition handles, the band keys of the articles it
  added, on that band partition. The key -> ids index that lookups read is built from it in
  memory when a worker gets its partitions, and kept up to date as it is written.
* `marks`: the ids still being judged when their batch ends, so that a comparison with one of
  them waits for its decision, even when it comes after a restart.

What an article needs while it is judged (its fingerprint and the answers it has) is kept in
the worker's memory, and its input event is acknowledged only once its record is on the
broker: a worker that takes the partition over after a crash or a rebalance gets the event
again and judges it again. A rebalance drops that memory everywhere, since every input event
it held is delivered again; answers from before carry a nonce that no longer matches and are
ignored. Any failure is dead-lettered (original key, value and headers plus error headers)
before the event is acknowledged.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import uuid
import zlib
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import faust
from aiokafka.admin import NewTopic
from aiokafka.partitioner import murmur2
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client import Counter as PromCounter

from wirestream import codec
from wirestream.core.syndication import (
    Article,
    Fingerprint,
    Params,
    SyndicationIndex,
    decide,
    finish_stored,
    match,
    pack,
    rank_counts,
    replayed,
    stored_base,
    summary_of,
    unpack,
    url_entry_of,
    version_by_id,
    version_by_url,
)
from wirestream.errors import ConfigError, InvalidArticleError, TopicMissingError
from wirestream.handler import MessageHandler, where
from wirestream.monitoring import agencies_carried
from wirestream.schemas.syndication import Copy, SyndicationRecord, VersionOf
from wirestream.settings import Settings
from wirestream.syndication import decode_enriched, decode_feed_item, encode, params_from
from wirestream.topics import admin_client, describe_topics
from wirestream.transport import App
from wirestream.worker import _input_message, app_options

log = logging.getLogger(__name__)

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4"
_HOUR_S = 3_600


def home(key: str, partitions: int) -> int:
    """An article's partition on every topic of the stage: Kafka's default partitioner's
    (murmur2), so that it is the partition of `articles.enriched` its record is on."""
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions


def band_home(key: str, partitions: int) -> int:
    """A band key's partition. Band keys are hashes already; CRC-32 spreads them as well as
    murmur2 at a fraction of the cost (an article has ~130 keys)."""
    return zlib.crc32(key.encode("utf-8")) % partitions


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.records = PromCounter(
            "wirestream_syndication_records",
            "Syndication records written, by derivation.",
            ["derivation"],
            registry=self.registry,
        )
        self.uncredited = PromCounter(
            "wirestream_syndication_uncredited",
            "Records carrying uncredited agency copy, by agency.",
            ["agency"],
            registry=self.registry,
        )
        self.origins = PromCounter(
            "wirestream_syndication_origin",
            "Records with an origin, by agency and basis.",
            ["agency", "basis"],
            registry=self.registry,
        )
        self.dead_lettered = PromCounter(
            "wirestream_syndication_dead_lettered", "Events dead-lettered, by step.", ["step"], registry=self.registry
        )
        self.parked = PromCounter(
            "wirestream_syndication_parked",
            "Comparisons parked until their candidate was decided.",
            registry=self.registry,
        )
        # With `uncredited`, the share of uncredited agency copy per agency, summed over workers:
        # sum by (agency) (uncredited) / sum by (agency) (agency_copy).
        self.agency_copy = PromCounter(
            "wirestream_syndication_agency_copy",
            "Records carrying an agency's copy (their origin's agency, or uncredited), by agency.",
            ["agency"],
            registry=self.registry,
        )
        self.references = PromCounter(
            "wirestream_syndication_references",
            "Agency feed items indexed as reference copies (no record of their own), by agency.",
            ["agency"],
            registry=self.registry,
        )

    def record(self, record: SyndicationRecord) -> None:
        self.records.labels(record.derivation).inc()
        for flag in record.uncredited_agency_copy:
            self.uncredited.labels(flag.agency).inc()
        if record.origin:
            self.origins.labels(record.origin.agency, record.origin.basis).inc()
        origin = record.origin.agency if record.origin else None
        for agency in agencies_carried(origin, (flag.agency for flag in record.uncredited_agency_copy)):
            self.agency_copy.labels(agency).inc()


# -- what a batch sends, and what it acknowledges once that is on the broker --


@dataclass(eq=False)
class Hold:
    """An event, acknowledged once it is done and every earlier event of its partition is: an
    input event is done when its article is decided, and Faust commits the offsets after the
    first acknowledged one it finds, gap or not."""

    event: faust.EventT
    generation: int
    done: bool = False


@dataclass
class Outbox:
    """The messages of one batch: the items for each internal topic and partition travel as
    one message; records and dead letters go one by one. Sent together, then flushed."""

    items: dict[tuple[str, int], list[Any]] = field(default_factory=lambda: defaultdict(list))
    direct: list[tuple[faust.TopicT, bytes | None, bytes | None, Any, int | None]] = field(default_factory=list)
    decided: list[Hold] = field(default_factory=list)

    def add(self, topic: str, partition: int, item: Any) -> None:
        self.items[(topic, partition)].append(item)

    def send(
        self,
        topic: faust.TopicT,
        key: bytes | None,
        value: bytes | None,
        headers: Any = None,
        partition: int | None = None,
    ) -> None:
        self.direct.append((topic, key, value, headers, partition))


@dataclass
class Pending:
    """An article being judged: its fingerprint and the answers it has so far."""

    fp: Fingerprint
    stored: dict[str, Any]
    nonce: str
    late: bool
    version: VersionOf | None
    predecessor: str | None
    predecessor_summary: dict[str, Any] | None
    parts: set[int]
    holds: list[Hold]
    reference: bool = False
    answered: set[int] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    times: dict[str, float] = field(default_factory=dict)
    url_entry: dict[str, Any] | None = None
    asked: list[str] | None = None
    verdicts: dict[str, dict[str, Any]] = field(default_factory=dict)


class BandIndex:
    """One band partition's index, built from its `postings` and kept up to date with them."""

    def __init__(self, params: Params) -> None:
        self.params = params
        self.keys: dict[str, list[tuple[str, float]]] = {}
        self.urls: dict[str, dict[str, Any]] = {}
        self.current: dict[str, tuple[float, list[str], str | None]] = {}  # id -> its time, keys and URL here
        self.postings: dict[str, int] = {}  # table key -> the latest hour it holds
        self.watermark = float("-inf")
        self.seq = 0  # of the latest posting

    def lookup(self, article_id: str, keys: Iterable[str], url: str | None) -> tuple[dict[str, list[Any]], Any]:
        """Earlier ids under the keys, with the number of keys each shares and its time; and
        the latest other article at the URL."""
        found: dict[str, list[Any]] = {}
        for key in keys:
            for cand, at in self.keys.get(key, ()):
                if cand != article_id:
                    hit = found.get(cand)
                    if hit is None:
                        found[cand] = [1, at]
                    else:
                        hit[0] += 1
        entry = self.urls.get(url) if url else None
        if entry is not None and entry["id"] == article_id:
            entry = None
        return found, entry

    def add(self, posting: list[Any]) -> None:
        """An article joins the index; an earlier version of it (the same id) leaves the keys
        and the URL it no longer has, as in the twin."""
        article_id, at, keys, url, entry = posting
        before = self.current.get(article_id)
        if before is not None:
            self._unlink(article_id, before[1], before[2], keep=set(keys))
        self.current[article_id] = (at, keys, url)
        bound = self.params.max_band_entries
        for key in keys:
            ids = self.keys.get(key)
            if ids is None:
                self.keys[key] = [(article_id, at)]
                continue
            if any(i == article_id for i, _ in ids):
                ids[:] = [e for e in ids if e[0] != article_id]
            ids.append((article_id, at))
            if len(ids) > bound:
                del ids[: len(ids) - bound]
        if url and entry is not None:
            self.urls[url] = entry

    def _unlink(self, article_id: str, keys: list[str], url: str | None, *, keep: set[str]) -> None:
        for key in keys:
            ids = self.keys.get(key)
            if key in keep or ids is None:
                continue
            ids[:] = [e for e in ids if e[0] != article_id]
            if not ids:
                del self.keys[key]
        if url and (self.urls.get(url) or {}).get("id") == article_id:
            del self.urls[url]

    def expired(self, cutoff_hour: int) -> list[str]:
        return [key for key, hour in self.postings.items() if hour < cutoff_hour]

    def drop(self, postings: list[list[Any]], cutoff_hour: int) -> None:
        """Forget entries older than the window under the keys of expired postings."""
        for article_id, at, keys, url, _ in postings:
            if self.current.get(article_id, (None,))[0] == at:
                del self.current[article_id]
            for key in keys:
                ids = self.keys.get(key)
                if ids is None:
                    continue
                kept = [e for e in ids if int(e[1] // _HOUR_S) >= cutoff_hour]
                if kept:
                    ids[:] = kept
                else:
                    del self.keys[key]
            entry = self.urls.get(url) if url else None
            if entry is not None and int(entry["at"] // _HOUR_S) < cutoff_hour:
                del self.urls[url]


@dataclass
class DocWindow:
    """One home partition's window over `docs`: the latest time seen, and ids per hour."""

    watermark: float = float("-inf")
    hours: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0


class SyndicationStage:
    """The agents' steps, over tables and topics given by `create_app`."""

    references_topic: faust.TopicT | None = None

    def __init__(self, app: faust.App, settings: Settings, params: Params, partitions: int) -> None:
        self.app = app
        self.settings = settings
        self.params = params
        self.hasher = SyndicationIndex(params=params)  # for `fingerprint` only: its own state stays empty
        self.partitions = partitions
        self.handler = MessageHandler(settings)
        self.metrics = Metrics()
        p = self.partitions

        def internal(name: str) -> faust.TopicT:
            return app.topic(
                internal_topic(settings, name),
                partitions=p,
                internal=True,
                key_type=bytes,
                value_type=bytes,
                key_serializer="raw",
                value_serializer="raw",
            )

        raw = {"key_type": bytes, "value_type": bytes, "key_serializer": "raw", "value_serializer": "raw"}
        self.enriched = app.topic(settings.topic_enriched, allow_empty=True, **raw)
        self.articles = internal("articles")
        self.bands_topic = internal("bands")
        self.replies = internal("replies")
        self.verify_topic = internal("verify")
        self.verdicts = internal("verdicts")
        self.dlq = app.topic(settings.topic_dlq, **raw)
        self.output = app.topic(settings.topic_syndication, **raw)
        self.topics = {
            t.get_topic_name(): t for t in (self.bands_topic, self.replies, self.verify_topic, self.verdicts)
        }

        def table(name: str, place: Callable[[str], int]) -> faust.TableT:
            placed = PlacedTable(
                app,
                name=f"syndication-{name}",
                beacon=app.tables.beacon,
                default=None,
                partitions=p,
                schema=faust.Schema(key_serializer="json", value_serializer="json"),
            )
            placed.place = place
            return app.tables.add(placed)

        by_id = partial(home, partitions=p)
        self.docs = table("docs", by_id)
        self.postings = table("postings", _posting_partition)
        self.marks = table("marks", by_id)
        self.steps = {
            self.bands_topic.get_topic_name(): self.band_items,
            self.replies.get_topic_name(): self.gather_items,
            self.verify_topic.get_topic_name(): self.verify_items,
            self.verdicts.get_topic_name(): self.verdict_items,
        }
        self.owned: set[tuple[str, int]] = set()
        # Articles indexed in this batch: marked in `marks` at its end if still being judged
        # (most are decided within it: no mark to write and delete).
        self.unmarked: dict[str, float] = {}
        # What lives in memory, for one generation of the group (see the module's docstring).
        self.generation: int | None = None
        self.pending: dict[str, Pending] = {}
        self.parked: dict[str, list[tuple[dict[str, Any], str, float | None]]] = {}
        self.bands: dict[int, BandIndex] = {}
        self.windows: dict[int, DocWindow] = {}
        self.queues: dict[Any, deque[Hold]] = defaultdict(deque)  # per topic partition, in offset order
        # Per home partition: the id whose decision its articles wait for, and those articles.
        self.blocked: dict[int, tuple[str, deque[tuple[Hold, bool]]]] = {}

    # -- the generation: memory is dropped whenever the group rebalances --

    def current(self, event: faust.EventT) -> bool:
        """Whether an event belongs to the group's current generation (else it was fetched
        before a rebalance and is delivered again from the committed offsets)."""
        return event.message.generation_id == self.app.consumer_generation_id and not self.app.rebalancing

    def fresh(self) -> None:
        generation = self.app.consumer_generation_id
        if generation == self.generation:
            return
        self.generation = generation
        self.owned = {(tp.topic, tp.partition) for tp in self.app.consumer.assignment()}
        self.pending.clear()
        self.unmarked.clear()
        self.parked.clear()
        self.bands = {}
        self.windows = {}
        self.queues.clear()
        self.blocked.clear()
        self._build()

    def hold(self, event: faust.EventT) -> Hold:
        hold = Hold(event, self.app.consumer_generation_id)
        self.queues[event.message.tp].append(hold)
        return hold

    def done(self, holds: list[Hold]) -> None:
        """The holds' messages are on the broker: acknowledge every event of their partitions
        up to the first one not done."""
        for hold in holds:
            hold.done = True
        if self.app.rebalancing:
            return  # delivered again after it
        generation = self.app.consumer_generation_id
        for tp in {hold.event.message.tp for hold in holds}:
            queue = self.queues.get(tp)
            while queue and queue[0].done:
                first = queue.popleft()
                if first.generation == generation:
                    first.event.ack()

    def _build(self) -> None:
        """The band indexes and the windows, from the tables as restored."""
        for key, posting in sorted(self.postings.items(), key=lambda kv: _posting_place(kv[0])):
            partition, seq = _posting_place(key)
            band = self._band(partition)
            for entry in posting["entries"]:
                band.add(entry)
            band.postings[key] = posting["hour"]
            band.watermark = max(band.watermark, posting["watermark"])
            band.seq = max(band.seq, seq)
        for article_id, doc in self.docs.items():
            window = self._window(home(article_id, self.partitions))
            window.hours[int(doc["at"] // _HOUR_S)].append(article_id)
            window.count += 1
            window.watermark = max(window.watermark, doc["at"])

    def _band(self, partition: int) -> BandIndex:
        band = self.bands.get(partition)
        if band is None:
            band = self.bands[partition] = BandIndex(self.params)
        return band

    def _window(self, partition: int) -> DocWindow:
        window = self.windows.get(partition)
        if window is None:
            window = self.windows[partition] = DocWindow()
        return window

    def dead_letter(self, event: faust.EventT, step: str, exc: BaseException, out: Outbox) -> None:
        if not isinstance(exc, InvalidArticleError):
            log.error("syndication step %s failed: %r", step, exc, extra=where(_input_message(event.message)))
        msg = _input_message(event.message)
        dead = self.handler.dead_letter(msg, exc, now=datetime.now(UTC), stage="enrich")
        self.metrics.dead_lettered.labels(step).inc()
        out.send(self.dlq, dead.key, dead.value, dead.headers)

    # -- route: a record on another partition than its id's (another partitioner) moves home --

    def route(self, hold: Hold, out: Outbox) -> bool:
        event = hold.event
        article = decode_enriched(event.value)
        where_home = home(article.id, self.partitions)
        if event.message.partition == where_home or (self.articles.get_topic_name(), where_home) in self.owned:
            return self.index(hold, out, article=article)
        out.send(self.articles, article.id.encode("utf-8"), event.value, partition=where_home)
        return True

    # -- index: fingerprint, keep pending, ask the band partitions --

    def index(self, hold: Hold, out: Outbox, *, article: Article | None = None, reference: bool = False) -> bool:
        """Start judging the event's article. False: it is done when the article is decided."""
        article = article or decode_enriched(hold.event.value)
        partition = home(article.id, self.partitions)
        blocked = self.blocked.get(partition)
        if blocked is not None:
            blocked[1].append((hold, reference))
            return False
        if article.id in self.pending:
            # The same id again while it is judged: it is judged after that decision, and the
            # partition's later articles after it, in the order the twin reads them.
            self.blocked[partition] = (article.id, deque([(hold, reference)]))
            return False
        previous = self.docs.get(article.id)
        if replayed(previous, article):
            self._emit(SyndicationRecord.model_validate(previous["record"]), out, reference=reference)
            self._release(article.id, out)
            return True
        window = self._window(partition)
        late = article.at < self._advance(partition, window, article.at) - self.params.window_s
        fp = self.hasher.fingerprint(article)
        stored = stored_base(fp)
        decided_previous = previous if previous is not None and "story" in previous else None
        version, predecessor = version_by_id(decided_previous, stored, article.id)
        url = stored["url"]
        by_part: dict[int, list[str]] = defaultdict(list)
        for key in fp.band_keys:
            by_part[band_home(key, self.partitions)].append(key)
        if url:
            by_part.setdefault(band_home(f"u:{url}", self.partitions), [])
        entry = None if late else url_entry_of(article.id, stored)
        pending = Pending(
            fp=fp,
            stored=stored,
            nonce=uuid.uuid4().hex[:16],
            late=late,
            version=version,
            predecessor=predecessor,
            predecessor_summary=summary_of(decided_previous) if version is not None else None,
            parts=set(by_part),
            holds=[hold],
            reference=reference,
        )
        self.pending[article.id] = pending
        self.unmarked[article.id] = article.at
        for part, keys in by_part.items():
            url_here = url if url and band_home(f"u:{url}", self.partitions) == part else None
            ask = [article.id, pending.nonce, article.at, keys, url_here, entry if url_here else None, not late]
            out.add(self.bands_topic.get_topic_name(), part, ask)
        if not by_part:
            self._guarded(self._compare, article.id, pending, out)
        return False

    def _advance(self, partition: int, window: DocWindow, at: float) -> float:
        """The partition's watermark, moved to `at`; docs of hours now past the window go."""
        if at <= window.watermark:
            return window.watermark
        window.watermark = at
        cutoff_hour = int((at - self.params.window_s) // _HOUR_S)
        for hour in [h for h in window.hours if h < cutoff_hour]:
            self._evict(window, hour)
        return at

    def _keep(self, window: DocWindow, article_id: str, at: float) -> None:
        """A judged article joins its partition's window. The index holds at most `max_docs`
        articles, shared evenly by the partitions: past that, the oldest hours go, as in the twin."""
        window.hours[int(at // _HOUR_S)].append(article_id)
        window.count += 1
        most = -(-self.params.max_docs // self.partitions)
        while window.count > most and len(window.hours) > 1:
            self._evict(window, min(window.hours))

    def _evict(self, window: DocWindow, hour: int) -> None:
        ids = window.hours.pop(hour)
        window.count -= len(ids)
        for article_id in ids:
            doc = self.docs.get(article_id)
            if doc is not None and int(doc["at"] // _HOUR_S) == hour:
                del self.docs[article_id]

    # -- band: look up and add, per band partition --

    def band_items(self, partition: int, asks: list[Any], out: Outbox) -> None:
        band = self._band(partition)
        added = []
        for article_id, nonce, at, keys, url, entry, insert in asks:
            found, url_entry = band.lookup(article_id, keys, url)
            if insert:
                posting = [article_id, at, keys, url, entry]
                band.add(posting)
                added.append(posting)
            reply = [article_id, nonce, partition, found, url_entry]
            out.add(self.replies.get_topic_name(), home(article_id, self.partitions), reply)
        if added:
            band.seq += 1
            key = f"{partition}:{band.seq}"
            hour = max(int(p[1] // _HOUR_S) for p in added)
            band.watermark = max(band.watermark, max(p[1] for p in added))
            self.postings[key] = {"entries": added, "hour": hour, "watermark": band.watermark}
            band.postings[key] = hour
            self._sweep(band)

    def _sweep(self, band: BandIndex) -> None:
        cutoff_hour = int((band.watermark - self.params.window_s) // _HOUR_S)
        expired = band.expired(cutoff_hour)
        if not expired:
            return
        for key in expired:
            posting = self.postings.get(key)
            del band.postings[key]
            if posting is not None:
                band.drop(posting["entries"], cutoff_hour)
                del self.postings[key]

    # -- gather: every band partition answered; ask the candidates --

    def gather_items(self, partition: int, replies: list[Any], out: Outbox) -> None:
        for article_id, nonce, part, found, url_entry in replies:
            pending = self.pending.get(article_id)
            if pending is None or pending.nonce != nonce or part in pending.answered:
                continue
            pending.answered.add(part)
            for cand, (n, at) in found.items():
                pending.counts[cand] = pending.counts.get(cand, 0) + n
                pending.times[cand] = at
            if url_entry is not None:
                pending.url_entry = url_entry
            if pending.answered >= pending.parts:
                self._guarded(self._compare, article_id, pending, out)

    def _compare(self, article_id: str, pending: Pending, out: Outbox) -> None:
        stored = pending.stored
        if pending.version is None:
            version, predecessor = version_by_url(pending.url_entry, stored, article_id)
            if version is not None:
                pending.version, pending.predecessor = version, predecessor
        counts = pending.counts
        ranked = rank_counts(counts, exclude={article_id, pending.predecessor}, limit=self.params.max_candidates)
        # Only earlier articles can be copies (as in the core): and an article never waits for a later one.
        own = (stored["at"], article_id)
        cutoff_hour = int((stored["at"] - self.params.window_s) // _HOUR_S)
        times = pending.times
        asks = [c for c in ranked if (times[c], c) < own and int(times[c] // _HOUR_S) >= cutoff_hour]
        ask_predecessor = pending.version is not None and pending.predecessor_summary is None
        pending.asked = asks + ([pending.predecessor] if ask_predecessor else [])  # type: ignore[list-item]
        pending.counts, pending.times = {}, {}
        if not pending.asked:
            self._decide(article_id, pending, out)
            return
        by_part: dict[int, list[list[Any]]] = defaultdict(list)
        for cand in asks:  # with the time of the version found under the band keys
            by_part[home(cand, self.partitions)].append([cand, times[cand]])
        predecessor_part = None
        if ask_predecessor and pending.predecessor is not None:
            predecessor_part = home(pending.predecessor, self.partitions)
            by_part.setdefault(predecessor_part, [])
        shingles = pack(pending.fp.shingles)
        for part, cands in by_part.items():
            request = {
                "id": article_id,
                "nonce": pending.nonce,
                "at": stored["at"],
                "shingles": shingles,
                "cands": cands,
                "predecessor": pending.predecessor if part == predecessor_part else None,
            }
            out.add(self.verify_topic.get_topic_name(), part, request)

    # -- verify: at the candidate's partition --

    def verify_items(self, partition: int, requests: list[Any], out: Outbox) -> None:
        for request in requests:
            for cand, seen in request["cands"]:
                self._verify(request, cand, seen, out)
            if request["predecessor"] is not None:
                self._verify(request, request["predecessor"], None, out)

    def _verify(self, request: dict[str, Any], cand: str, seen: float | None, out: Outbox) -> None:
        """Compare with the candidate as decided. A candidate still being judged is waited for
        if the asker found a version of it that is not decided yet (`seen`: its time)."""
        doc = self.docs.get(cand)
        judged = cand in self.pending or self.marks.get(cand) is not None
        if judged and (doc is None or (seen is not None and doc["at"] != seen)):
            self.parked.setdefault(cand, []).append((request, cand, seen))
            self.metrics.parked.inc()
            return
        verdict: list[Any] = [request["id"], request["nonce"], cand, None, None]
        try:
            if doc is not None and cand == request["predecessor"]:
                verdict[4] = summary_of(doc)
            elif doc is not None:
                fp = Fingerprint(Article(id=request["id"], body="", at=request["at"]), unpack(request["shingles"]), [])
                found = match(fp, cand, doc, self.params)
                if found is not None:
                    verdict[3], verdict[4] = found[0].model_dump(mode="json"), found[1]
        except Exception:  # the asker gets an answer all the same (no copy), or it would wait for ever
            log.exception("syndication: comparing %s with %s failed", request["id"], cand)
        out.add(self.verdicts.get_topic_name(), home(request["id"], self.partitions), verdict)

    # -- decide: every candidate answered --

    def verdict_items(self, partition: int, verdicts: list[Any], out: Outbox) -> None:
        for article_id, nonce, cand, copy, summary in verdicts:
            pending = self.pending.get(article_id)
            if pending is None or pending.nonce != nonce or pending.asked is None or cand in pending.verdicts:
                continue
            pending.verdicts[cand] = {"copy": copy, "summary": summary}
            if len(pending.verdicts) >= len(pending.asked):
                self._guarded(self._decide, article_id, pending, out)

    # -- between steps: a message to a partition this worker holds is handled here --

    def internal(self, hold: Hold, out: Outbox) -> bool:
        """A message from another worker (or from before a rebalance): its step's items."""
        message = hold.event.message
        self.steps[message.topic](message.partition, codec.loads(message.value), out)
        return True

    def run_local(self, out: Outbox) -> None:
        """Handle the items for partitions this worker holds, step by step over the whole batch
        (every ask before any reply, and so on), until only items for other workers are left:
        those go through the internal topics. The outcome is the same either way; the broker
        round trips and their framework costs are saved."""
        while local := [key for key in out.items if key in self.owned]:
            work = [(key, out.items.pop(key)) for key in local]
            for (name, partition), items in work:
                self.steps[name](partition, items, out)
        for article_id, at in self.unmarked.items():
            if article_id in self.pending:
                self.marks[article_id] = at
        self.unmarked.clear()

    def _decide(self, article_id: str, pending: Pending, out: Outbox) -> None:
        fp, stored = pending.fp, dict(pending.stored)
        matches: list[tuple[Copy, dict[str, Any]]] = []
        predecessor_summary = pending.predecessor_summary
        for cand, verdict in pending.verdicts.items():
            if cand == pending.predecessor:
                predecessor_summary = predecessor_summary or verdict["summary"]
            elif verdict["copy"] is not None:
                matches.append((Copy.model_validate(verdict["copy"]), verdict["summary"]))
        record = decide(fp, stored, pending.version, predecessor_summary, matches, self.params)
        self._emit(record, out, reference=pending.reference)
        if not pending.late:
            finish_stored(stored, fp, record)
            self.docs[article_id] = stored
            self._keep(self._window(home(article_id, self.partitions)), article_id, stored["at"])
        out.decided.extend(pending.holds)
        self._finish(article_id, pending, out)

    def _guarded(
        self, step: Callable[[str, Pending, Outbox], None], article_id: str, pending: Pending, out: Outbox
    ) -> None:
        """A step of one article; if it fails, the article's input is dead-lettered (not the
        message that carried the answer, which holds others' too) and what waits on it goes on."""
        try:
            step(article_id, pending, out)
        except Exception as exc:
            for hold in pending.holds:
                self.dead_letter(hold.event, "decide", exc, out)
            out.decided.extend(pending.holds)
            if self.pending.get(article_id) is pending:
                self._finish(article_id, pending, out)

    def _finish(self, article_id: str, pending: Pending, out: Outbox) -> None:
        del self.pending[article_id]
        self._release(article_id, out)
        partition = home(article_id, self.partitions)
        blocked = self.blocked.get(partition)
        if blocked is None or blocked[0] != article_id:
            return
        del self.blocked[partition]
        waiting = blocked[1]
        while waiting:
            hold, reference = waiting.popleft()
            try:
                if self.index(hold, out, reference=reference):
                    out.decided.append(hold)
            except Exception as exc:
                self.dead_letter(hold.event, "index", exc, out)
                out.decided.append(hold)
            again = self.blocked.get(partition)
            if again is not None:  # blocked again, by this one: the rest wait behind it
                again[1].extend(waiting)
                return

    def _release(self, article_id: str, out: Outbox) -> None:
        """The article is decided (or was before a restart): comparisons parked on it go on."""
        if self.unmarked.pop(article_id, None) is None and self.marks.get(article_id) is not None:
            del self.marks[article_id]
        for request, cand, seen in self.parked.pop(article_id, ()):
            self._verify(request, cand, seen, out)

    def _emit(self, record: SyndicationRecord, out: Outbox, *, reference: bool) -> None:
        if reference:
            if record.origin is not None:
                self.metrics.references.labels(record.origin.agency).inc()
            return
        out.send(self.output, record.id.encode("utf-8"), encode(record))
        self.metrics.record(record)

    # -- the agency feed: items become reference copies of their agency, with no record --

    def add_agency_feed(self) -> tuple[faust.TopicT, faust.TopicT]:
        """The feed topic (`WIRESTREAM_TOPIC_AGENCY_FEED`, any partition count) and the internal
        topic that takes each item to its id's partition."""
        raw = {"key_type": bytes, "value_type": bytes, "key_serializer": "raw", "value_serializer": "raw"}
        feed = self.app.topic(self.settings.topic_agency_feed, allow_empty=True, **raw)
        self.references_topic = self.app.topic(
            internal_topic(self.settings, "references"), partitions=self.partitions, internal=True, **raw
        )
        return feed, self.references_topic

    def route_feed_item(self, hold: Hold, out: Outbox) -> bool:
        """A feed item, as the minimal enriched record that indexes it, to its id's partition."""
        assert self.references_topic is not None  # set with the agent, by add_agency_feed
        event = hold.event
        ts = event.message.timestamp
        record = decode_feed_item(event.value, received_at=datetime.fromtimestamp(ts, tz=UTC) if ts else None)
        key = record["id"].encode("utf-8")
        out.send(self.references_topic, key, codec.dumps(record), partition=home(record["id"], self.partitions))
        return True

    def index_reference(self, hold: Hold, out: Outbox) -> bool:
        """Index a feed item as any article is indexed; its record stays off the output topic.
        Its doc stays, crediting its agency."""
        return self.index(hold, out, reference=True)

    async def send(self, out: Outbox) -> list[asyncio.Future[Any]]:
        """Send the batch's messages; their futures resolve once the broker has them."""
        sent = []
        for (name, partition), items in out.items.items():
            topic = self.topics[name]
            sent.append(await topic.send(key=str(partition).encode(), value=codec.dumps(items), partition=partition))
        for topic, key, value, headers, partition in out.direct:
            sent.append(await topic.send(key=key, value=value, headers=headers, partition=partition))
        return sent


class PlacedTable(faust.Table):  # type: ignore[misc]
    """A table whose entries go to the changelog partition their key names (`place`), not to
    that of the event being handled: a step may write for any partition this worker holds."""

    place: Callable[[str], int]

    def partition_for_key(self, key: Any) -> int | None:
        return self.place(key)


def _posting_place(key: str) -> tuple[int, int]:
    """A posting's band partition and its place in that partition's order ("<partition>:<seq>")."""
    partition, seq = key.split(":", 1)
    return int(partition), int(seq)


def _posting_partition(key: str) -> int:
    return _posting_place(key)[0]


INTERNAL_TOPICS = ("articles", "bands", "replies", "verify", "verdicts")
TABLES = ("docs", "postings", "marks")


def internal_topic(settings: Settings, name: str) -> str:
    return f"{settings.syndication_app_id}-syndication-{name}"


async def ensure_internal_topics(settings: Settings) -> int:
    """Create the internal topics and the tables' changelogs, with as many partitions as the
    enriched topic, before the app subscribes to them (Faust would create them too, but after its
    first subscription, which then misses them until the next rebalance). Returns that count."""
    partitions = (await describe_topics(settings)).get(settings.topic_enriched)
    if partitions is None:
        raise TopicMissingError(f"topic {settings.topic_enriched} does not exist (`wirestream topics create`)")
    options = {"max.message.bytes": str(settings.output_topic_max_bytes)}
    names = [internal_topic(settings, name) for name in INTERNAL_TOPICS]
    if settings.topic_agency_feed:
        described = await describe_topics(settings)
        if settings.topic_agency_feed not in described:
            raise TopicMissingError(
                f"topic {settings.topic_agency_feed} (WIRESTREAM_TOPIC_AGENCY_FEED) does not exist: create it, "
                "or unset the setting"
            )
        names.append(internal_topic(settings, "references"))
    wanted = [NewTopic(name, partitions, settings.topic_replication_factor, topic_configs=options) for name in names]
    wanted += [
        NewTopic(
            f"{settings.syndication_app_id}-syndication-{name}-changelog",
            partitions,
            settings.topic_replication_factor,
            topic_configs={"cleanup.policy": "compact", **options},
        )
        for name in TABLES
    ]
    async with admin_client(settings) as admin:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t.name not in existing]
        if missing:
            await admin.create_topics(missing)
    for _ in range(50):  # new topics take a moment to appear in the metadata
        described = await describe_topics(settings)
        if all(t.name in described for t in wanted):
            break
        await asyncio.sleep(0.2)
    for topic in wanted:
        if described.get(topic.name) != partitions:
            raise ConfigError(
                f"{topic.name} has {described.get(topic.name)} partitions, {settings.topic_enriched} has {partitions}: "
                "they must match (delete the stage's internal topics, or give it another WIRESTREAM_SYNDICATION_APP_ID)"
            )
    return partitions


Step = Callable[[Hold, Outbox], bool]


def create_app(settings: Settings, partitions: int) -> tuple[faust.App, SyndicationStage]:
    """The stage's app; `partitions` is the partition count of `articles.enriched`, which every
    internal topic and table shares."""
    app = App(
        settings.syndication_app_id, **app_options(settings), producer_linger=settings.syndication_linger_ms / 1000
    )
    stage = SyndicationStage(app, settings, params_from(settings), partitions)
    # A batch waits at most the batch window (1 ms at least: with none, a batch that is not
    # full would wait for ever).
    within = max(settings.batch_window_ms, 1) / 1000
    batch = settings.syndication_batch_size

    def agent(topic: faust.TopicT, name: str, step: Step) -> None:
        async def run(stream: faust.StreamT[bytes]) -> None:
            # A batch's events are acknowledged once its messages and table writes are on the
            # broker, by a task of their own, so that the agent goes on to the next batch meanwhile.
            sent: asyncio.Queue[tuple[list[asyncio.Future[Any]], list[Hold]]] = asyncio.Queue(maxsize=16)
            acknowledging = asyncio.ensure_future(acknowledge(sent))
            try:
                async for events in stream.noack_take(batch, within=within):
                    stage.fresh()
                    out = Outbox()
                    for event in events:
                        # Acknowledged below, or when its article is decided, or (fetched before a
                        # rebalance) delivered again: a rebalance does not wait for any of them.
                        # Table writes are all made before the first await, so a rebalance comes
                        # between batches, and its producer flush sends them.
                        app.consumer.release(event.message)
                        if not stage.current(event):
                            continue
                        hold = stage.hold(event)
                        try:
                            if step(hold, out):
                                out.decided.append(hold)
                        except Exception as exc:  # one bad event must not stop the stream: dead-letter it
                            stage.dead_letter(event, name, exc, out)
                            out.decided.append(hold)
                    stage.run_local(out)
                    futures = await stage.send(out)
                    await sent.put(([*futures, *app.producer.in_flight()], out.decided))
            finally:
                acknowledging.cancel()

        run.__name__ = run.__qualname__ = f"syndication_{name}"
        app.agent(topic, name=f"syndication-{name}", concurrency=1)(run)

    async def acknowledge(sent: asyncio.Queue[tuple[list[asyncio.Future[Any]], list[Hold]]]) -> None:
        while True:
            futures, holds = await sent.get()
            if futures:
                await asyncio.wait(futures)
            failed = next((f.exception() for f in futures if not f.cancelled() and f.exception()), None)
            if failed is not None:  # not acknowledged: a restarted worker gets the events again
                log.error("syndication: a message could not be sent: %r", failed)
                await app.crash(failed)
                return
            stage.done(holds)

    agent(stage.enriched, "route", stage.route)
    agent(stage.articles, "index", stage.index)  # records that arrived on another partition
    agent(stage.bands_topic, "band", stage.internal)
    agent(stage.replies, "gather", stage.internal)
    agent(stage.verify_topic, "verify", stage.internal)
    agent(stage.verdicts, "decide", stage.internal)
    if settings.topic_agency_feed:
        feed, references = stage.add_agency_feed()
        agent(feed, "feed", stage.route_feed_item)
        agent(references, "reference", stage.index_reference)

    app.task(freeze_after_full_collections)

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.text(generate_latest(stage.metrics.registry).decode(), content_type=PROMETHEUS_CONTENT_TYPE)

    return app, stage


async def freeze_after_full_collections() -> None:
    """The stage keeps its index in memory: hundreds of thousands of long-lived objects, freed
    by reference counting (none is in a cycle). Each full pass of the cyclic collector walked
    them all and stopped the stage for 70-200 ms at a few thousand articles, more as the window
    fills. Right after a full collection, whatever survives it is moved out of the collector's
    sight (`gc.freeze`), so that the next pass walks only what was allocated since; garbage in
    cycles has just been collected, so nothing is kept that a pass would have freed."""
    # The callback only notes it: it runs inside the collection, wherever that was triggered.
    full = [gc.get_stats()[2]["collections"]]

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full[0] += 1

    gc.callbacks.append(note)
    frozen = full[0]
    try:
        while True:
            await asyncio.sleep(0.02)
            if full[0] != frozen:
                frozen = full[0]
                gc.freeze()
    finally:
        gc.callbacks.remove(note)


def run_worker(settings: Settings) -> None:
    """Run the stage until SIGTERM (the `wirestream syndication worker` command)."""
    import mode.loop

    from wirestream.cli.operations import _ensure_topics_when_reachable
    from wirestream.logs import configure_logging

    configure_logging(settings)
    _ensure_topics_when_reachable(settings)
    partitions = asyncio.run(ensure_internal_topics(settings))
    if settings.event_loop == "uvloop":
        mode.loop.use("uvloop")
    app, _ = create_app(settings, partitions)
    runner = faust.Worker(app, loglevel=settings.log_level, override_logging=False, redirect_stdouts=False, quiet=True)
    runner.spinner = None
    runner.execute_from_commandline()
