"""What a page says about itself: JSON-LD, <meta> tags, <link rel=canonical>, <title>, <time>.

The one reader of page metadata, shared by article metadata and attribution. It reports what
the page states, where it states it and in document order; it does not judge (whether a name
is a person, an agency or the site's own name, which date is the publication date): that is
for its callers.

JSON-LD is read from the page's main article object(s): every object whose type is an article
or a posting (``NewsArticle``, ``ReportageNewsArticle``, ``BlogPosting``, ``LiveBlogPosting``,
``ClaimReview``, ...) at the top level of a script, in a list or in ``@graph``, or the ``mainEntity`` of a web
page; only when there is none, the ``WebPage`` objects themselves. Objects nested deeper (a
list of teasers, the posts of a live blog) are other articles and are not read. References by
``@id`` (``"author": {"@id": "#/schema/person/1"}``) are resolved within the page.

Broken JSON-LD is common (HTML comments around it, raw line breaks inside strings, trailing
commas, two objects in one script): it is repaired where that is cheap, and skipped where not.
No input raises.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import lxml.html
import orjson
from lxml import etree

# Where names come from: JSON-LD properties of the main article object, and <meta> names.
_CREDIT_PROPERTIES = ("author", "creator", "publisher", "sourceOrganization", "copyrightHolder", "provider")
_CREDIT_META = frozenset({"author", "byline", "article:author", "dc.creator", "parsely-author", "sailthru.author"})

_TITLE_PROPERTIES = ("headline", "name", "alternativeHeadline")
_TITLE_META = frozenset(
    {"og:title", "twitter:title", "title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title", "headline"}
)
_PUBLISHED_PROPERTIES = ("datePublished", "dateCreated", "uploadDate")
_PUBLISHED_META = frozenset(
    {
        "article:published_time",
        "og:article:published_time",
        "og:published_time",
        "article:published",
        "published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "date",
        "dc.date",
        "dc.date.issued",
        "dc.date.created",
        "dcterms.date",
        "dcterms.issued",
        "dcterms.created",
        "parsely-pub-date",
        "sailthru.date",
        "citation_publication_date",
        "citation_date",
        "article.published",
        "date.available",
        "release_date",
        "originalpublicationdate",
        "cxenseparse:recs:publishtime",
    }
)
_MODIFIED_PROPERTIES = ("dateModified",)
_MODIFIED_META = frozenset(
    {
        "article:modified_time",
        "og:article:modified_time",
        "og:updated_time",
        "article:modified",
        "modified_time",
        "datemodified",
        "last-modified",
        "lastmod",
        "dc.date.modified",
        "dcterms.modified",
        "article.updated",
        "date.updated",
    }
)
_URL_META = frozenset({"og:url", "twitter:url", "parsely-link"})
_SITE_META = frozenset({"og:site_name", "application-name", "twitter:site", "publisher", "dc.publisher"})
_SECTION_PROPERTIES = ("articleSection",)
_SECTION_META = frozenset({"article:section", "parsely-section", "section", "sailthru.section", "category"})
_TAG_PROPERTIES = ("keywords",)
_TAG_META = frozenset({"article:tag", "keywords", "news_keywords", "parsely-tags", "sailthru.tags"})
_LANGUAGE_META = frozenset({"og:locale", "language", "content-language", "dc.language"})

_ARTICLE_SUFFIXES = ("article", "posting")
# A fact check is published as a ClaimReview: the review is the page's article.
_ARTICLE_TYPES = frozenset({"claimreview"})
_WEB_PAGE_TYPES = frozenset({"webpage", "itempage"})
_SCHEMA_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?schema\.org/|^schema:", re.IGNORECASE)

_SPACE = re.compile(r"\s+")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x1f]")
_COMMENT_WRAP = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_MAX_VALUE_CHARS = 2000
_MAX_DEPTH = 12
_MAX_TIMES = 8
_MAX_H1 = 3


@dataclass(frozen=True, slots=True)
class MetaValue:
    """One value a page states, and where: ``json-ld:<property>``, ``meta:<name>`` (lower case),
    ``link:canonical``, ``html:title``, ``html:h1``, ``html:time``, ``html:lang``,
    ``itemprop:<property>``, ``json-ld:website`` (the name of the page's WebSite object)."""

    field: str
    value: str


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Everything a page states about itself, each value with its source, in document order
    (JSON-LD first, then <meta>, then the markup), deduplicated by (field, value).

    credits     author, creator, publisher, sourceOrganization, copyrightHolder and provider
                names of the main article object(s) in JSON-LD, and the <meta> author, byline,
                article:author, dc.creator, parsely-author and sailthru.author values
    titles      JSON-LD headline/name, og:title, twitter:title, ..., <title>, the first <h1>s
    published   JSON-LD datePublished, article:published_time, pubdate, dc.date, ..., itemprop
                datePublished, <time datetime> (the first few)
    modified    JSON-LD dateModified, article:modified_time, og:updated_time, ...
    urls        <link rel=canonical>, JSON-LD url / mainEntityOfPage, og:url
    site_names  og:site_name, application-name, the WebSite object's name, ...
    sections    JSON-LD articleSection, article:section, parsely-section, ...
    tags        JSON-LD keywords, article:tag, keywords, news_keywords, ... (one value per tag
                where the page lists them; a comma-separated string is split)
    languages   <html lang>, JSON-LD inLanguage, og:locale, ...
    authors     author names and bylines in the markup outside JSON-LD and <meta>: itemprop=author,
                rel=author, the short text of elements whose class or id says byline or author
                (``html:byline``, which may carry a date or a role besides the names), and the
                names on the first group of links to author pages (``html:author-link``)
    """

    credits: tuple[MetaValue, ...] = ()
    titles: tuple[MetaValue, ...] = ()
    published: tuple[MetaValue, ...] = ()
    modified: tuple[MetaValue, ...] = ()
    urls: tuple[MetaValue, ...] = ()
    site_names: tuple[MetaValue, ...] = ()
    sections: tuple[MetaValue, ...] = ()
    tags: tuple[MetaValue, ...] = ()
    languages: tuple[MetaValue, ...] = ()
    authors: tuple[MetaValue, ...] = ()


EMPTY = PageMetadata()


def read_page_metadata(html: str | bytes | lxml.html.HtmlElement) -> PageMetadata:
    """Read a page's metadata from its markup or its parsed lxml tree (parse once, read many).

    Never raises: unparseable markup gives an empty `PageMetadata`.
    """
    try:
        root = html if isinstance(html, etree._Element) else _parse(html)
        if root is None:
            return EMPTY
        return _read(root)
    except Exception:  # a page must never take the pipeline down; its metadata is optional
        return EMPTY


def _parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        # A str with an XML encoding declaration is refused as str; as bytes it is read.
        if isinstance(html, str):
            return lxml.html.document_fromstring(html.encode("utf-8", "replace"))
        raise
    except etree.ParserError:
        return None


class _Collector:
    def __init__(self) -> None:
        self.values: dict[str, dict[MetaValue, None]] = {}

    def add(self, group: str, field: str, raw: object) -> None:
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            return
        value = _clean(str(raw))
        if value and len(value) <= _MAX_VALUE_CHARS:
            self.values.setdefault(group, {})[MetaValue(field, value)] = None

    def get(self, group: str) -> tuple[MetaValue, ...]:
        return tuple(self.values.get(group, ()))


def _clean(value: str) -> str:
    if "&" in value:
        value = html_lib.unescape(value)
    return _SPACE.sub(" ", value).strip()


def _read(root: etree._Element) -> PageMetadata:
    out = _Collector()
    _read_json_ld(root, out)
    _read_meta(root, out)
    _read_markup(root, out)
    return PageMetadata(
        credits=out.get("credits"),
        titles=out.get("titles"),
        published=out.get("published"),
        modified=out.get("modified"),
        urls=out.get("urls"),
        site_names=out.get("site_names"),
        sections=out.get("sections"),
        tags=out.get("tags"),
        languages=out.get("languages"),
        authors=out.get("authors"),
    )


# ---- JSON-LD ---------------------------------------------------------------------------------


def _read_json_ld(root: etree._Element, out: _Collector) -> None:
    objects: list[dict] = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind != "application/ld+json":
            continue
        for data in _load_json(script.text or ""):
            objects.extend(_top_objects(data, 0))
    if not objects:
        return
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    articles = _main_objects(objects, by_id)
    for obj in articles:
        _read_article(obj, by_id, out)
    # The page's own dates stand in for an article object that gives none (read after its own).
    for obj in objects:
        if _types(obj) & _WEB_PAGE_TYPES and all(obj is not a for a in articles):
            for prop in _PUBLISHED_PROPERTIES:
                for item in _as_list(obj.get(prop)):
                    out.add("published", f"json-ld:{prop}", _text(item))
            for prop in _MODIFIED_PROPERTIES:
                for item in _as_list(obj.get(prop)):
                    out.add("modified", f"json-ld:{prop}", _text(item))
    for obj in objects:
        if _types(obj) & {"website"}:
            out.add("site_names", "json-ld:website", _name(obj.get("name")))


def _load_json(text: str) -> Iterator[object]:
    text = text.strip()
    if not text:
        return
    try:
        yield orjson.loads(text)
        return
    except orjson.JSONDecodeError:
        pass
    text = _COMMENT_WRAP.sub("", text).strip()
    text = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
    decoder = json.JSONDecoder(strict=False)
    at = 0
    while at < len(text):
        while at < len(text) and text[at] not in "{[":
            at += 1
        if at >= len(text):
            return
        try:
            data, at = decoder.raw_decode(text, at)
        except (ValueError, RecursionError):
            return
        yield data


def _top_objects(data: object, depth: int) -> Iterator[dict]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _top_objects(item, depth + 1)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if graph is not None:
            yield from _top_objects(graph, depth + 1)
        if "@type" in data or "@id" in data:
            yield data


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {_SCHEMA_PREFIX.sub("", k).strip().lower() for k in kinds if isinstance(k, str)}


def _is_article(obj: dict) -> bool:
    return any(k.endswith(_ARTICLE_SUFFIXES) or k in _ARTICLE_TYPES for k in _types(obj))


def _main_objects(objects: list[dict], by_id: dict[str, dict]) -> list[dict]:
    found: dict[int, dict] = {}
    for obj in objects:
        if _is_article(obj):
            found.setdefault(id(obj), obj)
        elif _types(obj) & _WEB_PAGE_TYPES:
            for entity in _as_list(obj.get("mainEntity")):
                entity = _resolve(entity, by_id)
                if isinstance(entity, dict) and _is_article(entity):
                    found.setdefault(id(entity), entity)
    if found:
        # In document order: a mainEntity may appear before or after its page.
        order = {id(obj): i for i, obj in enumerate(objects)}
        return sorted(found.values(), key=lambda o: order.get(id(o), -1))
    return [obj for obj in objects if _types(obj) & _WEB_PAGE_TYPES]


def _read_article(obj: dict, by_id: dict[str, dict], out: _Collector) -> None:
    for prop in _CREDIT_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            out.add("credits", f"json-ld:{prop}", _name(_resolve(item, by_id)))
    for prop in _TITLE_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            out.add("titles", f"json-ld:{prop}", _text(item))
    for prop in _PUBLISHED_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            out.add("published", f"json-ld:{prop}", _text(item))
    for prop in _MODIFIED_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            out.add("modified", f"json-ld:{prop}", _text(item))
    for prop in ("url", "mainEntityOfPage"):
        for item in _as_list(obj.get(prop)):
            item = _resolve(item, by_id)
            url = item.get("@id") or item.get("url") if isinstance(item, dict) else item
            if isinstance(url, str) and url.startswith(("http://", "https://", "/")):
                out.add("urls", f"json-ld:{prop}", url)
    for prop in _SECTION_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            out.add("sections", f"json-ld:{prop}", _text(item))
    for prop in _TAG_PROPERTIES:
        for item in _as_list(obj.get(prop)):
            text = _text(item)
            for tag in text.split(",") if isinstance(text, str) else ():
                out.add("tags", f"json-ld:{prop}", tag)
    for item in _as_list(obj.get("inLanguage")):
        out.add("languages", "json-ld:inLanguage", _name(item))


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _resolve(item: object, by_id: dict[str, dict]) -> object:
    if isinstance(item, dict) and set(item) <= {"@id", "@type"} and isinstance(item.get("@id"), str):
        return by_id.get(item["@id"], item)
    return item


def _name(item: object) -> str | None:
    """A Person's or Organization's name, or a plain string value."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        name = item.get("name")
        if isinstance(name, list):
            name = next((n for n in name if isinstance(n, str)), None)
        if isinstance(name, dict):
            name = name.get("@value")
        if isinstance(name, str):
            return name
        given, family = item.get("givenName"), item.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return f"{given} {family}"
        if isinstance(item.get("@value"), str):
            return item["@value"]
    return None


def _text(item: object) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("@value"), str):
        return item["@value"]
    return None


