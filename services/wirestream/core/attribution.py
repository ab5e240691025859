"""Attribution: which wire agencies an article credits, cites as a source, or shows photographs from.

`tag()` scans the normalised text once for every agency alias in the registry, judges each mention by
the shape of the text around it (`credit_shapes`), keeps shapes that only hold in one part of the
article where they stand there (bylines and datelines before the prose, sign-offs after it), and gives
each agency its strongest role: credited > cited > photo.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Protocol

from wirestream.core.agencies import REGISTRY, Registry
from wirestream.core.credit_shapes import Candidate, classify, house_trailer
from wirestream.core.document import NormalisedText
from wirestream.core.layout import Layout
from wirestream.core.lexicon import LEXICON
from wirestream.schemas.attribution import (
    AgencyAttribution,
    Attribution,
    Evidence,
    EvidenceKind,
    MetadataCredit,
    Role,
)


class MetaValue(Protocol):
    """A value of the page's metadata and where it was read (`wirestream.core.pagemeta.MetaValue`)."""

    @property
    def field(self) -> str: ...

    @property
    def value(self) -> str: ...


_ROLE: dict[EvidenceKind, Role] = {
    "dateline": "credited",
    "byline": "credited",
    "credit_line": "credited",
    "trailer": "credited",
    "copyright": "credited",
    "source": "cited",
    "photo_credit": "photo",
}
_RANK: dict[Role, int] = {"credited": 0, "cited": 1, "photo": 2}
MAX_EVIDENCE = 10  # per agency in the output; the strongest first


def tag(doc: NormalisedText, *, metadata: Sequence[MetaValue] = (), registry: Registry = REGISTRY) -> Attribution:
    """The agencies `doc` credits, cites or shows photographs from, with evidence spans in `doc.text`;
    and those that the page's `metadata` (its author, publisher and similar fields) credits."""
    layout = Layout(doc)
    scan = registry.scan(doc.text)
    candidates = [c for m in scan.mentions if (c := classify(m, layout)) is not None]
    candidates += [c for m in scan.house_trailers if (c := house_trailer(m, layout)) is not None]
    evidence = _placed(candidates, layout)
    return _attribution(evidence, metadata_credits(metadata, registry), registry, doc.text)


# A metadata value that credits an agency is a byline: the agency, perhaps with people's names, a
# "by" and separators ("dpa", "The Associated Press", "Jane Doe, AFP", "Von dpa", "dpa/lno"); not a
# sentence ("Photos by Reuters photographers ...") and not a caption.
_METADATA_MAX_CHARS = 120
_BYLINE_REST = re.compile(
    r"(?:[\s,;/|&+·•()–—-]|\b(?i:"
    + "|".join(LEXICON.pattern(family) for family in ("by_words", "with_words", "newsroom_words"))
    + r"|the|der|die|and|und|et|y|e)\b|[A-ZÀ-Þ][\w.'’-]*|\b[a-z]{2,4}\b(?=\s*(?:/|$)))*"
)


def metadata_credits(values: Iterable[MetaValue], registry: Registry = REGISTRY) -> list[MetadataCredit]:
    """The agencies that metadata values credit: a value naming an agency as a byline would."""
    credits: dict[tuple[str, str], MetadataCredit] = {}
    for item in values:
        value = " ".join(item.value.split())
        if not value or len(value) > _METADATA_MAX_CHARS or value[-1] in ".!?" or not registry.names_any(value):
            continue
        mentions = registry.scan(value).mentions
        bounds = [0, *(i for m in mentions for i in (m.start, m.end)), len(value)]
        rest = " ".join(value[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2))
        if not mentions or _BYLINE_REST.fullmatch(rest) is None:
            continue
        for m in mentions:
            if m.strength != "titlecase":
                credits.setdefault((m.code, item.field), MetadataCredit(code=m.code, field=item.field, value=value))
    return list(credits.values())


def _placed(candidates: list[Candidate], layout: Layout) -> list[Candidate]:
    """Candidates that stand where their shape holds; the others as their fallback kind, if any.

    Where a candidate stands is measured by how much of the article's prose comes before it, which
    holds up against leftovers of page furniture that the normaliser kept (a cookie notice before
    the article, a "most read" box after it) better than counting paragraphs would.
    """
    if not candidates:
        return candidates  # (most articles name no agency: no need to find their prose)
    photos = {c.start for c in candidates if c.kind == "photo_credit"}
    prose = layout.prose_spans(photos)
    # A brief without a paragraph of running text is measured by its characters instead.
    prose_before = _ProseShare(prose or [(0, len(layout.text))])
    placed = []
    for c in candidates:
        share = prose_before(c.start)
        fits = (
            c.place == "any"
            or (c.place == "lead" and share <= _LEAD)
            or (c.place == "body" and share >= _LEAD)
            or (c.place == "end" and share >= _END)
        )
        if fits:
            placed.append(c)
        elif c.fallback is not None:
            placed.append(Candidate(c.code, c.fallback, c.start, c.end))
    return placed


# A byline or dateline has at most this share of the article's prose before it; a sign-off at least
# _END of it, or _LEAD when it closes the running text.
_LEAD = 0.25
_END = 0.75


class _ProseShare:
    """The share of the prose (given as sorted, disjoint spans) that lies before a position."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in spans]
        self._spans = spans
        self._cumulative = list(accumulate((e - s for s, e in spans), initial=0))

    def __call__(self, pos: int) -> float:
        total = self._cumulative[-1]
        if not total:
            return 0.0
        i = bisect_right(self._starts, pos)
        before = self._cumulative[i]
        if i and pos < self._spans[i - 1][1]:
            before -= self._spans[i - 1][1] - pos
        return before / total


def _attribution(
    evidence: Iterable[Candidate], metadata: list[MetadataCredit], registry: Registry, text: str
) -> Attribution:
    by_code: dict[str, set[tuple[EvidenceKind, int, int]]] = {}
    for c in evidence:
        by_code.setdefault(c.code, set()).add((c.kind, c.start, c.end))
    from_metadata = {credit.code for credit in metadata}
    agencies = []
    for code in sorted(by_code):
        items = sorted(by_code[code], key=lambda e: (_RANK[_ROLE[e[0]]], e[1], e[2], e[0]))
        role = "credited" if code in from_metadata else _ROLE[items[0][0]]
        agencies.append(
            AgencyAttribution(
                code=code,
                name=registry.agencies[code].name,
                role=role,
                evidence=[
                    Evidence(kind=kind, text=text[start:end], start=start, end=end)
                    for kind, start, end in items[:MAX_EVIDENCE]
                ],
            )
        )
    credited = sorted({a.code for a in agencies if a.role == "credited"} | from_metadata)
    return Attribution(
        credited=credited,
        cited=[a.code for a in agencies if a.role == "cited"],
        photo=[a.code for a in agencies if a.role == "photo"],
        is_wire_copy=bool(credited),
        agencies=agencies,
        metadata=sorted(metadata, key=lambda c: (c.code, c.field)),
    )
