"""Syndication: which earlier articles in the window an article shares its text with.

Pure: no Kafka, Faust, clock or environment. The caller passes each article (with its time)
and the state; the state is a handful of plain mappings (`SyndicationState`) that the
offline twin keeps in dicts and the Faust stage backs with changelog-backed tables. Every
value put in them is JSON-able.

How an article is judged:

1. Its normalised body becomes word shingles (`Params.shingle_words` consecutive tokens; CJK,
   Thai and other scripts written without spaces give one token per character), hashed to 32
   bits.
2. A MinHash signature (`Params.num_perm` multiply-shift hashes) cut into LSH bands gives band
   keys; earlier articles sharing a band key are candidates. Bands of two rows find pairs down
   to a Jaccard similarity near 0.1, which a partial copy inside a longer article needs.
3. Each candidate is decided on the exact shingle sets, by containment both ways: the share of
   this article found in the earlier one (`contained`) and of the earlier one found in this one
   (`containing`). Jaccard alone misses a newspaper that keeps a third of the agency text.
4. Copies give the story (the first article of any copy's story), the origin (an agency and its
   reference copy: an article crediting that agency), uncredited agency copy, and versions
   (the same id or canonical URL with changed text).

Only earlier articles count: ordered by (time, id), so replaying a record gives the same answer
and a stream gives the same answers whatever its partitioning, as long as each article arrives
after the articles it copies.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
from rensa import RMinHash

from wirestream.schemas.syndication import (
    Copy,
    Origin,
    SyndicationRecord,
    UncreditedAgencyCopy,
    VersionDiff,
    VersionOf,
)

DAY_S = 86_400.0
SHINGLE_WORDS = 5
_HOUR_S = 3_600


@dataclass(frozen=True, slots=True)
class Params:
    """Detection parameters. The defaults are the ones `make bench-syndication` reports on."""

    shingle_words: int = SHINGLE_WORDS
    num_perm: int = 128
    bands: int = 64
    # Paragraphs of at least `paragraph_min_shingles` shingles get band keys of their own.
    paragraph_perm: int = 8
    paragraph_bands: int = 4
    paragraph_min_shingles: int = 8
    max_paragraphs: int = 64
    seed: int = 20240611
    window_s: float = 7 * DAY_S
    # Bounds on memory and work: articles kept, ids kept per band key, candidates verified.
    max_docs: int = 500_000
    max_band_entries: int = 50
    max_candidates: int = 100
    # A pair is a copy when they share a block of text (`block` shingles, about a paragraph), or
    # at least `min_shared` shingles that are `partial` of either article; wholly derived when
    # `wholly` of this one is in the other.
    block: int = 50
    min_shared: int = 8
    partial: float = 0.4
    wholly: float = 0.6

    def __post_init__(self) -> None:
        if self.num_perm % self.bands or self.paragraph_perm % self.paragraph_bands:
            raise ValueError("num_perm and paragraph_perm must be multiples of bands and paragraph_bands")
        if not 0 < self.partial <= self.wholly <= 1:
            raise ValueError("expected 0 < partial <= wholly <= 1")
        if self.shingle_words < 1 or self.window_s <= 0:
            raise ValueError("shingle_words and window_s must be positive")


@dataclass(frozen=True, slots=True)
class Article:
    """The parts of an enriched record that syndication reads."""

    id: str
    body: str
    at: float = field(metadata={"doc": "seconds since the epoch"})
    title: str = ""
    url: str | None = None
    credited: tuple[str, ...] = ()
    content_hash: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Article:
        """From an enriched record as decoded JSON. Its time is `published_at` unless that is
        missing or later than the input's timestamp, then the input's timestamp, then when it
        was processed."""
        processing = record.get("processing") or {}
        times = [_epoch(record.get("published_at")), _epoch(processing.get("received_at"))]
        published, received = times
        at = published if published is not None and (received is None or published <= received) else received
        if at is None:
            at = _epoch(processing.get("processed_at")) or 0.0
        attribution = record.get("attribution") or {}
        return cls(
            id=str(record["id"]),
            body=record.get("body") or "",
            at=at,
            title=record.get("title") or "",
            url=record.get("url"),
            credited=tuple(attribution.get("credited") or ()),
            content_hash=record.get("content_hash"),
        )


def _epoch(value: Any) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


# --- shingles -------------------------------------------------------------------------------

# Scripts written without spaces between words: one token per character.
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")
_UNSPACED_CHAR = re.compile(rf"[{_UNSPACED}]")
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def tokens(text: str) -> list[str]:
    """Casefolded word tokens; characters of scripts without spaces are tokens of their own."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