# ---- <meta>, <link>, markup -------------------------------------------------------------------


def _read_meta(root: etree._Element, out: _Collector) -> None:
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for key in _meta_keys(meta):
            field = f"meta:{key}"
            if key in _CREDIT_META:
                out.add("credits", field, content)
            if key in _TITLE_META:
                out.add("titles", field, content)
            if key in _PUBLISHED_META:
                out.add("published", field, content)
            if key in _MODIFIED_META:
                out.add("modified", field, content)
            if key in _URL_META:
                out.add("urls", field, content)
            if key in _SITE_META:
                out.add("site_names", field, content)
            if key in _SECTION_META:
                out.add("sections", field, content)
            if key in _TAG_META:
                for tag in content.split(",") if key != "article:tag" else (content,):
                    out.add("tags", field, tag)
            if key in _LANGUAGE_META:
                out.add("languages", field, content)


def _meta_keys(meta: etree._Element) -> Iterable[str]:
    keys = []
    for attribute in ("name", "property", "http-equiv", "itemprop"):
        key = meta.get(attribute)
        if key:
            key = key.strip().lower()
            if attribute == "itemprop":
                # Microdata on <meta>: itemprop="datePublished" is the same statement as JSON-LD's.
                if key == "datepublished":
                    keys.append("datepublished")
                elif key == "datemodified":
                    keys.append("datemodified")
                continue
            keys.append(key)
    return keys


