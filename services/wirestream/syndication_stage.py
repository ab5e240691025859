"""The syndication stage: `articles.enriched` in, `articles.syndication` out, state in Faust tables.

The core's steps run where their state lives. Every internal topic has the partition count P
of `articles.enriched`, and every message is sent to an explicit partition, `home(key)` (Kafka's
default partitioner), so that a key's table entries and the messages about it meet on one
partition (and one worker) whatever the topic. An article is indexed on its enriched partition,
in the order of that partition (a record on another partition than its id's moves home first):

    enriched ─index─▶ bands (home(band key), one message per partition)
      bands ─band─▶ replies (home(id)) ─gather─▶ verify (home(candidate id))
      verify ─verify─▶ verdicts (home(id)) ─decide─▶ articles.syndication (key id)

* `index` (docs table): fingerprints the article and keeps it, pending, under its id.
* `band` (bands table): each band key's ids live on one partition; it answers which earlier
  ids share the key and adds this one. The canonical URL is a key of its own (`u:<url>`).
* `gather` (pending table): once every band partition has answered, ranks the candidates and
  asks each candidate's partition to compare.
* `verify` (docs, parked tables): compares the shingles with the candidate's; a candidate still
  pending is parked until it is decided, so that its story and origin are final.
* `decide`: the core's `decide`; the record goes out, the article's doc becomes final, and
  comparisons parked on it are released.

Tables are changelog-backed (in memory, restored from their changelog topics when a worker
starts or takes over partitions). Each event is handled alone, with agent concurrency 1 (or, with
`WIRESTREAM_SYNDICATION_BATCH_SIZE` > 1, in batches, one at a time and in order); its table
changes and messages are flushed before it is acknowledged; any failure is dead-lettered
(original key, value and headers plus error headers) before the event is acknowledged.
Internal messages are idempotent: a redelivered one changes nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.admin import NewTopic
from aiokafka.partitioner import murmur2
from faust.streams import _current_event as faust_current_event
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
    rank_candidates,
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


def home(key: str, partitions: int) -> int:
    """The partition of a key on every topic of the stage: Kafka's default partitioner's (murmur2),
    so that an article's home is the partition of `articles.enriched` its record is on."""
    return (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions


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


class SyndicationStage:
    """The agents' steps, over tables and topics given by `create_app`."""

    # The agency feed's (`add_agency_feed`): the topic to the items' partitions, and the marks of
    # the ids being indexed as reference copies.
    references_topic: faust.TopicT | None = None
    references: faust.TableT | None = None

    def __init__(self, app: faust.App, settings: Settings, params: Params, partitions: int) -> None:
        self.app = app
        self.settings = settings
        self.params = params
        self.index = SyndicationIndex(params=params)  # for `fingerprint` only: its own state stays empty
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

        self.enriched = app.topic(
            settings.topic_enriched,
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            allow_empty=True,
        )
        self.articles = internal("articles")
        self.bands_topic = internal("bands")
        self.replies = internal("replies")
        self.verify_topic = internal("verify")
        self.verdicts = internal("verdicts")
        self.dlq = app.topic(
            settings.topic_dlq, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
        )
        self.output = app.topic(
            settings.topic_syndication, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
        )

        def table(name: str) -> faust.TableT:
            return app.Table(
                f"syndication-{name}",
                default=None,
                partitions=p,
                schema=faust.Schema(key_serializer="json", value_serializer="json"),
            )

        self.docs = table("docs")
        self.pending = table("pending")
        self.parked = table("parked")
        self.bands = table("bands")
        self.meta = table("meta")

    # -- sending --

    async def _send(self, topic: faust.TopicT, key: str, value: Any, *, partition: int | None = None) -> None:
        await topic.send(key=key.encode("utf-8"), value=codec.dumps(value), partition=partition)

    async def _deliver(
        self,
        topic: faust.TopicT,
        key: bytes | None,
        value: bytes | None,
        headers: Any = None,
        partition: int | None = None,
    ) -> None:
        future = await topic.send(key=key, value=value, headers=headers, partition=partition)
        await future

    async def dead_letter(self, event: faust.EventT, step: str, exc: BaseException) -> None:
        msg = _input_message(event.message)
        out = self.handler.dead_letter(msg, exc, now=datetime.now(UTC), stage="enrich")
        self.metrics.dead_lettered.labels(step).inc()
        await self._deliver(self.dlq, out.key, out.value, out.headers)

    # -- route: a record on another partition than its id's (another partitioner) moves home --

    async def route(self, event: faust.EventT) -> None:
        article = decode_enriched(event.value)
        where_home = home(article.id, self.partitions)
        if event.message.partition == where_home:
            await self.index_article(event, article)
        else:
            await self.articles.send(key=article.id.encode("utf-8"), value=event.value, partition=where_home)

    # -- index: fingerprint, keep pending, ask the band partitions --

    async def index_article(self, event: faust.EventT, article: Article | None = None) -> None:
        article = article or decode_enriched(event.value)
        previous = self.docs.get(article.id)
        if replayed(previous, article):
            await self._emit(SyndicationRecord.model_validate(previous["record"]))
            return
        pending = self._pending(article.id)
        if pending is not None and pending["article"]["content_hash"] == article.content_hash:
            await self._ask_bands(pending)  # redelivered: ask again; answers are counted once
            return
        watermark = self._advance(event.message.partition, article.at)
        late = article.at < watermark - self.params.window_s
        fp = self.index.fingerprint(article)
        stored = stored_base(fp)
        decided_previous = previous if previous is not None and "story" in previous else None
        version, predecessor = version_by_id(decided_previous, stored, article.id)
        pending = {
            "article": _article_dump(article),
            "shingles": pack(fp.shingles),
            "keys": fp.band_keys,
            "stored": stored,
            "late": late,
            "version": version.model_dump(mode="json") if version else None,
            "predecessor": predecessor,
            "predecessor_summary": summary_of(decided_previous) if version is not None else None,
            "parts": sorted({home(k, self.partitions) for k in self._keys(fp.band_keys, stored)}),
            "answered": {},
            "url_entry": None,
            "asked": None,
            "verdicts": {},
        }
        self.pending[_static_key(article.id)] = {k: pending[k] for k in _STATIC}
        self._keep_pending(article.id, pending)
        if not late:
            self._expire(event.message.partition, article.at, article.id)
        if pending["parts"]:
            await self._ask_bands(pending)
        else:
            await self._compare(article.id, pending)

    def _keys(self, band_keys: list[str], stored: dict[str, Any]) -> list[str]:
        return [*band_keys, *([f"u:{stored['url']}"] if stored["url"] else [])]

    async def _ask_bands(self, pending: dict[str, Any]) -> None:
        article_id = pending["article"]["id"]
        by_part: dict[int, list[str]] = {}
        for key in self._keys(pending["keys"], pending["stored"]):
            by_part.setdefault(home(key, self.partitions), []).append(key)
        stored = pending["stored"]
        entry = None if pending["late"] else url_entry_of(article_id, stored)
        for part, keys in sorted(by_part.items()):
            await self._send(
                self.bands_topic,
                f"{article_id}",
                {"id": article_id, "at": stored["at"], "keys": keys, "insert": not pending["late"], "url": entry},
                partition=part,
            )

    # -- band: look up and add, per band key --

    async def band(self, event: faust.EventT) -> None:
        ask = codec.loads(event.value)
        article_id = ask["id"]
        self._sweep_bands(event.message.partition, ask["at"])
        if ask["insert"]:
            self._remember_keys(event.message.partition, ask["at"], ask["keys"])
        hits: dict[str, list[str]] = {}
        url_entry = None
        for key in ask["keys"]:
            if key.startswith("u:"):
                url_entry = self.bands.get(key)
                if ask["insert"] and ask["url"] is not None and (url_entry or {}).get("id") != article_id:
                    self.bands[key] = ask["url"]
                if url_entry is not None and url_entry.get("id") == article_id:
                    url_entry = None
                continue
            entries = self.bands.get(key) or []
            hits[key] = [e for e in entries if e[0] != article_id]
            if ask["insert"] and (not entries or entries[-1][0] != article_id):
                kept = [*hits[key], [article_id, ask["at"]]]
                self.bands[key] = kept[-self.params.max_band_entries :]
        reply = {"id": article_id, "part": event.message.partition, "hits": hits, "url": url_entry}
        await self._send(self.replies, article_id, reply, partition=home(article_id, self.partitions))

    # -- gather: every band partition answered; ask the candidates --

    async def gather(self, event: faust.EventT) -> None:
        reply = codec.loads(event.value)
        article_id = reply["id"]
        pending = self._pending(article_id)
        if pending is None:
            return
        if pending["asked"] is not None:
            # Redelivered after a crash: the comparisons may not have gone out; ask again.
            await self._ask_candidates(article_id, pending)
            return
        pending["answered"][str(reply["part"])] = {"hits": reply["hits"], "url": reply["url"]}
        if reply["url"] is not None:
            pending["url_entry"] = reply["url"]
        if len(pending["answered"]) < len(pending["parts"]):
            self._keep_pending(article_id, pending)
            return
        await self._compare(article_id, pending)

    async def _compare(self, article_id: str, pending: dict[str, Any]) -> None:
        stored = pending["stored"]
        if pending["version"] is None:
            version, predecessor = version_by_url(pending["url_entry"], stored, article_id)
            if version is not None:
                pending["version"] = version.model_dump(mode="json")
                pending["predecessor"] = predecessor
        hits_by_key: dict[str, list[list[Any]]] = {}
        for answer in pending["answered"].values():
            hits_by_key.update(answer["hits"])
        times = {i: at for entries in hits_by_key.values() for i, at in entries}
        ranked = rank_candidates(
            [[i for i, _ in hits_by_key.get(key, [])] for key in pending["keys"]],
            exclude={article_id, pending["predecessor"]},
            limit=self.params.max_candidates,
        )
        # Only earlier articles can be copies (as in the core): and an article never waits for a later one.
        own = (stored["at"], article_id)
        cutoff_hour = int((stored["at"] - self.params.window_s) // 3600)
        asks = [(c, False) for c in ranked if (times[c], c) < own and int(times[c] // 3600) >= cutoff_hour]
        if pending["version"] is not None and pending["predecessor_summary"] is None:
            asks.append((pending["predecessor"], True))
        pending["asked"] = [c for c, _ in asks]
        pending["asked_predecessor"] = any(p for _, p in asks)
        pending["answered"] = {}  # read only above: no need to keep the hits
        self._keep_pending(article_id, pending)
        if not asks:
            await self._decide(article_id, pending)
            return
        await self._ask_candidates(article_id, pending)

    async def _ask_candidates(self, article_id: str, pending: dict[str, Any]) -> None:
        article = pending["article"]
        asked = pending["asked"]
        for n, cand in enumerate(asked):
            if cand in pending["verdicts"]:
                continue
            is_predecessor = pending["asked_predecessor"] and n == len(asked) - 1
            request = {
                "id": article_id,
                "at": article["at"],
                "cand": cand,
                "predecessor": is_predecessor,
                "shingles": pending["shingles"],
            }
            await self._send(self.verify_topic, cand, request, partition=home(cand, self.partitions))

    # -- verify: at the candidate's partition --

    async def verify(self, event: faust.EventT) -> None:
        await self._verify(codec.loads(event.value))

    async def _verify(self, request: dict[str, Any], *, wait: bool = False) -> None:
        cand = request["cand"]
        doc = self.docs.get(cand)
        verdict: dict[str, Any] = {"id": request["id"], "cand": cand, "copy": None, "summary": None}
        if doc is None and self.pending.get(cand) is not None:
            parked = [r for r in self.parked.get(cand) or [] if r["id"] != request["id"]]
            self.parked[cand] = [*parked, request]
            self.metrics.parked.inc()
            return
        if doc is not None:
            if request["predecessor"]:
                verdict["summary"] = summary_of(doc)
            else:
                fp = Fingerprint(Article(id=request["id"], body="", at=request["at"]), unpack(request["shingles"]), [])
                found = match(fp, cand, doc, self.params)
                if found is not None:
                    verdict["copy"], verdict["summary"] = found[0].model_dump(mode="json"), found[1]
        partition = home(request["id"], self.partitions)
        if wait:
            await self._deliver(self.verdicts, request["id"].encode("utf-8"), codec.dumps(verdict), partition=partition)
        else:
            await self._send(self.verdicts, request["id"], verdict, partition=partition)

    # -- decide: every candidate answered --

    async def verdict(self, event: faust.EventT) -> None:
        verdict = codec.loads(event.value)
        article_id = verdict["id"]
        pending = self._pending(article_id)
        if pending is None or pending["asked"] is None:
            return
        pending["verdicts"][verdict["cand"]] = verdict
        if len(pending["verdicts"]) < len(pending["asked"]):
            self._keep_pending(article_id, pending)
            return
        await self._decide(article_id, pending)

    async def _decide(self, article_id: str, pending: dict[str, Any]) -> None:
        a = pending["article"]
        article = Article(
            id=a["id"],
            body="",
            at=a["at"],
            title="",
            url=a["url"],
            credited=tuple(a["credited"]),
            content_hash=a["content_hash"],
        )
        fp = Fingerprint(article, unpack(pending["shingles"]), pending["keys"])
        stored = dict(pending["stored"])
        matches: list[tuple[Copy, dict[str, Any]]] = []
        predecessor_summary = pending["predecessor_summary"]
        for cand, verdict in pending["verdicts"].items():
            if cand == pending["predecessor"]:
                predecessor_summary = predecessor_summary or verdict["summary"]
            elif verdict["copy"] is not None:
                matches.append((Copy.model_validate(verdict["copy"]), verdict["summary"]))
        version = VersionOf.model_validate(pending["version"]) if pending["version"] else None
        record = decide(fp, stored, version, predecessor_summary, matches, self.params)
        # In this order, so that a crash anywhere leaves the pending article to be decided again
        # (a duplicate record) rather than a comparison parked on it that nobody answers.
        await self._emit(record)
        if not pending["late"]:
            finish_stored(stored, fp, record)
            self.docs[article_id] = stored
        parked = self.parked.get(article_id)
        if parked is not None:
            for request in parked:
                await self._verify(request, wait=True)
            del self.parked[article_id]
        del self.pending[article_id]
        if _static_key(article_id) in self.pending:
            del self.pending[_static_key(article_id)]

    # A pending article is rewritten on every answer it gets; what never changes (its shingles,
    # band keys and stored base, most of its bytes) is kept once, under a key of its own.

    def _pending(self, article_id: str) -> dict[str, Any] | None:
        pending = self.pending.get(article_id)
        if pending is None or "shingles" in pending:  # kept whole by an earlier version
            return pending
        return {**pending, **(self.pending.get(_static_key(article_id)) or {})}

    def _keep_pending(self, article_id: str, pending: dict[str, Any]) -> None:
        self.pending[article_id] = {k: v for k, v in pending.items() if k not in _STATIC}

    async def _emit(self, record: SyndicationRecord) -> None:
        if self.references is not None and self.references.get(record.id) is not None:
            self._indexed_reference(record)
            return
        await self._deliver(self.output, record.id.encode("utf-8"), encode(record))
        self.metrics.record(record)

    # -- the window, per partition of the articles topic --

    def _advance(self, partition: int, at: float) -> float:
        key = f"watermark:{partition}"
        watermark = max(self.meta.get(key) or at, at)
        if watermark != self.meta.get(key):
            self.meta[key] = watermark
        cutoff_hour = int((watermark - self.params.window_s) // 3600)
        hours_key = f"hours:{partition}"
        hours = list(self.meta.get(hours_key) or [])
        expired = [h for h in hours if h < cutoff_hour]
        for hour in expired:
            for article_id in self._entries(f"expiry:{partition}:{hour}"):
                doc = self.docs.get(article_id)
                if doc is not None and int(doc["at"] // 3600) == hour:
                    del self.docs[article_id]
            self._drop(f"expiry:{partition}:{hour}")
        if expired:
            self.meta[hours_key] = [h for h in hours if h >= cutoff_hour]
        return watermark

    def _remember_keys(self, partition: int, at: float, keys: list[str]) -> None:
        hour = int(at // 3600)
        self._append(f"bandexpiry:{partition}:{hour}", keys)
        hours = list(self.meta.get(f"bandhours:{partition}") or [])
        if hour not in hours:
            self.meta[f"bandhours:{partition}"] = sorted([*hours, hour])

    def _sweep_bands(self, partition: int, at: float) -> None:
        """Drop ids older than the window from the band keys written in hours now past it."""
        mark = f"bandwatermark:{partition}"
        watermark = max(self.meta.get(mark) or at, at)
        if watermark != self.meta.get(mark):
            self.meta[mark] = watermark
        cutoff = watermark - self.params.window_s
        cutoff_hour = int(cutoff // 3600)
        hours = list(self.meta.get(f"bandhours:{partition}") or [])
        expired = [h for h in hours if h < cutoff_hour]
        for hour in expired:
            bucket = f"bandexpiry:{partition}:{hour}"
            for key in dict.fromkeys(self._entries(bucket)):
                value = self.bands.get(key)
                if value is None:
                    continue
                if key.startswith("u:"):
                    kept = None if int(value["at"] // 3600) < cutoff_hour else value
                else:
                    kept = [e for e in value if int(e[1] // 3600) >= cutoff_hour] or None
                if kept is None:
                    del self.bands[key]
                elif kept != value:
                    self.bands[key] = kept
            self._drop(bucket)
        if expired:
            self.meta[f"bandhours:{partition}"] = [h for h in hours if h >= cutoff_hour]

    def _expire(self, partition: int, at: float, article_id: str) -> None:
        hour = int(at // 3600)
        self._append(f"expiry:{partition}:{hour}", [article_id])
        hours = list(self.meta.get(f"hours:{partition}") or [])
        if hour not in hours:
            self.meta[f"hours:{partition}"] = sorted([*hours, hour])

    # -- the agency feed: items become reference copies of their agency, with no record --

    def add_agency_feed(self) -> tuple[faust.TopicT, faust.TopicT]:
        """The feed topic (`WIRESTREAM_TOPIC_AGENCY_FEED`, any partition count) and the internal
        topic that takes each item to its id's partition; and the table of items being indexed."""
        raw = {"key_type": bytes, "value_type": bytes, "key_serializer": "raw", "value_serializer": "raw"}
        feed = self.app.topic(self.settings.topic_agency_feed, allow_empty=True, **raw)
        self.references_topic = self.app.topic(
            internal_topic(self.settings, "references"), partitions=self.partitions, internal=True, **raw
        )
        self.references = self.app.Table(
            "syndication-references",
            default=None,
            partitions=self.partitions,
            schema=faust.Schema(key_serializer="json", value_serializer="json"),
        )
        return feed, self.references_topic

    async def route_feed_item(self, event: faust.EventT) -> None:
        """A feed item, as the minimal enriched record that indexes it, to its id's partition."""
        assert self.references_topic is not None  # set with the agent, by add_agency_feed
        ts = event.message.timestamp
        record = decode_feed_item(event.value, received_at=datetime.fromtimestamp(ts, tz=UTC) if ts else None)
        await self._send(self.references_topic, record["id"], record, partition=home(record["id"], self.partitions))

    async def index_reference(self, event: faust.EventT) -> None:
        """Index a feed item as any article is indexed; it is marked until it is decided, so that
        `_emit` keeps its record off the output topic. Its doc stays, crediting its agency."""
        assert self.references is not None  # set with the agent, by add_agency_feed
        article = decode_enriched(event.value)
        self.references[article.id] = article.at
        try:
            await self.index_article(event, article)
        except Exception:
            self._unmark(article.id)
            raise

    def _indexed_reference(self, record: SyndicationRecord) -> None:
        self._unmark(record.id)
        if record.origin is not None:
            self.metrics.references.labels(record.origin.agency).inc()

    def _unmark(self, article_id: str) -> None:
        if self.references is not None and self.references.get(article_id) is not None:
            del self.references[article_id]

    # The lists of ids and band keys per partition and hour grow with every article of that hour:
    # kept whole, each append would rewrite (and send to the changelog) the whole list. They are
    # kept in chunks, `<key>#0`, `<key>#1`, … (their count under `<key>#n`), so that an append
    # rewrites one chunk of at most META_CHUNK entries.

    def _append(self, key: str, values: list[str]) -> None:
        count = self.meta.get(f"{key}#n") or 0
        last = self.meta.get(f"{key}#{count - 1}") if count else None
        if last is None or len(last) >= META_CHUNK:
            self.meta[f"{key}#{count}"] = list(values)
            self.meta[f"{key}#n"] = count + 1
        else:
            self.meta[f"{key}#{count - 1}"] = [*last, *values]

    def _entries(self, key: str) -> list[str]:
        """Every entry of a chunked list (and of one kept whole, as earlier versions did)."""
        out = list(self.meta.get(key) or [])
        for n in range(self.meta.get(f"{key}#n") or 0):
            out.extend(self.meta.get(f"{key}#{n}") or [])
        return out

    def _drop(self, key: str) -> None:
        names = [f"{key}#{n}" for n in range(self.meta.get(f"{key}#n") or 0)] + [f"{key}#n", key]
        for name in names:
            if name in self.meta:
                del self.meta[name]


META_CHUNK = 256
_STATIC = ("shingles", "keys", "stored")


def _static_key(article_id: str) -> str:
    """Where a pending article's unchanging part is kept: a NUL-led key, which no article id
    starts with in practice."""
    return f"\x00static:{article_id}"


INTERNAL_TOPICS = ("articles", "bands", "replies", "verify", "verdicts")
TABLES = ("docs", "pending", "parked", "bands", "meta")


def internal_topic(settings: Settings, name: str) -> str:
    return f"{settings.syndication_app_id}-syndication-{name}"


async def ensure_internal_topics(settings: Settings) -> int:
    """Create the internal topics and the tables' changelogs, with as many partitions as the
    enriched topic, before the app subscribes to them (Faust would create them too, but after its
    first subscription, which then misses them until the next rebalance). Returns that count."""
    partitions = (await describe_topics(settings)).get(settings.topic_enriched)
    if partitions is None:
        raise TopicMissingError(f"topic {settings.topic_enriched} does not exist (`wirestream topics create`)")
    wanted = [
        NewTopic(
            internal_topic(settings, name),
            partitions,
            settings.topic_replication_factor,
            topic_configs={"max.message.bytes": str(settings.output_topic_max_bytes)},
        )
        for name in INTERNAL_TOPICS
    ] + [
        NewTopic(
            f"{settings.syndication_app_id}-syndication-{name}-changelog",
            partitions,
            settings.topic_replication_factor,
            topic_configs={"cleanup.policy": "compact", "max.message.bytes": str(settings.output_topic_max_bytes)},
        )
        for name in TABLES
    ]
    wanted += _agency_feed_topics(settings, partitions, await describe_topics(settings))
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


def _agency_feed_topics(settings: Settings, partitions: int, described: dict[str, int]) -> list[NewTopic]:
    """With an agency feed: its internal topic and its table's changelog; the feed must exist."""
    if not settings.topic_agency_feed:
        return []
    if settings.topic_agency_feed not in described:
        raise TopicMissingError(
            f"topic {settings.topic_agency_feed} (WIRESTREAM_TOPIC_AGENCY_FEED) does not exist: create it, "
            "or unset the setting"
        )
    options = {"max.message.bytes": str(settings.output_topic_max_bytes)}
    return [
        NewTopic(
            internal_topic(settings, "references"),
            partitions,
            settings.topic_replication_factor,
            topic_configs=options,
        ),
        NewTopic(
            f"{settings.syndication_app_id}-syndication-references-changelog",
            partitions,
            settings.topic_replication_factor,
            topic_configs={"cleanup.policy": "compact", **options},
        ),
    ]


def _article_dump(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "at": article.at,
        "url": article.url,
        "credited": list(article.credited),
        "content_hash": article.content_hash,
    }


def create_app(settings: Settings, partitions: int) -> tuple[faust.App, SyndicationStage]:
    """The stage's app; `partitions` is the partition count of `articles.enriched`, which every
    internal topic and table shares."""
    app = App(
        settings.syndication_app_id,
        **app_options(settings),
        # Each article writes some 150 small table entries: with batches, a few ms of linger puts
        # them in a few requests instead of one each (bench/README.md, variant g).
        producer_linger=settings.syndication_linger_ms / 1000,
    )
    stage = SyndicationStage(app, settings, params_from(settings), partitions)

    within = settings.batch_window_ms / 1000 or None
    batch = settings.syndication_batch_size

    def agent(topic: faust.TopicT, name: str, step: Any) -> None:
        async def handle(event: faust.EventT) -> None:
            try:
                await step(event)
            except Exception as exc:  # one bad event must not stop the stream: dead-letter it
                if not isinstance(exc, InvalidArticleError):
                    log.exception("syndication step %s failed", name, extra=where(_input_message(event.message)))
                await stage.dead_letter(event, name, exc)

        async def run(stream: faust.StreamT[bytes]) -> None:
            # The table changes and messages of an event are on the broker before it is
            # acknowledged: a worker that takes the partition over in a rebalance, or after a
            # crash, restores them, or gets the event again.
            if batch == 1:
                async for event in stream.events():
                    await handle(event)
                    await app.producer.flush()
                return
            # Batches (`WIRESTREAM_SYNDICATION_BATCH_SIZE` > 1): events handled one by one, in
            # order, then one flush for all of them, so that their table changes share produce
            # requests (with a producer linger) instead of each event waiting for its own.
            async for events in stream.noack_take(batch, within=within):
                for event in events:
                    # Table writes go to the changelog partition of the current event, which
                    # Faust sets (in the agent's context) only for events it yields one at a time.
                    faust_current_event.set(weakref.ref(event))
                    await handle(event)
                faust_current_event.set(None)
                await app.producer.flush()
                for event in events:
                    await stream.ack(event)

        run.__name__ = run.__qualname__ = f"syndication_{name}"
        app.agent(topic, name=f"syndication-{name}", concurrency=1)(run)

    agent(stage.enriched, "route", stage.route)
    agent(stage.articles, "index", stage.index_article)  # records that arrived on another partition
    agent(stage.bands_topic, "band", stage.band)
    agent(stage.replies, "gather", stage.gather)
    agent(stage.verify_topic, "verify", stage.verify)
    agent(stage.verdicts, "decide", stage.verdict)
    if settings.topic_agency_feed:
        feed, references = stage.add_agency_feed()
        agent(feed, "feed", stage.route_feed_item)
        agent(references, "reference", stage.index_reference)

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        return web.json({"status": "ok"})

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        return web.text(generate_latest(stage.metrics.registry).decode(), content_type=PROMETHEUS_CONTENT_TYPE)

    return app, stage


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