@lru_cache(maxsize=1 << 17)
def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, on arrays (uint64 arithmetic wraps)."""
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return h ^ (h >> np.uint64(31))


def _shingle_tokens(toks: list[str], k: int) -> np.ndarray:
    hashed = np.fromiter((_token_hash(t) for t in toks), dtype=np.uint64, count=len(toks))
    k = min(k, len(hashed))
    n = len(hashed) - k + 1
    acc = hashed[:n].copy()
    for j in range(1, k):
        acc = acc * _MULT + hashed[j : j + n]
    return np.unique((_mix(acc) >> np.uint64(32)).astype(np.uint32))


def paragraph_shingles(text: str, k: int = SHINGLE_WORDS) -> list[np.ndarray]:
    """Per paragraph (blank-line separated), the sorted distinct 32-bit hashes of its k-token
    shingles (one shingle of all its tokens when it has fewer than k). Shingles do not cross
    paragraphs, so paragraphs moved around keep theirs. A text mostly in scripts without
    spaces has shingles of 2k characters, about as long as k words."""
    paras = [t for t in (tokens(p) for p in text.split("\n\n")) if t]
    total = sum(len(p) for p in paras)
    unspaced = sum(1 for p in paras for t in p if len(t) == 1 and _UNSPACED_CHAR.match(t))
    if total and unspaced * 2 >= total:
        k *= 2
    return [_shingle_tokens(p, k) for p in paras]


def shingles(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """Sorted distinct 32-bit shingle hashes of the whole text: the union of its paragraphs'."""
    paras = paragraph_shingles(text, k)
    if not paras:
        return np.zeros(0, dtype=np.uint32)
    return paras[0] if len(paras) == 1 else np.unique(np.concatenate(paras))


class MinHasher:
    """MinHash signatures (rensa's, over the shingle hashes) and LSH band keys.

    rensa signs a set some 50 times faster than the same hashes in numpy, with the same
    estimation error (`bench/syndication_minhash.py`). Its signatures depend on its algorithm
    version, so the version is pinned: band keys live in the tables for the whole window.
    """

    def __init__(self, params: Params) -> None:
        self.params = params
        self.rows = params.num_perm // params.bands
        self.paragraph_rows = params.paragraph_perm // params.paragraph_bands

    def signature(self, shingle_set: np.ndarray) -> np.ndarray:
        """32-bit minimum hashes, one per permutation (all ones for an empty set)."""
        return self._signatures([shingle_set], self.params.num_perm, self.params.seed)[0]

    def band_keys(self, signature: np.ndarray) -> list[str]:
        rows = signature.reshape(self.params.bands, self.rows)
        return [f"{band:02x}" + row.tobytes().hex() for band, row in enumerate(rows)]

    def keys(self, whole: np.ndarray, paragraphs: list[np.ndarray]) -> list[str]:
        """Band keys of the whole text, then of each paragraph long enough to be worth finding
        on its own: a copied paragraph inside a longer article has the same paragraph keys."""
        p = self.params
        if whole.size == 0:
            return []
        keys = self.band_keys(self.signature(whole))
        long_enough = [s for s in paragraphs if s.size >= p.paragraph_min_shingles][: p.max_paragraphs]
        if long_enough:
            for sig in self._signatures(long_enough, p.paragraph_perm, p.seed + 1):
                rows = sig.reshape(p.paragraph_bands, self.paragraph_rows)
                keys.extend(f"p{band:x}" + row.tobytes().hex() for band, row in enumerate(rows))
        return list(dict.fromkeys(keys))

    @staticmethod
    def _signatures(sets: list[np.ndarray], num_perm: int, seed: int) -> list[np.ndarray]:
        offsets = np.zeros(len(sets) + 1, dtype=np.uint64)
        offsets[1:] = np.cumsum([s.size for s in sets])
        flat = np.concatenate(sets).astype(np.uint64) if sets else np.zeros(0, dtype=np.uint64)
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, seed)
        return [np.asarray(row, dtype=np.uint32) for row in matrix.to_rows()]