def _read_markup(root: etree._Element, out: _Collector) -> None:
    lang = root.get("lang") if root.tag == "html" else None
    if lang:
        out.add("languages", "html:lang", lang)
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            out.add("urls", "link:canonical", link.get("href"))
    title = next(root.iter("title"), None)
    if title is not None and title.getparent() is not None and title.getparent().tag == "head":
        out.add("titles", "html:title", "".join(title.itertext()))
    for i, h1 in enumerate(root.iter("h1")):
        if i >= _MAX_H1:
            break
        out.add("titles", "html:h1", "".join(h1.itertext()))
    for element in root.xpath(".//*[@itemprop]"):
        prop = (element.get("itemprop") or "").strip()
        if prop == "datePublished" and element.tag != "meta":
            out.add("published", "itemprop:datePublished", element.get("datetime") or element.get("content"))
        elif prop == "dateModified" and element.tag != "meta":
            out.add("modified", "itemprop:dateModified", element.get("datetime") or element.get("content"))
        elif prop == "author" and element.tag != "meta":
            names = element.xpath(".//*[@itemprop='name']")
            for name in names or [element]:
                out.add("authors", "itemprop:author", name.get("content") or "".join(name.itertext()))
    for i, time in enumerate(root.iter("time")):
        if i >= _MAX_TIMES:
            break
        out.add("published", "html:time", time.get("datetime"))
    for link in root.xpath(".//a[@rel]"):
        if "author" in (link.get("rel") or "").lower().split():
            out.add("authors", "html:rel-author", "".join(link.itertext()))
    _read_byline_boxes(root, out)
    _read_author_links(root, out)


