"""The normalised document: the contract between the normaliser and the attribution tagger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["title", "standfirst", "byline", "dateline", "body", "caption", "credit"]
"""What a block is.

title       the headline
standfirst  the summary between headline and byline; not part of `body`
byline      "By JANE DOE Associated Press", or a lone "By" and the name under it; under a byline
            naming a wire agency, its date line too ("Reuters, Washington," / "Nov 20 2019, 11:06am")
dateline    "BERLIN (Reuters) -" at the start of the first body block, inside it
body        a paragraph, subheading or list item of the article
caption     a photo, video or graphic caption or credit ("(AP Photo/Jane Doe)")
credit      a credit or trailer line: "Reporting by X; Editing by Y", "(dpa/lno)",
            "With reporting by AFP", "© 2019 The Associated Press. All rights reserved. ..."
"""


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

    `text` holds the kept blocks in reading order, one line each, separated by a blank line;
    everything else (navigation, widgets, teasers, footers, repeated lines) was removed and
    is counted in `removed`: lines removed by kind, the kinds listed in
    `wirestream.core.furniture` (navigation, widget, share, cookie, newsletter, advert,
    related, comments, footer, legal, metadata, duplicate, boilerplate).

    `language` is the ISO 639-1 code of the body, `None` when there is too little text.
    `dateline_place` and `dateline_date` are the parts of the dateline, when it has them.
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
