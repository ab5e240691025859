"""The article-extraction-benchmark body metric, reimplemented.

Word tokens (`\\w+`, case kept), 4-token shingles counted with multiplicity; per document
TP/FP/FN over shingles, normalised to sum to 1 so long pages weigh no more than short ones.
Precision is averaged over documents with any predicted shingle, recall over documents with
any true shingle, and F1 is taken from those two averages (not averaged per document).
A text shorter than four tokens is one shingle of all its tokens; an empty text has none.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class Counts:
    """One document's shingle matches, normalised to sum to 1 (all zero when both are empty)."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True, slots=True)
class Scores:
    f1: float
    precision: float
    recall: float


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def match(true: str | None, pred: str | None) -> Counts:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0:
        return Counts(0.0, 0.0, 0.0)
    return Counts(tp / total, fp / total, fn / total)


def precision(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    if c.tp == c.fp == 0:
        return 0.0
    return c.tp / (c.tp + c.fp)


def recall(c: Counts) -> float:
    if c.fp == c.fn == 0:
        return 1.0
    if c.tp == c.fn == 0:
        return 0.0
    return c.tp / (c.tp + c.fn)


def score(counts: Iterable[Counts]) -> Scores:
    counts = list(counts)
    p = statistics.mean([precision(c) for c in counts if c.tp + c.fp > 0] or [0.0])
    r = statistics.mean([recall(c) for c in counts if c.tp + c.fn > 0] or [0.0])
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(f1=f1, precision=p, recall=r)
