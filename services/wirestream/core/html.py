"""HTML pages to article text, through trafilatura, for the text pipeline to clean and label."""

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
    title = (doc.title or "").strip()
    text = (doc.text or "").strip()
    return f"{title}\n\n{text}" if title and text else text or title
