"""The HTML path reads the page three ways: the extractor's article for the record, the whole visible
text and the page's metadata for attribution."""

from __future__ import annotations

import pytest

from wirestream.core import tag
from wirestream.core.attribution import metadata_credits
from wirestream.core.pagemeta import MetaValue
from wirestream.core.webpage import read_webpage

PARAGRAPHS = "".join(
    f"<p>{text}</p>"
    for text in (
        "Die Bundesregierung will den Ausbau der Stromnetze deutlich beschleunigen. Das Kabinett billigte am "
        "Mittwoch in Berlin einen Gesetzentwurf, der kürzere Genehmigungsverfahren vorsieht.",
        "Wirtschaftsminister Peter Altmaier sprach von einem wichtigen Schritt für die Energiewende. Kritik kam "
        "von Umweltverbänden, die eine geringere Beteiligung der Öffentlichkeit befürchten.",
        "Der Bundestag soll sich noch vor der Weihnachtspause mit dem Entwurf befassen. Die Länder haben bereits "
        "angekündigt, im Bundesrat Änderungen an einzelnen Regelungen verlangen zu wollen.",
    )
)


def html_page(*, byline: str = "", after: str = "", head: str = "") -> str:
    return (
        f"<!doctype html><html><head><title>Netzausbau</title>{head}</head><body>"
        "<nav><a href='/'>Startseite</a> <a href='/politik'>Politik</a></nav>"
        f"<article><h1>Kabinett will Netzausbau beschleunigen</h1><div class='author'>{byline}</div>"
        f"<div class='text'>{PARAGRAPHS}</div><div class='source'>{after}</div></article>"
        "<footer>Impressum · Datenschutz</footer></body></html>"
    )


def test_a_sign_off_the_extractor_leaves_out_still_credits():
    page = read_webpage(html_page(after="sak/Reuters"))
    assert "sak/Reuters" not in page.article.body
    assert tag(page.page, metadata=page.metadata.credits).credited == ["Reuters"]


def test_the_record_body_is_the_extractors_article():
    page = read_webpage(html_page(byline="Von dpa"))
    assert page.article.body.startswith("Die Bundesregierung")
    assert "Startseite" not in page.article.body


def test_a_json_ld_author_credits_the_agency():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"dpa"}}</script>'
    page = read_webpage(html_page(head=ld))
    result = tag(page.page, metadata=page.metadata.credits)
    assert result.credited == ["dpa"]
    assert [(c.code, c.field, c.value) for c in result.metadata] == [("dpa", "json-ld:author", "dpa")]
    assert result.agencies == []  # the text names no agency: no evidence spans to give


@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("dpa", ["dpa"]),
        ("The Associated Press", ["AP"]),
        ("Jane Doe, AFP", ["AFP"]),
        ("Von dpa", ["dpa"]),
        ("Diana Resnik mit AP", ["AP"]),
        ("Jane Doe", []),
        ("Photos by Reuters photographers show the damage.", []),
        ("Salzburger Nachrichten", []),
    ],
)
def test_a_metadata_value_credits_an_agency_when_it_reads_as_a_byline(value, codes):
    assert [c.code for c in metadata_credits([MetaValue("meta:author", value)])] == codes


def test_a_page_without_markup_gives_empty_reads():
    page = read_webpage("   ")
    assert page.page.text == "" and page.metadata.credits == ()


def test_the_articles_headline_is_the_page_h1_before_its_title_tag():
    page = read_webpage(html_page())
    assert page.article.title == "Kabinett will Netzausbau beschleunigen"  # not <title>Netzausbau</title>


def test_the_articles_headline_is_the_json_ld_headline_first():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Netzausbau soll schneller gehen"}</script>'
    og = '<meta property="og:title" content="Netzausbau | Beispielzeitung">'
    page = read_webpage(html_page(head=ld + og))
    assert page.article.title == "Netzausbau soll schneller gehen"
