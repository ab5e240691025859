"""HTML pages to article text, through trafilatura, for the text pipeline to clean and label.

trafilatura reads the page's markup (paragraphs, link density, boilerplate classes and ids) and
its metadata (the headline, cleaned of the site name), which is more than lines of text can
tell; its precision setting suits an article body that feeds attribution.
"""

from __future__ import annotations


def html_to_text(html: str) -> str:
    """The page title and main text, one block per line; empty when nothing can be extracted."""
    if not html.strip():
        return ""
    from trafilatura import bare_extraction

    doc = bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        with_metadata=True,
        deduplicate=False,
    )
    if doc is None:
        return ""
    fields = doc if isinstance(doc, dict) else {"title": doc.title, "text": doc.text}
    title = (fields.get("title") or "").strip()
    text = (fields.get("text") or "").strip()
    return f"{title}\n\n{text}" if title and text else text or title
