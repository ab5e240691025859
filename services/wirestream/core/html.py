"""HTML pages to article text, through trafilatura, for the text pipeline to clean and label.

trafilatura reads the page's markup (paragraphs, link density, boilerplate classes and ids) and
its metadata (the headline, cleaned of the site name), which is more than lines of text can
tell. Its precision setting suits an article body that feeds attribution; when that setting
keeps very little of a page, its recall setting gets a second look, and wins if it finds far
more (an article cut short, rather than a short article).
"""

from __future__ import annotations

from typing import Any

import html_text
import lxml.html

# Below this many characters a precise extraction may have cut the article short ...
_SHORT_CHARS = 1000
# ... and a recall extraction replaces it when it is at least this many times as long.
_RECALL_GAIN = 2.0


def html_to_text(html: str, *, tree: lxml.html.HtmlElement | None = None) -> str:
    """The page title and main text, one block per line; empty when nothing can be extracted.

    `tree`, when given, is `parse_html(html)`; the extractor changes it, so read it before."""
    if not html.strip():
        return ""
    title, text = _extract(tree if tree is not None else html, favor_precision=True, with_metadata=True)
    if len(text) < _SHORT_CHARS:
        _, more = _extract(html, favor_recall=True, with_metadata=False)
        if len(more) >= _RECALL_GAIN * max(len(text), 1):
            text = more
    return f"{title}\n\n{text}" if title and text else text or title


def _extract(html: str | lxml.html.HtmlElement, **options: Any) -> tuple[str, str]:
    from trafilatura import bare_extraction

    doc = bare_extraction(html, include_comments=False, include_tables=True, deduplicate=False, **options)
    if doc is None:
        return "", ""
    fields = doc if isinstance(doc, dict) else {"title": doc.title, "text": doc.text}
    return (fields.get("title") or "").strip(), (fields.get("text") or "").strip()


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The page's element tree, or None when there is no markup to read. Parsed as the extractor
    parses (its tree can be handed to `html_to_text`, which saves it a second parse)."""
    from trafilatura.utils import load_html

    if not html.strip():
        return None
    return load_html(html)


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """The text a reader sees on the page, one block per line: navigation, captions and credit lines
    included, scripts and styles not (html-text, which also made the development corpora's text)."""
    return html_text.extract_text(tree)