def is_copy(shared: int, contained: float, containing: float, params: Params) -> bool:
    """A block of text in common, or a good share of either article."""
    return shared >= params.block or (shared >= params.min_shared and max(contained, containing) >= params.partial)


def containment(a: np.ndarray, b: np.ndarray) -> tuple[int, float, float, float]:
    """Shared shingles, share of `a` in `b`, share of `b` in `a`, Jaccard similarity."""
    if a.size == 0 or b.size == 0:
        return 0, 0.0, 0.0, 0.0
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    return shared, shared / a.size, shared / b.size, shared / (a.size + b.size - shared)


# --- URLs, paragraphs, diffs ------------------------------------------------------------------

_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|cmpid$|ocid$|at_)", re.IGNORECASE)


def canonical_url(url: str | None) -> str | None:
    """Scheme and host lowercased, `www.` dropped, tracking parameters, fragment and a trailing
    slash removed: the same page reached from two links has one canonical URL."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    )
    return urlunsplit(
        (
            "https" if parts.scheme in ("http", "https") else parts.scheme.lower(),
            host,
            parts.path.rstrip("/") or "/",
            query,
            "",
        )
    )


def _paragraphs(body: str) -> list[list[Any]]:
    """[hash, words] per paragraph: enough to describe a later version's changes."""
    out = []
    for para in body.split("\n\n"):
        words = tokens(para)
        if words:
            out.append([hashlib.blake2b(" ".join(words).encode(), digest_size=6).hexdigest(), len(words)])
    return out


def _title_hash(title: str) -> str:
    return hashlib.blake2b(" ".join(tokens(title)).encode(), digest_size=6).hexdigest()


def version_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> VersionDiff:
    """Paragraphs added, removed and changed between two stored versions."""
    old, new = before["paragraphs"], after["paragraphs"]
    matcher = difflib.SequenceMatcher(a=[p[0] for p in old], b=[p[0] for p in new], autojunk=False)
    added = removed = changed = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert":
            added += j2 - j1
        elif op == "delete":
            removed += i2 - i1
        elif op == "replace":
            common = min(i2 - i1, j2 - j1)
            changed += common
            added += (j2 - j1) - common
            removed += (i2 - i1) - common
    title_changed = before["title"] != after["title"]
    parts = ["title changed"] if title_changed else []
    for count, what in ((added, "added"), (removed, "removed"), (changed, "changed")):
        if count:
            parts.append(f"{count} paragraph{'s' if count != 1 else ''} {what}")
    words_before, words_after = sum(p[1] for p in old), sum(p[1] for p in new)
    if not parts:
        parts.append("wording changed")
    parts.append(f"{words_before} -> {words_after} words")
    return VersionDiff(
        title_changed=title_changed,
        paragraphs_added=added,
        paragraphs_removed=removed,
        paragraphs_changed=changed,
        words_before=words_before,
        words_after=words_after,
        summary="; ".join(parts),
    )


# --- state ----------------------------------------------------------------------------------


@dataclass
class SyndicationState:
    """The index, as plain mappings from string keys to JSON-able values.

    docs:    article id -> the stored article (shingles, time, credits, story, origin, record)
    bands:   band key -> ids of articles with that band key, oldest first
    urls:    canonical URL -> id of the latest article at that URL
    expiry:  hour (as a string) -> ids of articles whose time falls in that hour
    meta:    "hours" -> the hours present in `expiry`, sorted; "watermark" -> latest time seen
    """

    docs: MutableMapping[str, Any] = field(default_factory=dict)
    bands: MutableMapping[str, Any] = field(default_factory=dict)
    urls: MutableMapping[str, Any] = field(default_factory=dict)
    expiry: MutableMapping[str, Any] = field(default_factory=dict)
    meta: MutableMapping[str, Any] = field(default_factory=dict)


def story_id(root_id: str) -> str:
    """A story's id: a short hash of its first article's id."""
    return "s" + hashlib.blake2b(root_id.encode("utf-8"), digest_size=8).hexdigest()


def pack(values: np.ndarray) -> str:
    return base64.b64encode(values.astype("<u4").tobytes()).decode("ascii")


