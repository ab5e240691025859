"""An HTML page read three ways: the article its markup shows, its whole visible text, its metadata.

The HTML extractor finds the article's paragraphs better than lines of text can, but it drops the
lines around them that say where the article comes from: the byline over it, the dateline that opens
it, the sign-off under it. So attribution reads the page's whole visible text, normalised exactly as
the text path normalises text (a page sent as HTML is credited at least as well as the same page sent
as its text), plus the page's own metadata (JSON-LD and `<meta>` authors); the record's body,
headline and captions come from the extractor.
"""

from __future__ import annotations

from dataclasses import dataclass

from wirestream.core.document import NormalisedText
from wirestream.core.metadata import TITLE_FIELDS
from wirestream.core.normalise import normalise, normalise_lines
from wirestream.core.pagemeta import PageMetadata, read_page_metadata
from wirestream.core.text import clean_lines


@dataclass(frozen=True, slots=True)
class WebPage:
    article: NormalisedText  # the article as the HTML extractor finds it: body, headline, captions
    page: NormalisedText  # the whole visible text, normalised as the text path does: attribution reads it
    metadata: PageMetadata
    visible: str = ""  # the page's whole visible text, one block per line

    def visible_lines(self) -> list[str]:
        """The visible text's non-empty lines, stripped: what a reader sees, block by block."""
        return [line for line in map(str.strip, self.visible.splitlines()) if line]


def read_webpage(html: str) -> WebPage:
    """Read `html` for the record (the article) and for attribution (the page and its metadata)."""
    from wirestream.core.html import html_to_text, parse_html, visible_text  # loads lxml and the extractor

    tree = parse_html(html)
    if tree is None:
        return WebPage(
            article=normalise_lines([], extracted=True), page=NormalisedText(text=""), metadata=PageMetadata()
        )
    metadata = read_page_metadata(tree)
    visible = visible_text(tree)
    page = normalise(visible)
    # The extractor works on the same tree and changes it, so it comes last.
    article = normalise_lines(clean_lines(html_to_text(html, tree=tree, title=headline(metadata))), extracted=True)
    return WebPage(article=article, page=page, metadata=metadata, visible=visible)


def headline(metadata: PageMetadata) -> str | None:
    """The headline as the page states it, in the order of fields the record's title prefers
    (JSON-LD, the page's <h1>, then <meta>); None when the page states none."""
    stated = [v for v in metadata.titles if v.field in TITLE_FIELDS]
    return min(stated, key=lambda v: TITLE_FIELDS.index(v.field)).value if stated else None
