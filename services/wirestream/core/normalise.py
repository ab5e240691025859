"""Text normalisation: from raw visible page text to a clean, structured article.

First cut: line structure, known widgets, repeated lines, title, captions, credit lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from wirestream.core.document import Block, BlockKind, NormalisedText

_FURNITURE = {"accessibility links", "breaking news", "xs", "sm", "md", "lg", "share", "print"}
_CREDIT = re.compile(r"^(with reporting by|reporting by|mit material von)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(raw: str) -> NormalisedText:
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    removed: Counter[str] = Counter()
    kept: list[tuple[BlockKind, str]] = []
    seen: set[str] = set()
    for line in lines:
        if not line:
            continue
        if line.lower() in _FURNITURE:
            removed["widget"] += 1
        elif line in seen:
            removed["duplicate"] += 1
            kept = [("caption", t) if t == line else (k, t) for k, t in kept]
        else:
            seen.add(line)
            kind: BlockKind = "credit" if _CREDIT.match(line) else "body"
            if kind == "body" and not any(k == "title" for k, _ in kept):
                kind = "title"
            kept.append((kind, line))
    return _assemble(kept, removed)


def _assemble(kept: list[tuple[BlockKind, str]], removed: Counter[str]) -> NormalisedText:
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for kind, line in kept:
        blocks.append(Block(kind, offset, offset + len(line)))
        parts.append(line)
        offset += len(line) + 2
    return NormalisedText(text="\n\n".join(parts), blocks=tuple(blocks), removed=dict(removed))


def normalise_html(html: str) -> NormalisedText:
    from wirestream.core.html import html_to_text

    return normalise(html_to_text(html))