def _read_author_links(root: etree._Element, out: _Collector) -> None:
    """The names on links to author pages, from the first group of them only (the article's byline;
    later groups are usually teasers of other articles)."""
    group = None
    for link in _AUTHOR_LINKS(root):
        if not _AUTHOR_LINK.search(link.get("href") or ""):
            continue
        if any(a.tag in ("nav", "footer", "aside") for a in link.iterancestors()):
            continue
        parent = link.getparent()
        holder = parent.getparent() if parent is not None else None
        if group is None:
            group = (parent, holder)
        elif parent is not group[0] and holder is not group[1] and parent is not group[1]:
            break
        text = _SPACE.sub(" ", " ".join(link.itertext())).strip()
        if text and len(text) <= _MAX_BYLINE_CHARS:
            out.add("authors", "html:author-link", text)


# Tested on the attribute node itself, so that elements without a class or id cost one check:
# a third faster than testing each contains() on every element, with the same matches.
_BYLINE_BOXES = etree.XPath(
    "//*[@class[contains(.,'byline') or contains(.,'Byline') or contains(.,'author') or contains(.,'Author')]"
    " or @id[contains(.,'byline') or contains(.,'author')]]"
)
_BYLINE_NOT = re.compile(r"avatar|image|img|photo|picture|bio|desc|social|follow|comment|about|more|teaser", re.I)
# Links to an author's page: /author/jane-doe, /autoren/name/jane-doe, /journalist/...
_AUTHOR_LINK = re.compile(
    r"/(?:author|authors|autor|autoren|autorinnen|journalist|journalists|redakteur|reporter)/", re.I
)
_AUTHOR_LINKS = etree.XPath(
    "//a[@href[contains(.,'/author') or contains(.,'/autor') or contains(.,'/journalist')"
    " or contains(.,'/redakteur') or contains(.,'/reporter')]]"
)
_BYLINE_SKIP_TAGS = frozenset({"script", "style", "img", "meta", "link", "noscript", "svg"})
_MAX_BYLINE_CHARS = 200
_MAX_BYLINE_BOXES = 6


def _read_byline_boxes(root: etree._Element, out: _Collector) -> None:
    """Elements whose class or id says they hold the byline or the author (a markup convention of
    most publishing systems), outermost first, their text if it is short."""
    found = 0
    taken: set[etree._Element] = set()
    for element in _BYLINE_BOXES(root):
        if found >= _MAX_BYLINE_BOXES:
            break
        if not isinstance(element.tag, str) or element.tag in _BYLINE_SKIP_TAGS:
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _BYLINE_NOT.search(marks):
            continue
        ancestors = list(element.iterancestors())
        if any(a in taken or a.tag in ("nav", "footer", "aside") for a in ancestors):
            continue
        text = _SPACE.sub(" ", " ".join(element.itertext())).strip()
        if text and len(text) <= _MAX_BYLINE_CHARS:
            taken.add(element)
            found += 1
            out.add("authors", "html:byline", text)
