"""Normalised documents built by hand, for tagger tests that want exact block kinds."""

from __future__ import annotations

from wirestream.core.document import Block, BlockKind, NormalisedText
from wirestream.schemas.attribution import Attribution

Part = str | tuple[BlockKind, str]


def make_doc(*parts: Part) -> NormalisedText:
    """A normalised document from paragraphs; a bare string is a body paragraph."""
    texts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for part in parts:
        kind, text = ("body", part) if isinstance(part, str) else part
        blocks.append(Block(kind, offset, offset + len(text)))
        texts.append(text)
        offset += len(text) + 2
    return NormalisedText(text="\n\n".join(texts), blocks=tuple(blocks))


def evidence(result: Attribution, code: str) -> list[tuple[str, str]]:
    """(kind, text) of every piece of evidence for one agency."""
    for agency in result.agencies:
        if agency.code == code:
            return [(e.kind, e.text) for e in agency.evidence]
    raise AssertionError(f"{code} not in {[a.code for a in result.agencies]}")


def roles(result: Attribution) -> tuple[list[str], list[str], list[str]]:
    return result.credited, result.cited, result.photo