def unpack(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's shingles and band keys, computed once."""

    article: Article
    shingles: np.ndarray
    band_keys: list[str]


class SyndicationIndex:
    """The windowed index over a `SyndicationState`. `observe` an article, get its record.

    This is the whole algorithm in one process (the offline twin). The Faust stage runs the
    same steps (`fingerprint`, `stored_base`, `version_by_id`, `rank_candidates`,
    `version_by_url`, `match`, `decide`) spread over partitions, with the same results.
    """

    def __init__(self, state: SyndicationState | None = None, params: Params | None = None) -> None:
        self.state = state if state is not None else SyndicationState()
        self.params = params or Params()
        self.hasher = MinHasher(self.params)

    def fingerprint(self, article: Article) -> Fingerprint:
        paragraphs = paragraph_shingles(article.body, self.params.shingle_words)
        if not paragraphs:
            whole = np.zeros(0, dtype=np.uint32)
        else:
            whole = paragraphs[0] if len(paragraphs) == 1 else np.unique(np.concatenate(paragraphs))
        return Fingerprint(article, whole, self.hasher.keys(whole, paragraphs))

    def observe(self, article: Article) -> SyndicationRecord:
        """The article's syndication record; the article joins the index (unless it is older
        than the window). Observing the same article again returns the same record."""
        state, p = self.state, self.params
        previous = state.docs.get(article.id)
        if replayed(previous, article):
            return SyndicationRecord.model_validate(previous["record"])
        fp = self.fingerprint(article)
        self._advance(article.at)
        stored = stored_base(fp)
        version_of, predecessor = version_by_id(previous, stored, article.id)
        hits = [state.bands.get(key) or () for key in fp.band_keys]
        url_entry = None
        if version_of is None and stored["url"]:
            other_id = state.urls.get(stored["url"])
            other = state.docs.get(other_id) if other_id else None
            url_entry = url_entry_of(other_id, other) if other is not None else None
        if version_of is None:
            version_of, predecessor = version_by_url(url_entry, stored, article.id)
        matches = []
        for cand_id in rank_candidates(hits, exclude={article.id, predecessor}, limit=p.max_candidates):
            doc = state.docs.get(cand_id)
            found = match(fp, cand_id, doc, p) if doc is not None else None
            if found is not None:
                matches.append(found)
        before = state.docs.get(predecessor) if predecessor is not None else None
        record = decide(fp, stored, version_of, summary_of(before) if before else None, matches, p)
        if article.at >= self._cutoff():
            self._store(fp, stored, record, replaced=previous)
            self._evict_over_capacity()
        return record

    # -- storing and the window --

    def _store(
        self, fp: Fingerprint, stored: dict[str, Any], record: SyndicationRecord, *, replaced: Mapping[str, Any] | None
    ) -> None:
        state, article = self.state, fp.article
        if replaced is not None:
            self._unlink(article.id, replaced)
        finish_stored(stored, fp, record)
        state.docs[article.id] = stored
        for key in fp.band_keys:
            state.bands[key] = band_insert(state.bands.get(key), article.id, self.params)
        if stored["url"]:
            state.urls[stored["url"]] = article.id
        hour = str(int(article.at // _HOUR_S))
        state.expiry[hour] = [*(state.expiry.get(hour) or ()), article.id]
        hours = list(state.meta.get("hours") or ())
        if int(hour) not in hours:
            hours.append(int(hour))
            hours.sort()
            state.meta["hours"] = hours

    def _advance(self, at: float) -> None:
        watermark = max(self.state.meta.get("watermark", at), at)
        if watermark != self.state.meta.get("watermark"):
            self.state.meta["watermark"] = watermark
        cutoff_hour = int(self._cutoff() // _HOUR_S)
        hours = list(self.state.meta.get("hours") or ())
        expired = [h for h in hours if h < cutoff_hour]
        if expired:
            for hour in expired:
                self._evict_hour(hour)
            self.state.meta["hours"] = [h for h in hours if h >= cutoff_hour]

    def _cutoff(self) -> float:
        return self.state.meta.get("watermark", float("-inf")) - self.params.window_s

    def _evict_over_capacity(self) -> None:
        hours = list(self.state.meta.get("hours") or ())
        while len(self.state.docs) > self.params.max_docs and len(hours) > 1:
            self._evict_hour(hours.pop(0))
            self.state.meta["hours"] = list(hours)

    def _evict_hour(self, hour: int) -> None:
        for article_id in self.state.expiry.pop(str(hour), None) or ():
            doc = self.state.docs.get(article_id)
            if doc is not None and int(doc["at"] // _HOUR_S) == hour:
                self._unlink(article_id, doc)
                del self.state.docs[article_id]

    def _unlink(self, article_id: str, doc: Mapping[str, Any]) -> None:
        """Remove an article from the band lists and the URL map (not from docs)."""
        for key in doc.get("bands") or ():
            ids = self.state.bands.get(key)
            if ids and article_id in ids:
                kept = [i for i in ids if i != article_id]
                if kept:
                    self.state.bands[key] = kept
                else:
                    del self.state.bands[key]
        url = doc.get("url")
        if url and self.state.urls.get(url) == article_id:
            del self.state.urls[url]

    # -- reading --

    def story(self, story: str) -> list[dict[str, Any]]:
        """The records of every article in the window whose story is `story`, oldest first
        (a scan of the window: for the CLI, not the stream)."""
        found = [doc["record"] for doc in self.state.docs.values() if doc.get("record", {}).get("story") == story]
        return sorted(found, key=lambda r: (r["at"], r["id"]))


# --- the steps, as pure functions of what they are given ---------------------------------------


def replayed(previous: Mapping[str, Any] | None, article: Article) -> bool:
    """The same id with the same text was judged before: its stored record is the answer."""
    return previous is not None and previous.get("hash") == article.content_hash and bool(previous.get("record"))


def stored_base(fp: Fingerprint) -> dict[str, Any]:
    article = fp.article
    return {
        "at": article.at,
        "hash": article.content_hash,
        "url": canonical_url(article.url),
        "title": _title_hash(article.title),
        "paragraphs": _paragraphs(article.body),
        "credited": sorted(article.credited),
    }


def finish_stored(stored: dict[str, Any], fp: Fingerprint, record: SyndicationRecord) -> None:
    """What the index keeps of a judged article, beside `stored_base` and `decide`'s story/origin."""
    stored["shingles"] = pack(fp.shingles)
    stored["bands"] = fp.band_keys
    stored["record"] = record.model_dump(mode="json")


def band_insert(ids: Any, article_id: str, params: Params) -> list[str]:
    kept = [i for i in ids or () if i != article_id]
    kept.append(article_id)
    return kept[-params.max_band_entries :]


def url_entry_of(article_id: str, doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a version by URL needs of the earlier article."""
    return {k: doc[k] for k in ("at", "hash", "title", "paragraphs")} | {"id": article_id}


def summary_of(doc: Mapping[str, Any]) -> dict[str, Any]:
    """What a decision needs of another judged article."""
    return {"at": doc["at"], "story": doc["story"], "origin": doc.get("origin"), "credited": doc.get("credited") or []}


def version_by_id(
    previous: Mapping[str, Any] | None, stored: Mapping[str, Any], article_id: str
) -> tuple[VersionOf | None, str | None]:
    if previous is None:
        return None, None
    if previous.get("hash") == stored["hash"]:
        return None, article_id
    version = VersionOf(
        id=article_id, match="id", content_hash=previous.get("hash") or "", diff=version_diff(previous, stored)
    )
    return version, article_id


def version_by_url(
    entry: Mapping[str, Any] | None, stored: Mapping[str, Any], article_id: str
) -> tuple[VersionOf | None, str | None]:
    """A version when the latest earlier article at the same canonical URL has other text."""
    if entry is None or entry["id"] == article_id or entry.get("hash") == stored["hash"]:
        return None, None
    if (entry["at"], entry["id"]) >= (stored["at"], article_id):
        return None, None
    version = VersionOf(
        id=entry["id"], match="url", content_hash=entry.get("hash") or "", diff=version_diff(entry, stored)
    )
    return version, entry["id"]


def rank_candidates(hits: Iterable[Iterable[str]], *, exclude: set[str | None], limit: int) -> list[str]:
    """Ids found under the band keys, most keys in common first."""
    counts: dict[str, int] = {}
    for ids in hits:
        for cand in ids:
            counts[cand] = counts.get(cand, 0) + 1
    return rank_counts(counts, exclude=exclude, limit=limit)


def rank_counts(counts: Mapping[str, int], *, exclude: set[str | None], limit: int) -> list[str]:
    """Ids by the number of band keys they share, most first (ties by id)."""
    return sorted((c for c in counts if c not in exclude), key=lambda c: (-counts[c], c))[:limit]


def match(fp: Fingerprint, cand_id: str, doc: Mapping[str, Any], params: Params) -> tuple[Copy, dict[str, Any]] | None:
    """The candidate as a copy (with its summary) if it is earlier and shares enough text."""
    article = fp.article
    if (doc["at"], cand_id) >= (article.at, article.id) or "story" not in doc:
        return None
    shared, contained, containing, similarity = containment(fp.shingles, unpack(doc["shingles"]))
    if not is_copy(shared, contained, containing, params):
        return None
    copy = Copy(
        id=cand_id,
        derivation="wholly" if contained >= params.wholly else "partially",
        contained=round(contained, 4),
        containing=round(containing, 4),
        similarity=round(similarity, 4),
        agencies=list(doc.get("credited") or ()),
    )
    return copy, summary_of(doc)


def decide(
    fp: Fingerprint,
    stored: dict[str, Any],
    version_of: VersionOf | None,
    predecessor: Mapping[str, Any] | None,
    matches: list[tuple[Copy, dict[str, Any]]],
    params: Params,
) -> SyndicationRecord:
    """The record, from the article, its version and its copies; sets `story` and `origin` in
    `stored`. Only what the arguments hold is read, so any process can decide."""
    article = fp.article
    copies = sorted(matches, key=lambda c: (-c[0].contained, -c[0].containing, c[1]["at"], c[0].id))
    # The story of the version it replaces, else of the copy it shares most text with: a
    # paragraph of site furniture shared with another story must not pull it over.
    if predecessor is not None:
        root = tuple(predecessor["story"])
    elif copies:
        root = tuple(copies[0][1]["story"])
    else:
        root = (article.at, article.id)
    stored["story"] = list(root)
    origin = _origin(article, copies)
    stored["origin"] = [origin.agency, origin.article_id, _origin_at(origin, article, copies)] if origin else None
    derivation = "none"
    if copies:
        derivation = "wholly" if any(c.derivation == "wholly" for c, _ in copies) else "partially"
    return SyndicationRecord(
        id=article.id,
        content_hash=article.content_hash,
        at=datetime.fromtimestamp(article.at, tz=UTC),
        shingles=int(fp.shingles.size),
        derivation=derivation,
        copies=[c for c, _ in copies],
        story=story_id(root[1]),
        origin=origin,
        uncredited_agency_copy=_uncredited(article, copies),
        version_of=version_of,
    )


def _origin(article: Article, copies: list[tuple[Copy, dict[str, Any]]]) -> Origin | None:
    if article.credited:
        # The earliest reference copy of an agency it credits, else it is one itself.
        for agency in sorted(article.credited):
            refs = [tuple(s["origin"]) for _, s in copies if s.get("origin") and s["origin"][0] == agency]
            if refs:
                _, ref_id, _ = min(refs, key=lambda r: (r[2], r[1]))
                return Origin(agency=agency, article_id=ref_id, basis="credited")
        return Origin(agency=sorted(article.credited)[0], article_id=article.id, basis="credited")
    for _, summary in copies:  # most contained first
        if summary.get("origin"):
            agency, ref_id, _ = summary["origin"]
            return Origin(agency=agency, article_id=ref_id, basis="inferred")
    return None


def _origin_at(origin: Origin, article: Article, copies: list[tuple[Copy, dict[str, Any]]]) -> float:
    if origin.article_id == article.id:
        return article.at
    return next(s["origin"][2] for _, s in copies if s.get("origin") and s["origin"][1] == origin.article_id)


def _uncredited(article: Article, copies: list[tuple[Copy, dict[str, Any]]]) -> list[UncreditedAgencyCopy]:
    credited = set(article.credited)
    best: dict[str, UncreditedAgencyCopy] = {}
    for copy, summary in copies:
        source_credits = set(summary.get("credited") or ())
        if credited & source_credits:
            continue
        if source_credits:
            found = [(agency, copy.id) for agency in sorted(source_credits)]
        elif summary.get("origin"):
            found = [(summary["origin"][0], summary["origin"][1])]
        else:
            continue
        for agency, source_id in found:
            if agency in credited:
                continue
            seen = best.get(agency)
            if seen is None or copy.contained > seen.share:
                best[agency] = UncreditedAgencyCopy(agency=agency, share=copy.contained, source_id=source_id)
    return sorted(best.values(), key=lambda u: (-u.share, u.agency))
