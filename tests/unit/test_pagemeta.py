"""The page-metadata reader: what JSON-LD, <meta> and the markup state, with their sources."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from wirestream.core.html import parse_html
from wirestream.core.pagemeta import MetaValue, PageMetadata, read_page_metadata


def _page(head: str, body: str = "<p>Text</p>") -> str:
    return f"<!doctype html><html lang='de'><head>{head}</head><body>{body}</body></html>"


def _ld(data: str) -> str:
    return f'<script type="application/ld+json">{data}</script>'


def _pairs(values: tuple[MetaValue, ...]) -> list[tuple[str, str]]:
    return [(v.field, v.value) for v in values]


NEWS_ARTICLE = """{"@context": "https://schema.org", "@type": "NewsArticle",
  "headline": "Floods  in the\\nnorth", "datePublished": "2024-05-03T15:47:42+02:00",
  "dateModified": "2024-05-03T18:00:00+02:00",
  "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": " John   Roe "}],
  "publisher": {"@type": "NewsMediaOrganization", "name": "Daily Example"},
  "articleSection": "World", "keywords": "floods, weather",
  "mainEntityOfPage": {"@type": "WebPage", "@id": "https://example.com/floods"}}"""


def test_json_ld_article_credits_in_order_with_their_property() -> None:
    meta = read_page_metadata(_page(_ld(NEWS_ARTICLE)))
    assert _pairs(meta.credits) == [
        ("json-ld:author", "Jane Doe"),
        ("json-ld:author", "John Roe"),
        ("json-ld:publisher", "Daily Example"),
    ]
    assert _pairs(meta.titles)[0] == ("json-ld:headline", "Floods in the north")
    assert _pairs(meta.published) == [("json-ld:datePublished", "2024-05-03T15:47:42+02:00")]
    assert _pairs(meta.modified) == [("json-ld:dateModified", "2024-05-03T18:00:00+02:00")]
    assert _pairs(meta.sections) == [("json-ld:articleSection", "World")]
    assert _pairs(meta.tags) == [("json-ld:keywords", "floods"), ("json-ld:keywords", "weather")]
    assert ("json-ld:mainEntityOfPage", "https://example.com/floods") in _pairs(meta.urls)
    assert ("html:lang", "de") in _pairs(meta.languages)


def test_graph_references_are_resolved_by_id() -> None:
    graph = """{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "@id": "https://ex.com/#website", "name": "Example News"},
      {"@type": "Organization", "@id": "https://ex.com/#org", "name": "Example Media Ltd"},
      {"@type": "Article", "author": {"@id": "https://ex.com/#/schema/person/1"},
       "publisher": {"@id": "https://ex.com/#org"}, "headline": "A story"},
      {"@type": "Person", "@id": "https://ex.com/#/schema/person/1", "name": "Ana Lopez"}]}"""
    meta = read_page_metadata(_page(_ld(graph)))
    assert _pairs(meta.credits) == [("json-ld:author", "Ana Lopez"), ("json-ld:publisher", "Example Media Ltd")]
    assert ("json-ld:website", "Example News") in _pairs(meta.site_names)


def test_other_articles_nested_in_lists_are_not_read() -> None:
    teasers = """[{"@type": "ItemList", "itemListElement": [
        {"@type": "NewsArticle", "author": {"name": "Teaser Author"}, "headline": "Another story"}]},
      {"@type": "BreadcrumbList"},
      {"@type": ["ReportageNewsArticle"], "creator": "Main Author", "sourceOrganization": {"name": "dpa"}}]"""
    meta = read_page_metadata(_page(_ld(teasers)))
    assert _pairs(meta.credits) == [("json-ld:creator", "Main Author"), ("json-ld:sourceOrganization", "dpa")]
    assert "Another story" not in [v.value for v in meta.titles]


def test_web_page_main_entity_is_the_article() -> None:
    page = """{"@type": "WebPage", "author": {"name": "Site Desk"},
      "mainEntity": {"@type": "BlogPosting", "author": {"name": "Mia Berg"}}}"""
    meta = read_page_metadata(_page(_ld(page)))
    assert _pairs(meta.credits) == [("json-ld:author", "Mia Berg")]


def test_a_web_page_is_read_when_there_is_no_article() -> None:
    meta = read_page_metadata(_page(_ld('{"@type": "WebPage", "author": {"name": "Mia Berg"}}')))
    assert _pairs(meta.credits) == [("json-ld:author", "Mia Berg")]


def test_broken_json_ld_is_repaired_where_cheap() -> None:
    broken = """<!--
    {"@type": "NewsArticle", "headline": "Line
    break", "author": {"@type": "Person", "name": "Jo Ek",}, "copyrightHolder": "Example &amp; Co",}
    -->"""
    meta = read_page_metadata(_page(_ld(broken)))
    assert _pairs(meta.credits) == [("json-ld:author", "Jo Ek"), ("json-ld:copyrightHolder", "Example & Co")]
    assert meta.titles[0] == MetaValue("json-ld:headline", "Line break")


def test_two_objects_in_one_script_and_a_hopeless_script_beside_them() -> None:
    scripts = _ld('{"@type": "Article", "author": "A One"} {"@type": "Article", "provider": "B Two"}') + _ld(
        '{"@type": "Article", "author": '
    )
    meta = read_page_metadata(_page(scripts))
    assert _pairs(meta.credits) == [("json-ld:author", "A One"), ("json-ld:provider", "B Two")]


def test_meta_credits_are_lower_cased_and_deduplicated_by_field_and_value() -> None:
    head = """<meta name="Author" content="Jane Doe"><meta name="author" content="Jane Doe">
    <meta property="article:author" content="Jane Doe"><meta name="byline" content="By Jane Doe, AP">
    <meta name="DC.creator" content="Jane Doe"><meta name="parsely-author" content="Jane Doe">
    <meta name="sailthru.author" content="Jane Doe"><meta name="description" content="Not a credit">"""
    meta = read_page_metadata(_page(head))
    assert _pairs(meta.credits) == [
        ("meta:author", "Jane Doe"),
        ("meta:article:author", "Jane Doe"),
        ("meta:byline", "By Jane Doe, AP"),
        ("meta:dc.creator", "Jane Doe"),
        ("meta:parsely-author", "Jane Doe"),
        ("meta:sailthru.author", "Jane Doe"),
    ]


def test_json_ld_comes_before_meta_whatever_the_document_order() -> None:
    head = '<meta name="author" content="Meta Name">' + _ld('{"@type": "NewsArticle", "author": "Ld Name"}')
    assert _pairs(read_page_metadata(_page(head)).credits) == [
        ("json-ld:author", "Ld Name"),
        ("meta:author", "Meta Name"),
    ]


def test_meta_dates_urls_titles_and_markup() -> None:
    head = """<title>Headline | Site</title>
    <meta property="og:title" content="Headline"><meta property="og:site_name" content="Site">
    <meta property="article:published_time" content="2024-01-02T03:04:05Z">
    <meta property="article:modified_time" content="2024-01-03T03:04:05Z">
    <meta property="article:tag" content="Politics, Europe"><meta property="article:tag" content="EU">
    <meta property="og:url" content="https://site.example/a?utm=1">
    <link rel="canonical" href="https://site.example/a">"""
    body = '<h1>Headline</h1><time datetime="2024-01-02">2 Jan</time><a rel="author" href="/p/x">Kim Lee</a>'
    meta = read_page_metadata(_page(head, body))
    assert _pairs(meta.titles) == [
        ("meta:og:title", "Headline"),
        ("html:title", "Headline | Site"),
        ("html:h1", "Headline"),
    ]
    assert _pairs(meta.published) == [
        ("meta:article:published_time", "2024-01-02T03:04:05Z"),
        ("html:time", "2024-01-02"),
    ]
    assert _pairs(meta.modified) == [("meta:article:modified_time", "2024-01-03T03:04:05Z")]
    assert _pairs(meta.tags) == [("meta:article:tag", "Politics, Europe"), ("meta:article:tag", "EU")]
    assert _pairs(meta.urls) == [
        ("meta:og:url", "https://site.example/a?utm=1"),
        ("link:canonical", "https://site.example/a"),
    ]
    assert _pairs(meta.site_names) == [("meta:og:site_name", "Site")]
    assert _pairs(meta.authors) == [("html:rel-author", "Kim Lee")]


def test_microdata_author_and_date() -> None:
    body = """<div itemprop="author" itemscope><span itemprop="name">Ola Nordmann</span></div>
    <span itemprop="datePublished" content="2023-03-04T10:00:00+01:00">4. März</span>"""
    meta = read_page_metadata(_page("", body))
    assert _pairs(meta.authors) == [("itemprop:author", "Ola Nordmann")]
    assert _pairs(meta.published) == [("itemprop:datePublished", "2023-03-04T10:00:00+01:00")]


def test_a_parsed_tree_reads_the_same_as_the_markup() -> None:
    html = _page(_ld(NEWS_ARTICLE) + '<meta name="author" content="Jane Doe">')
    assert read_page_metadata(lxml.html.document_fromstring(html)) == read_page_metadata(html)
    assert read_page_metadata(parse_html(html)) == read_page_metadata(html)


def test_odd_inputs_give_empty_metadata_not_errors() -> None:
    for odd in ["", "   ", "\x00\x01", "<", "plain text", '<?xml version="1.0" encoding="utf-8"?><html></html>', b""]:
        assert isinstance(read_page_metadata(odd), PageMetadata)
    assert read_page_metadata("") == PageMetadata()
    xml_declared = '<?xml version="1.0" encoding="utf-8"?><html><head><meta name="author" content="X Y"></head></html>'
    assert _pairs(read_page_metadata(xml_declared).credits) == [("meta:author", "X Y")]


def test_json_ld_of_odd_shapes_is_skipped_not_fatal() -> None:
    odd = [
        "null",
        "42",
        '"text"',
        '{"@type": 5, "author": {"name": ["", "Z Q"]}}',
        '{"@type": "Article", "author": [null, 5, true, {"name": {"@value": "V W"}}, [["deep"]]]}',
        "[" * 5000 + "]" * 5000,
        '{"@type": "Article", "author": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"@graph": {"@graph": {"@type": "NewsArticle", "author": {"givenName": "Ann", "familyName": "Bo"}}}}',
    ]
    meta = read_page_metadata(_page("".join(_ld(s) for s in odd)))
    assert [v.value for v in meta.credits] == ["V W", "Ann Bo"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>{}[]\"':,/ =-!@#abcdefhlmnprstuy\n")), max_size=300))
def test_never_raises_on_arbitrary_markup(noise: str) -> None:
    html = _page(_ld(noise) + noise, noise)
    assert isinstance(read_page_metadata(html), PageMetadata)
    assert isinstance(read_page_metadata(noise), PageMetadata)
