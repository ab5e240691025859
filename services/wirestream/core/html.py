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

import functools
import re
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
# Classes that mark an article's body container, as the extractor's own body search reads them.
# Publishing systems that place advertisements or embeds between parts of the text repeat that
# container, with the same class, once per part; the extractor keeps the first part only.
_BODY_CLASS = re.compile(
    r"article(?:-|__)?body|articleBody|article__content|(?:entry|article|art)-content|post[-_]?content|post-body|body-text"
)


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
    join_body_parts(tree)
    # The extractor works on a copy of the tree it is given, so the second look reads the same tree.
    text = _extract(tree, favor_precision=True)
    if len(text) < _SHORT_CHARS:
        more = _extract(tree)
        if len(more) >= _GAIN * max(len(text), 1):
            text = more
    return f"{title}\n\n{text}" if title and text else text or title


def join_body_parts(tree: HtmlElement) -> None:
    """Gather an article body that the page splits into parts into its first part.

    Parts are containers of one `<article>` with the same body class, neither inside another; a
    part that repeats an earlier one (a copy for another layout) or holds an `<h1>` (the start of
    another article) stays where it is. What stood between the parts (advertisements, embeds)
    then follows the body instead of interrupting it."""
    groups: dict[tuple[Any, str], list[HtmlElement]] = {}
    for outer in tree.iter("article"):
        if next(outer.iterancestors("article"), None) is not None:
            continue  # read with the article around it
        for element in outer.iter("div", "section"):
            marks = element.get("class")
            if marks and _BODY_CLASS.search(marks):
                article = next(element.iterancestors("article"))
                groups.setdefault((article, marks), []).append(element)
    for parts in groups.values():
        if len(parts) < 2:
            continue
        first, members = parts[0], set(parts)
        seen = {_squeezed(first)}
        for part in parts[1:]:
            if any(a in members for a in part.iterancestors()) or part.find(".//h1") is not None:
                continue
            text = _squeezed(part)
            if not text or text in seen:
                continue
            seen.add(text)
            _keep_tail(part)
            first.append(part)


def _keep_tail(element: HtmlElement) -> None:
    """Leave the text that follows `element` where it is when the element moves."""
    if element.tail:
        previous, parent = element.getprevious(), element.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        elif parent is not None:
            parent.text = (parent.text or "") + element.tail
        element.tail = None


def _squeezed(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


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
    parses (its repairs of the markup, its parser settings, its test of what is HTML at all), so
    that one parse serves the metadata, the visible text and the extraction."""
    import lxml.html
    from lxml import etree
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    if not html.strip():
        return None
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = None
    try:
        tree = lxml.html.fromstring(html, parser=_parser())
    except ValueError:
        pass  # a str with an XML encoding declaration: read as bytes below
    except etree.ParserError:
        return None
    if tree is None or len(tree) < 1:
        try:
            tree = lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_parser())
        except (ValueError, etree.ParserError):
            return None
    if is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


@functools.cache
def _parser() -> Any:
    """The extractor's HTML parser settings, with lxml's plain HTML element class for every element.

    lxml.html's own parser asks a Python lookup for the class of each element the moment the
    element is first touched, which is a twentieth of the HTML path's time; the classes it would
    choose (forms, inputs, labels) offer methods nothing on the path calls, so the page reads the
    same (checked on every page of both development corpora)."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


def visible_text(tree: HtmlElement) -> str:
    """The text a reader sees on the page, one block per line: navigation, captions and credit lines
    included, scripts and styles not (html-text, which also made the development corpora's text).

    The scripts and styles are dropped from `tree` itself first (html-text drops them from a copy
    it cleans, which is then smaller to copy), so the page's JSON-LD must have been read before."""
    import html_text
    from lxml import etree

    etree.strip_elements(tree, "script", "style", with_tail=False)
    return html_text.extract_text(tree)
