"""Article metadata: dates, people, titles and the order of trust between sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from wirestream.core import normalise
from wirestream.core.metadata import (
    date_in_text,
    fold,
    from_page,
    from_text,
    is_agency_name,
    parse_datetime,
    plausible,
    relative_date,
    split_people,
    strip_site_suffix,
    url_date,
)
from wirestream.core.pagemeta import MetaValue, PageMetadata, read_page_metadata
from wirestream.enrich import InputMessage, enrich_message

NOW = datetime(2024, 5, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024-05-03T15:47:42.389Z", datetime(2024, 5, 3, 15, 47, 42, 389000, tzinfo=UTC)),
        ("2024-05-03T15:47:42+02:00", datetime(2024, 5, 3, 15, 47, 42, tzinfo=timezone(timedelta(hours=2)))),
        ("2024-05-03 15:47", datetime(2024, 5, 3, 15, 47)),
        ("2024-05-03", datetime(2024, 5, 3)),
        ("20240503", datetime(2024, 5, 3)),
        ("Fri, 03 May 2024 15:47:42 GMT", datetime(2024, 5, 3, 15, 47, 42, tzinfo=UTC)),
        ("1714751262", datetime(2024, 5, 3, 15, 47, 42, tzinfo=UTC)),
        ("03.05.2024 17:47", datetime(2024, 5, 3, 17, 47)),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_datetime(written: str, expected: datetime | None) -> None:
    assert parse_datetime(written) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published 3:04 PM EST, Tue, Jan 2, 2024", datetime(2024, 1, 2, 15, 4, tzinfo=timezone(timedelta(hours=-5)))),
        ("29. November 2026, 14:05 Uhr", datetime(2026, 11, 29, 14, 5)),
        ("Erstellt: 28.04.2023, 18:16 Uhr", datetime(2023, 4, 28, 18, 16)),
        ("25 de mayo de 2025", datetime(2025, 5, 25)),
        ("publié le 18 juillet 2024 à 08h01", datetime(2024, 7, 18, 8, 1)),
        ("03 Temmuz 2024 18:24", datetime(2024, 7, 3, 18, 24)),
        ("14 мая 2025, 20:28", datetime(2025, 5, 14, 20, 28)),
        ("2025年01月13日 21時37分", datetime(2025, 1, 13)),
        ("12. MÄR 2025 18:03", datetime(2025, 3, 12, 18, 3)),
        ("Tue, 26 November 2024 9:27PM", datetime(2024, 11, 26, 21, 27)),
        ("Sept. 4, 2024", datetime(2024, 9, 4)),
        ("No date here, only 12:00", None),
        ("31. Februar 2024", None),
    ],
)
def test_date_lines_in_the_corpora_languages(line: str, expected: datetime | None) -> None:
    assert date_in_text(line) == expected


def test_relative_dates_count_back_from_the_message_time() -> None:
    assert relative_date("Updated 2 hours ago", NOW) == NOW - timedelta(hours=2)
    assert relative_date("vor 3 Tagen", NOW) == NOW - timedelta(days=3)
    assert relative_date("hace 15 minutos", NOW) == NOW - timedelta(minutes=15)
    assert relative_date("two hours later", NOW) is None


def test_plausible_dates_lie_between_1990_and_a_day_after_the_message() -> None:
    latest = NOW + timedelta(days=1)
    assert plausible(datetime(1990, 1, 1), latest)
    assert not plausible(datetime(1989, 12, 31, 23, 59), latest)
    assert plausible(NOW + timedelta(hours=23), latest)
    assert not plausible(NOW + timedelta(days=2), latest)
    assert not plausible(datetime(9999, 1, 1), latest)
    assert plausible(datetime(2203, 1, 1), None)  # without a message time only the lower bound holds


def test_url_dates() -> None:
    assert url_date("https://example.com/2019/11/19/opinion/x.html") == datetime(2019, 11, 19)
    assert url_date("https://example.com/news/2024-05-03-floods") == datetime(2024, 5, 3)
    assert url_date("https://example.com/story/3000000218734/x") is None
    assert url_date(None) is None


@pytest.mark.parametrize(
    ("credit", "people"),
    [
        ("By Jane Doe and John Roe, Associated Press", ["Jane Doe", "John Roe"]),
        ("Von Robin Amberg, Volontär (Sport)", ["Robin Amberg"]),
        ("Von Ulrich Exner Korrespondent", ["Ulrich Exner"]),
        ("By Samya Kullab and Vasilisa Stepanenko The Associated Press", ["Samya Kullab", "Vasilisa Stepanenko"]),
        ("Reuters, Thorsten Kramer", ["Thorsten Kramer"]),
        ("Autor: Monika Bolliger und Anna Trechsel", ["Monika Bolliger", "Anna Trechsel"]),
        ("Mathatisi Sebusi/Mohalenyane Phakela", ["Mathatisi Sebusi", "Mohalenyane Phakela"]),
        ("Greg Iacurci @GregIacurci", ["Greg Iacurci"]),
        ("Jane Doe for The Guardian", ["Jane Doe"]),
        ("https://www.facebook.com/lesothotimez", []),
        ("MND Staff", []),
        ("Guardian staff reporter", []),
        ("The Associated Press", []),
        ("AFP/dpa", []),
    ],
)
def test_credits_split_into_names(credit: str, people: list[str]) -> None:
    assert split_people(credit) == people


def test_agency_names() -> None:
    assert is_agency_name("dpa") and is_agency_name("Associated Press") and is_agency_name("AFP/dpa")
    assert is_agency_name("SID Nachrichtenagentur")
    assert not is_agency_name("Jane Doe") and not is_agency_name("Jane Doe, AP")


def test_site_suffix_is_cut_from_titles() -> None:
    keys = {"globalnewsca", "globalnews"}
    title = "Russia hits Kyiv with ballistic missile, damages buildings and schools"
    assert strip_site_suffix(f"{title} - National | Globalnews.ca", keys) == title
    assert strip_site_suffix("Short - National | Globalnews.ca", keys) == "Short - National"
    assert strip_site_suffix("Your $1 bill could be worth THOUSANDS - here's how to check", keys) == (
        "Your $1 bill could be worth THOUSANDS - here's how to check"
    )
    assert (
        strip_site_suffix('민주당 불발 "왜 밀어붙이나"-정치ㅣ한국일보', {fold("한국일보")})
        == '민주당 불발 "왜 밀어붙이나"'
    )


def _page(head: str, body: str = "") -> PageMetadata:
    return read_page_metadata(f"<html><head>{head}</head><body>{body}</body></html>")


def _ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_wins_over_meta_and_the_record_says_so() -> None:
    page = _page(
        _ld({"@type": "NewsArticle", "datePublished": "2024-05-03T15:47:42+02:00", "author": {"name": "Jane Doe"}})
        + '<meta property="article:published_time" content="2024-05-02T10:00:00Z">'
        + '<meta name="author" content="John Roe">'
    )
    meta = from_page(page, url="https://example.com/a", message_time=NOW)
    assert meta.published_at == datetime(2024, 5, 3, 15, 47, 42, tzinfo=timezone(timedelta(hours=2)))
    assert meta.authors == ("Jane Doe",)
    assert meta.sources["published_at"] == "json-ld:datePublished"
    assert meta.sources["authors"] == "json-ld:author"


def test_an_implausible_date_gives_way_to_the_next_source() -> None:
    page = _page(
        _ld({"@type": "NewsArticle", "datePublished": "2203-01-01T00:00:00Z"})
        + '<meta property="article:published_time" content="1970-01-01T00:00:00Z">'
        + '<meta name="date" content="2024-05-03">'
    )
    meta = from_page(page, message_time=NOW)
    assert meta.published_at == datetime(2024, 5, 3)
    assert meta.sources["published_at"] == "meta:date"


def test_a_date_in_the_url_when_the_page_states_none() -> None:
    meta = from_page(_page(""), url="https://example.com/2024/05/02/story", message_time=NOW)
    assert meta.published_at == datetime(2024, 5, 2) and meta.sources["published_at"] == "url"


def test_the_site_name_and_boilerplate_are_not_authors() -> None:
    page = _page(
        _ld(
            {
                "@type": "NewsArticle",
                "author": [{"@type": "Organization", "name": "Daily Example"}, {"name": "Redaktion"}],
                "publisher": {"name": "Daily Example"},
            }
        )
        + '<meta property="og:site_name" content="Daily Example">'
        + '<meta property="article:author" content="https://www.facebook.com/dailyexample">'
        + '<meta name="author" content="Ana Lopez, Daily Example">'
    )
    meta = from_page(page, url="https://www.dailyexample.com/a", message_time=NOW)
    assert meta.authors == ("Ana Lopez",)
    assert meta.publisher == "Daily Example"


def test_a_byline_box_in_the_markup() -> None:
    body = '<div class="article-byline">Kommentar von Jemima Kelly 05. November 2024 15:36 Uhr</div>'
    meta = from_page(_page("", body), message_time=NOW.replace(year=2025))
    assert meta.authors == ("Jemima Kelly",) and meta.sources["authors"] == "html:byline"


def test_titles_agree_and_the_site_name_goes() -> None:
    page = _page(
        "<title>Floods in the north | Daily Example</title>"
        '<meta property="og:title" content="Floods in the north - Daily Example">'
        '<meta property="og:site_name" content="Daily Example">',
        "<h1>Floods in the north</h1>",
    )
    meta = from_page(page, message_time=NOW)
    assert meta.title == "Floods in the north"
    assert meta.sources["title"] == "html:h1"


def test_canonical_url_publisher_section_and_tags() -> None:
    page = _page(
        '<link rel="canonical" href="/news/floods"><meta property="og:url" content="https://example.com/x">'
        '<meta property="article:section" content="World"><meta property="article:tag" content="Floods">'
        '<meta property="article:tag" content="Weather"><meta property="og:site_name" content="Example">'
    )
    meta = from_page(page, url="https://example.com/amp/floods", message_time=NOW)
    assert meta.canonical_url == "https://example.com/news/floods"
    assert (meta.publisher, meta.section, meta.tags) == ("Example", "World", ("Floods", "Weather"))
    assert meta.sources["canonical_url"] == "link:canonical"


def test_text_path_date_line_and_byline() -> None:
    raw = (
        "Home\nNews\nSport\n\nFloods in the north force hundreds from their homes\n\n"
        "By Jane Doe and John Roe, Associated Press\nPublished 3:04 PM EST, Tue, Jan 2, 2024\n\n"
        + "Rivers burst their banks across the north on Friday, and hundreds of homes were evacuated.\n\n"
        * 5
    )
    doc = normalise(raw)
    meta = from_text(raw.splitlines(), doc, message_time=datetime(2024, 1, 3, tzinfo=UTC))
    assert meta.authors == ("Jane Doe", "John Roe")
    assert meta.published_at == datetime(2024, 1, 2, 15, 4, tzinfo=timezone(timedelta(hours=-5)))
    assert meta.sources == {"published_at": "text:date-line", "authors": "text:byline", "title": "text:title"}


def test_text_path_ignores_a_date_after_the_message() -> None:
    raw = (
        "Floods in the north\n\n3. Mai 2024, 17:47\n\n" + "Rivers burst their banks across the north on Friday.\n\n" * 5
    )
    meta = from_text(raw.splitlines(), normalise(raw), message_time=datetime(2024, 5, 1, tzinfo=UTC))
    assert meta.published_at is None


def test_envelope_values_win_and_the_record_says_which_source_won() -> None:
    html = (
        "<html><head>"
        + _ld({"@type": "NewsArticle", "headline": "Page headline", "datePublished": "2024-05-03T10:00:00Z"})
        + '<link rel="canonical" href="https://example.com/page"></head><body><article><h1>Page headline</h1>'
        + "<p>Rivers burst their banks across the north on Friday, and hundreds of homes were evacuated.</p>" * 5
        + "</article></body></html>"
    )
    envelope = {"html": html, "title": "Envelope title", "published_at": "2024-05-01T08:00:00Z"}
    value = json.dumps(envelope).encode()
    record = enrich_message(
        InputMessage(value=value, timestamp_ms=int(NOW.timestamp() * 1000)), max_bytes=1 << 20, processed_at=NOW
    )
    assert record.title == "Envelope title" and record.provenance.title == "envelope"
    assert record.published_at == datetime(2024, 5, 1, 8, tzinfo=UTC)
    assert record.provenance.published_at == "envelope"
    assert record.url == "https://example.com/page" and record.provenance.url == "link:canonical"
    assert record.canonical_url == "https://example.com/page"


def test_metadata_value_fields_of_an_empty_page() -> None:
    meta = from_page(PageMetadata(), message_time=NOW)
    assert meta.title is None and meta.authors == () and meta.published_at is None and meta.sources == {}
    assert from_page(PageMetadata(titles=(MetaValue("html:title", "   "),)), message_time=NOW).title is None


def test_a_date_line_the_markup_does_not_mark_up_is_read_from_the_page() -> None:
    """The extracted article has no date and the markup states none: the page's visible lines
    near the article's start give it."""
    body = "Rivers burst their banks across the north on Friday, and hundreds of homes were evacuated."
    doc = normalise(f"Floods in the north\n\n{body}\n\nThe water is expected to fall by Monday, officials said today.")
    lines = ["Home", "Floods in the north", "Do 25.04.24 | 14:07 Uhr | Von Eva Muster", body]
    meta = from_page(PageMetadata(), doc, message_time=NOW, page_lines=lambda: lines)
    assert meta.published_at == datetime(2024, 4, 25, 14, 7)
    assert meta.sources["published_at"] == "text:date-line"
    assert from_page(PageMetadata(), doc, message_time=NOW).published_at is None
