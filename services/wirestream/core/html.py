"""HTML pages to article text, through trafilatura, for the text pipeline to clean and label.

trafilatura reads the page's markup (paragraphs, link density, boilerplate classes and ids) and
its metadata (the headline), which is more than lines of text can tell. Its precision setting
suits an article body that feeds attribution; when that setting keeps very little of a page, its
balanced setting gets a second look, and wins if it finds far more (an article cut short, rather
than a short article). (The recall setting finds more on no page where the balanced one does not,
and can stop at the same early block as the precise one.)

Of the page's metadata only the headline is needed: it is read from the parsed page with
trafilatura's own readers (meta tags, JSON-LD, then the headings), without the date, author and
category searches of its full metadata pass, which cost about a sixth of an extraction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Below this many characters a precise extraction may have cut the article short ...
_SHORT_CHARS = 1500
# ... and a balanced extraction replaces it when it is at least this many times as long.
_GAIN = 2.0
_TITLE_MAX_CHARS = 10_000
# Subtrees that hold no article text: the extractor drops them in its own cleaning, but only after
# it has run its XPath prunes over the raw tree and copied it three times. Dropping them first
# leaves the same article on both development corpora and takes a tenth off the extraction.
_NO_ARTICLE_TEXT = ("head", "script", "style", "noscript", "svg")


def html_to_text(html: str, *, tree: HtmlElement | None = None, title: str | None = None) -> str:
    """The page title and main text, one block per line; empty when nothing can be extracted.

    `tree`, when given, is `parse_html(html)`, which saves a second parse; the subtrees that
    hold no article text are dropped from it, so whatever else reads the tree reads it before.
    `title`, when given, is the headline as the page's metadata states it, which saves reading it
    again."""
    from lxml import etree

    if not html.strip():
        return ""
    if tree is None:
        tree = parse_html(html)
        if tree is None:
            return ""
    if title is None:
        title = _title(tree)  # before the extraction, which prunes the tree
    if len(title) > _TITLE_MAX_CHARS:
        title = title[: _TITLE_MAX_CHARS - 1] + "…"
    etree.strip_elements(tree, *_NO_ARTICLE_TEXT, with_tail=False)
    # The extractor works on a copy of the tree it is given, so the second look reads the same tree.
    text = _extract(tree, favor_precision=True)
    if len(text) < _SHORT_CHARS:
        more = _extract(tree)
        if len(more) >= _GAIN * max(len(text), 1):
            text = more
    return f"{title}\n\n{text}" if title and text else text or title


def _extract(page: HtmlElement | str, **options: Any) -> str:
    from trafilatura import bare_extraction

    doc = bare_extraction(page, include_comments=False, include_tables=True, deduplicate=False, **options)
    if doc is None:
        return ""
    text = doc.get("text") if isinstance(doc, dict) else doc.text
    return (text or "").strip()


def _title(tree: HtmlElement) -> str:
    """The headline as trafilatura's metadata pass finds it: meta tags, then JSON-LD, then headings."""
    from html import unescape

    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title
    from trafilatura.utils import line_processing

    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # noqa: BLE001 - trafilatura's own pass ignores broken JSON-LD the same way
        pass
    title = found.title or extract_title(tree)
    if not title:
        return ""
    return (line_processing(unescape(title)) or "").strip()


def parse_html(html: str) -> HtmlElement | None:
    """The page's element tree, or None when there is no markup to read; parsed as the extractor
    parses, so that one parse serves the metadata, the visible text and the extraction."""
    from trafilatura.utils import load_html

    if not html.strip():
        return None
    return load_html(html)


def visible_text(tree: HtmlElement) -> str:
    """The text a reader sees on the page, one block per line: navigation, captions and credit lines
    included, scripts and styles not (html-text, which also made the development corpora's text)."""
    import html_text

    return html_text.extract_text(tree)
