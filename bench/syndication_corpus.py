"""The syndication benchmark's stream: wire copy edited the way newsrooms edit it, and articles
on the same stories that were written independently.

Seeded and deterministic: the same corpus and seed give the same stream. Nothing is written to
the repository; the stream is built from the development corpora at run time.

**Agency reference copies.** Every page of `aeb/` and `fundus/` whose `labels.jsonl` credits an
agency is published as it is (its raw page text from `raw/`), so the stream holds the agency's
copy with its credit.

**Derived copies.** From each such page's article body (`truth/`, else the body the normaliser
finds in its raw page), `COPIES_PER_SOURCE` copies, each made by one of the newsroom edit
profiles below with random strengths, then given a new headline and wrapped in the navigation,
teasers and footer of another page of the same corpus (the first and last lines of its
`raw/` text):

* `trim`      — cut from the end (keep 55-100% of the paragraphs);
* `rewrite`   — a new opening paragraph (local text), 20-40% of the sentences reworded (words
                dropped, swapped, replaced), one paragraph dropped;
* `reorder`   — paragraphs dropped and the rest reordered;
* `splice`    — 40-70% of the paragraphs kept, 2-4 local paragraphs spliced in between them;
* `excerpt`   — 2-3 paragraphs of the agency text inside a longer local article (4-7 local paragraphs).

"Local" paragraphs are 2-4 sentences of pages that credit no agency (same language where there
are enough), each sentence used once in the whole stream, so generated articles share no local
text by accident. The credit is removed (the label's evidence strings and the agency's name in
brackets deleted) except on `CREDIT_KEPT` of the copies, which end with a trailer `(CODE)`.

**Labels.** A copy's class comes from how it was made: the share of its body's words that come
from the agency text (reworded or not) — `wholly` from 0.7, else `partially` — counted by the
generator as it builds the copy, not measured on the result.

**Non-derived articles on the same topics.** Per source, `UNRELATED_PER_SOURCE` articles made of
local paragraphs with the source's capitalised names put in and one short quote (at most 12
words) of the source: same people and places, a shared quote, no copied text.

**Independent same-story pairs** (hard negatives): `semeval-pairs/training_set.csv` (SemEval-2022
Task 8, see its README), the same-language pairs rated Overall <= 1.5 (the same story), both texts
published as articles. Pairs where either text has at least half of its word 5-grams in the other
(counted here with plain word 5-grams, not with wirestream's shingles) are real copies of one
agency text, not independent: both texts are left out (of every pair they are in) and counted.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

COPIES_PER_SOURCE = 8
UNRELATED_PER_SOURCE = 2
CREDIT_KEPT = 0.3
WHOLLY = 0.7
PROFILES = ("trim", "rewrite", "reorder", "splice", "excerpt")
T0 = "2024-06-10T06:00:00+00:00"


@dataclass
class Doc:
    id: str
    text: str
    minute: int  # minutes after T0: the article's published_at
    kind: str  # source | copy | unrelated | semeval
    source: str | None = None  # the source article of a copy or an unrelated article
    label: str = "none"  # wholly | partially | none, relative to `source`
    agencies: list[str] = field(default_factory=list)  # the source's credited agencies
    credit_kept: bool = False
    profile: str = ""
    share: float = 0.0
    story: str = ""  # the true story: a source's id for it and its copies, else the doc's own id


@dataclass(frozen=True)
class Page:
    corpus: str
    id: str
    lang: str
    credited: list[str]
    evidence: dict[str, str]
    raw: str
    truth: str | None


@dataclass
class Stream:
    docs: list[Doc]
    pairs: list[tuple[str, str, str, str]]  # (doc id, source id, label, set): set is generated | semeval
    excluded_semeval: int
    semeval_pairs: int


def load_pages(corpus: Path) -> list[Page]:
    pages = []
    for name in ("aeb", "fundus"):
        root = corpus / name
        for line in (root / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            label = json.loads(line)
            truth = root / "truth" / f"{label['id']}.txt"
            pages.append(
                Page(
                    corpus=name,
                    id=label["id"],
                    lang=label.get("lang") or "",
                    credited=list(label.get("credited") or ()),
                    evidence={k: v for k, v in (label.get("evidence") or {}).items() if k in label["credited"]},
                    raw=(root / "raw" / f"{label['id']}.txt").read_text(encoding="utf-8"),
                    truth=truth.read_text(encoding="utf-8") if truth.exists() else None,
                )
            )
    return pages


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) < 3:
        paras = [p.strip() for p in text.splitlines() if p.strip()]
    return [p for p in paras if len(p.split()) >= 4 or len(p) >= 20]


_SENTENCE = re.compile(r"(?<=[.!?。])\s+")


def reword(sentence: str, rng: random.Random) -> str:
    """Words dropped, swapped and replaced: a sub-editor's changes, in any language."""
    words = sentence.split()
    if len(words) < 6:
        return sentence
    for _ in range(max(1, len(words) // 7)):
        op = rng.random()
        i = rng.randrange(1, len(words) - 1)
        if op < 0.35:
            del words[i]
        elif op < 0.7:
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words[i] = rng.choice(words)
        if len(words) < 4:
            break
    return " ".join(words)


def _strip_credit(text: str, page: Page) -> str:
    for agency, evidence in page.evidence.items():
        if evidence and len(evidence) < 300:
            text = text.replace(evidence, "")
        text = re.sub(rf"\(\s*{re.escape(agency)}\s*\)\s*[-—–]?", "", text)
    return text


def _furniture(page: Page) -> tuple[str, str]:
    lines = [line for line in page.raw.splitlines() if line.strip()]
    return "\n".join(lines[:12]), "\n".join(lines[-10:])


def generate(corpus: Path, *, seed: int = 7) -> Stream:
    rng = random.Random(seed)
    pages = load_pages(corpus)
    sources = [p for p in pages if p.credited]
    others = [p for p in pages if not p.credited]
    # Local text: sentences of pages that credit no agency, drawn without replacement, so that
    # no two generated articles share local text by accident.
    sentences: dict[str, list[str]] = {}
    for page in others:
        for para in paragraphs(page.truth or ""):
            for sentence in _SENTENCE.split(para):
                if 8 <= len(sentence.split()) <= 60:
                    sentences.setdefault(page.lang, []).append(sentence)
    for pool in sentences.values():
        rng.shuffle(pool)
    fallback = [s for pool in sentences.values() for s in pool]
    rng.shuffle(fallback)
    used: set[str] = set()

    def local_paras(lang: str, n: int) -> list[str]:
        out = []
        for _ in range(n):
            para = []
            for _ in range(rng.randint(2, 4)):
                for pool in (sentences.get(lang) or [], fallback):
                    while pool and pool[-1] in used:
                        pool.pop()
                    if pool:
                        used.add(pool[-1])
                        para.append(pool.pop())
                        break
            out.append(" ".join(para))
        return out

    docs: list[Doc] = []
    pairs: list[tuple[str, str, str, str]] = []
    for i, page in enumerate(sources):
        docs.append(Doc(page.id, page.raw, i, "source", agencies=page.credited, story=page.id))
    derived: list[Doc] = []
    for page in sources:
        base = paragraphs(_strip_credit(page.truth or _normalised_body(page), page))
        if len(base) < 3:
            continue
        for n in range(COPIES_PER_SOURCE):
            derived.append(_copy(page, base, n, rng, local_paras, others))
        for n in range(UNRELATED_PER_SOURCE):
            derived.append(_unrelated(page, base, n, rng, local_paras))
    rng.shuffle(derived)
    start = len(sources) + 60
    for j, doc in enumerate(derived):
        doc.minute = start + j
        docs.append(doc)
        pairs.append((doc.id, doc.source or "", doc.label, "generated"))
    semeval, excluded, total = _semeval(corpus, start + len(derived) + 60)
    docs.extend(d for d in semeval if isinstance(d, Doc))
    pairs.extend(p for p in semeval if isinstance(p, tuple))
    return Stream(docs, pairs, excluded, total)


def _normalised_body(page: Page) -> str:
    from datetime import UTC, datetime

    from wirestream.enrich import InputMessage, enrich_message

    record = enrich_message(
        InputMessage(value=page.raw.encode()), max_bytes=1 << 22, processed_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    return record.body


def _copy(page: Page, base: list[str], n: int, rng: random.Random, local_paras, others: list[Page]) -> Doc:
    profile = PROFILES[n % len(PROFILES)] if n < len(PROFILES) else rng.choice(PROFILES)
    pieces: list[tuple[str, bool]] = []  # (paragraph, from the agency text)
    if profile == "trim":
        keep = max(2, round(len(base) * rng.uniform(0.55, 1.0)))
        pieces = [(p, True) for p in base[:keep]]
    elif profile == "rewrite":
        kept = list(base)
        if len(kept) > 3:
            del kept[rng.randrange(1, len(kept))]
        share = rng.uniform(0.2, 0.4)
        pieces = [(local_paras(page.lang, 1)[0], False)]
        for para in kept:
            sentences = _SENTENCE.split(para)
            sentences = [reword(s, rng) if rng.random() < share else s for s in sentences]
            pieces.append((" ".join(sentences), True))
    elif profile == "reorder":
        kept = [p for p in base if rng.random() > 0.25] or base[:2]
        head, rest = kept[:1], kept[1:]
        rng.shuffle(rest)
        pieces = [(p, True) for p in head + rest]
    elif profile == "splice":
        keep = max(2, round(len(base) * rng.uniform(0.4, 0.7)))
        pieces = [(p, True) for p in base[:keep]]
        for para in local_paras(page.lang, rng.randint(2, 4)):
            pieces.insert(rng.randrange(1, len(pieces) + 1), (para, False))
    else:  # excerpt
        start = rng.randrange(0, max(1, len(base) - 2))
        taken = [(p, True) for p in base[start : start + rng.randint(2, 3)]]
        own = [(p, False) for p in local_paras(page.lang, rng.randint(4, 7))]
        at = rng.randrange(1, len(own))
        pieces = own[:at] + taken + own[at:]
    words_from = sum(len(p.split()) for p, ours in pieces if ours)
    words_all = sum(len(p.split()) for p, _ in pieces)
    share = words_from / words_all
    credit_kept = rng.random() < CREDIT_KEPT
    headline = _headline(base, rng)
    body = "\n\n".join(p for p, _ in pieces)
    if credit_kept:
        body += f"\n\n({page.credited[0]})"
    top, bottom = _furniture(rng.choice(others))
    text = f"{top}\n\n{headline}\n\n{body}\n\n{bottom}"
    return Doc(
        id=f"copy-{page.id[:24]}-{n}",
        text=text,
        minute=0,
        kind="copy",
        source=page.id,
        label="wholly" if share >= WHOLLY else "partially",
        agencies=page.credited,
        credit_kept=credit_kept,
        profile=profile,
        share=round(share, 3),
        story=page.id,
    )


def _headline(base: list[str], rng: random.Random) -> str:
    words = re.findall(r"\w+", " ".join(base[:2]))
    names = [w for w in words if w[:1].isupper()][:8] or words[:8]
    rng.shuffle(names)
    return " ".join(names[:6]) + ": what we know"


def _unrelated(page: Page, base: list[str], n: int, rng: random.Random, local_paras) -> Doc:
    names = [w for w in re.findall(r"\w+", " ".join(base)) if w[:1].isupper() and len(w) > 3]
    quote_source = [s for p in base for s in _SENTENCE.split(p) if 6 <= len(s.split()) <= 12]
    paras = []
    for para in local_paras(page.lang, rng.randint(3, 6)):
        words = para.split()
        for _ in range(min(4, len(names))):
            i = rng.randrange(len(words))
            words[i] = rng.choice(names)
        paras.append(" ".join(words))
    if quote_source:
        quote = rng.choice(quote_source)
        paras.insert(rng.randrange(0, len(paras) + 1), f'"{quote}", a spokesperson said.')
    return Doc(
        id=f"other-{page.id[:24]}-{n}",
        text=_headline(base, rng) + "\n\n" + "\n\n".join(paras),
        minute=0,
        kind="unrelated",
        source=page.id,
        label="none",
        agencies=page.credited,
        story=f"other-{page.id[:24]}-{n}",
    )


def _five_grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < 5:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def _semeval(corpus: Path, start: int) -> tuple[list[Doc | tuple[str, str, str, str]], int, int]:
    path = corpus / "semeval-pairs" / "training_set.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["lang1"] == r["lang2"] and float(r["Overall"]) <= 1.5]
    copied: set[str] = set()
    excluded = 0
    for row in rows:
        a, b = _five_grams(row["text1"]), _five_grams(row["text2"])
        shared = len(a & b)
        if a and b and max(shared / len(a), shared / len(b)) >= 0.5:
            excluded += 1
            copied.update(row["pair_id"].split("_"))
    out: list[Doc | tuple[str, str, str, str]] = []
    seen: set[str] = set()
    minute = start
    for row in rows:
        ids = row["pair_id"].split("_")
        if copied & set(ids):
            continue  # a text that copies or is copied is nobody's independent twin
        id1, id2 = (f"semeval-{x}" for x in ids)
        for doc_id, text in ((id1, row["text1"]), (id2, row["text2"])):
            if doc_id not in seen:
                seen.add(doc_id)
                out.append(Doc(doc_id, text, minute, "semeval", story=doc_id))
                minute += 1
        out.append((id2, id1, "none", "semeval"))
    return out, excluded, len(rows)
