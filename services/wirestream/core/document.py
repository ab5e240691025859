"""The normalised document: the contract between the normaliser and the attribution tagger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["title", "standfirst", "byline", "dateline", "body", "caption", "credit"]


@dataclass(frozen=True, slots=True)
class Block:
    """A span of `NormalisedText.text` and what it is.

    Blocks are in reading order and do not overlap, except that a `dateline` block may lie
    inside the `body` block that it opens ("BERLIN (Reuters) - The ...").
    """

    kind: BlockKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """Clean text of one article and its structure.

    `text` holds the kept blocks in reading order, separated by a blank line; everything
    else (navigation, widgets, teasers, footers, repeated lines) was removed and is counted
    in `removed` by kind.
    """

    text: str
    blocks: tuple[Block, ...] = ()
    language: str | None = None
    removed: Mapping[str, int] = field(default_factory=dict)
    dateline_place: str | None = None
    dateline_date: str | None = None

    def texts(self, kind: BlockKind) -> list[str]:
        return [self.text[b.start : b.end] for b in self.blocks if b.kind == kind]

    def first(self, kind: BlockKind) -> str | None:
        found = self.texts(kind)
        return found[0] if found else None

    @property
    def title(self) -> str | None:
        return self.first("title")

    @property
    def byline(self) -> str | None:
        return self.first("byline")

    @property
    def dateline(self) -> str | None:
        return self.first("dateline")

    @property
    def body(self) -> str:
        return "\n\n".join(self.texts("body"))

    @property
    def captions(self) -> list[str]:
        return self.texts("caption")
