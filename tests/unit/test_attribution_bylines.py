"""Wire bylines on whole pages, through the normaliser and the tagger: the byline is kept as a
`byline` block (not body, not dropped with the dates and menus around it) and credits its agency."""

from __future__ import annotations

import pytest

from wirestream.core import normalise, tag

PARAGRAPHS = (
    "Several thousand teachers wearing red surrounded the state capitol on Tuesday to call for better pay,"
    " in the biggest such protest in the state in more than a decade.",
    "The union said more than 15,000 people had registered for the rally, and about half of the state's school"
    " districts cancelled classes because so many teachers had asked for the day off.",
    "The governor, who has proposed a commission to study teacher pay, said he shared the goal of raising"
    " salaries but wanted to wait for its report before committing to new spending.",
)
ABSAETZE = (
    "Mehrere tausend Lehrkräfte haben am Dienstag vor dem Landtag für höhere Gehälter demonstriert. Es war"
    " nach Angaben der Gewerkschaft die größte Kundgebung dieser Art seit mehr als zehn Jahren.",
    "Viele Schulen im Land ließen den Unterricht ausfallen, weil zu viele Lehrerinnen und Lehrer einen freien"
    " Tag beantragt hatten. Die Landesregierung will zunächst den Bericht einer Kommission abwarten.",
    "Der Ministerpräsident sagte, er teile das Ziel höherer Gehälter, wolle aber keine neuen Ausgaben"
    " beschließen, bevor die Kommission ihre Empfehlungen vorgelegt habe.",
)
HEADLINE = "Thousands of teachers rally at the capitol for higher pay"
SCHLAGZEILE = "Tausende Lehrkräfte demonstrieren für höhere Gehälter"


def page(headline: str, *lead: str, paragraphs: tuple[str, ...] = PARAGRAPHS) -> str:
    """Visible page text: document title, menus, share buttons, the headline, `lead` lines, the
    article, and a footer."""
    return "\n".join(
        [
            f"{headline} | Example Herald",
            "Skip to content",
            "Home",
            "News",
            "Politics",
            "Sports",
            "Opinion",
            headline,
            "Share",
            "Tweet",
            *lead,
            *paragraphs,
            "Most Read",
            "Storm knocks out power to thousands",
            "Privacy Policy",
            "© 2019 Example Media Group. All rights reserved.",
        ]
    )


@pytest.mark.parametrize(
    ("lead", "code", "bylines"),
    [
        (
            ["Associated Press", "Published 11:26 pm EST, Tuesday, November 19, 2019"],
            "AP",
            ["Associated Press", "Published 11:26 pm EST, Tuesday, November 19, 2019"],
        ),
        (["Associated Press November 19, 2019, 9:02 AM"], "AP", ["Associated Press November 19, 2019, 9:02 AM"]),
        (
            ["Tom Davies Associated Press", "Published 11:34 PM EST Nov 19, 2019"],
            "AP",
            ["Tom Davies Associated Press", "Published 11:34 PM EST Nov 19, 2019"],
        ),
        (
            ["By JANE DOE Associated Press", "Nov. 19, 2019 8:03 am ET"],
            "AP",
            ["By JANE DOE Associated Press", "Nov. 19, 2019 8:03 am ET"],
        ),
        (
            ["Reuters, Washington,", "Nov 20 2019, 11:06am ist", "updated: Nov 20 2019, 15:24pm ist"],
            "Reuters",
            ["Reuters, Washington,", "Nov 20 2019, 11:06am ist"],
        ),
        (["PTI, Washington,", "Nov 20 2019, 10:18am ist"], "PTI", ["PTI, Washington,", "Nov 20 2019, 10:18am ist"]),
        (["The Associated Press"], "AP", ["The Associated Press"]),
    ],
)
def test_wire_byline_under_the_headline_is_kept_and_credits(lead: list[str], code: str, bylines: list[str]) -> None:
    doc = normalise(page(HEADLINE, *lead))
    assert doc.title == HEADLINE
    assert doc.texts("byline") == bylines
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    result = tag(doc)
    assert (result.credited, result.cited, result.photo) == ([code], [], [])
    [agency] = result.agencies
    assert agency.evidence[0].kind == "byline"
    assert agency.evidence[0].text == bylines[0]


@pytest.mark.parametrize(
    ("lead", "code", "byline"),
    [
        (["Von Jane Doe, dpa", "19.11.2019, 14:30 Uhr"], "dpa", "Von Jane Doe, dpa"),
        (["AP-Korrespondentin Jane Doe", "19.11.2019, 14:30 Uhr"], "AP", "AP-Korrespondentin Jane Doe"),
        (["Von Jane Doe, AP-Korrespondentin", "Stand: 19.11.2019 14:30 Uhr"], "AP", "Von Jane Doe, AP-Korrespondentin"),
        (["Reuters, Berlin,", "19.11.2019 14:30 Uhr"], "Reuters", "Reuters, Berlin,"),
        (["dpa", "Stand: 19.11.2019 14:30 Uhr"], "dpa", "dpa"),
    ],
)
def test_german_wire_byline_is_kept_and_credits(lead: list[str], code: str, byline: str) -> None:
    doc = normalise(page(SCHLAGZEILE, *lead, paragraphs=ABSAETZE))
    assert doc.byline == byline
    assert doc.body.split("\n\n") == list(ABSAETZE)
    assert doc.language == "de"
    result = tag(doc)
    assert result.credited == [code]
    assert result.agencies[0].evidence[0].text == byline


def test_wire_name_over_its_date_under_a_caption_is_the_byline_and_the_picture_goes_with_the_credit() -> None:
    caption = "Teachers march outside the state capitol on Tuesday, Nov. 19, 2019. (AP Photo/Michael Conroy)"
    doc = normalise(page(HEADLINE, caption, "The Associated Press", "Published Tuesday, November 19, 2019 8:22AM EST"))
    assert doc.captions == [caption]
    assert doc.byline == "The Associated Press"
    result = tag(doc)
    assert (result.credited, result.photo) == (["AP"], [])
    assert [e.kind for e in result.agencies[0].evidence] == ["byline", "photo_credit"]


def test_wire_name_alone_under_a_caption_credits_the_picture() -> None:
    caption = "Teachers march outside the state capitol on Tuesday, Nov. 19, 2019"
    doc = normalise(page(HEADLINE, "Photo: Michael Conroy", caption, "Reuters"))
    assert "Reuters" in doc.captions
    assert doc.byline is None
    assert tag(doc).photo == ["Reuters"]


def test_byline_under_the_first_showing_of_a_repeated_headline_is_kept() -> None:
    # A gallery between the headline's two showings: the byline sits under the first one.
    gallery = [
        "Tom Krisher, Ap Auto Writer",
        "Updated 1:39 am EST, Wednesday, November 20, 2019",
        "Image 1 of 23",
        "Back to Gallery",
        HEADLINE,
    ]
    doc = normalise(page(HEADLINE, *gallery))
    assert doc.title == HEADLINE and doc.text.count(HEADLINE) == 1
    assert doc.byline == "Tom Krisher, Ap Auto Writer"
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    assert tag(doc).credited == ["AP"]


@pytest.mark.parametrize(
    "lead",
    [
        ["Jane Doe, AP"],  # a photographer's credit under the lead picture
        ["Trump slams AP over its coverage"],
        ["Related: Reuters poll shows support for the strike"],
    ],
)
def test_lines_that_only_name_an_agency_credit_nothing(lead: list[str]) -> None:
    doc = normalise(page(HEADLINE, *lead))
    assert doc.byline is None
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    assert tag(doc).credited == []


def test_wire_name_in_a_menu_away_from_the_headline_is_dropped() -> None:
    raw = page(HEADLINE, "By Jane Doe", "Nov. 19, 2019").replace("Politics\n", "Politics\nWire: AP\nReuters\n")
    doc = normalise(raw)
    assert doc.texts("byline") == ["By Jane Doe"]
    assert "Reuters" not in doc.text
    assert tag(doc).credited == []


def test_wire_name_alone_between_the_first_paragraphs_is_dropped() -> None:
    doc = normalise(page(HEADLINE, "By Jane Doe", paragraphs=(PARAGRAPHS[0], "Reuters", *PARAGRAPHS[1:])))
    assert doc.texts("byline") == ["By Jane Doe"]
    assert "Reuters" not in doc.text
    assert tag(doc).agencies == []


def test_wire_name_alone_after_the_text_signs_it_off() -> None:
    doc = normalise(page(HEADLINE, "By Jane Doe", paragraphs=(*PARAGRAPHS, "PTI")))
    assert doc.texts("credit") == ["PTI"]
    assert tag(doc).credited == ["PTI"]


# --- captions closed by a wire credit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "code"),
    [
        ("WikiLeaks founder Julian Assange (AFP)", "AFP"),
        ("The union's president Jane Roe (left) and her deputy John Major AP", "AP"),
        ("Teachers gather outside the state capitol in Indianapolis. Reuters", "Reuters"),
        ("(Michael Conroy / Associated Press)", "AP"),
    ],
)
def test_caption_closed_by_a_wire_credit_before_the_text_credits_the_picture(caption: str, code: str) -> None:
    doc = normalise(page(HEADLINE, "By Jane Doe", "Nov. 19, 2019", caption))
    assert doc.captions == [caption]
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    result = tag(doc)
    assert (result.credited, result.cited, result.photo) == ([], [], [code])


def test_caption_after_the_first_paragraph_closed_by_a_wire_credit_credits_the_picture() -> None:
    caption = "A cargo ship leaves the port of Miami, on Aug. 31, 2019. (AP)"
    doc = normalise(page(HEADLINE, "By Jane Doe", paragraphs=(PARAGRAPHS[0], caption, *PARAGRAPHS[1:])))
    assert doc.captions == [caption]
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    assert tag(doc).photo == ["AP"]


def test_short_text_closed_by_a_wire_name_after_a_sentence_is_signed_off_not_captioned() -> None:
    brief = (
        "Feuer in Kreuzberg: Bei einem Brand in einem Wohnhaus sind am Dienstag zwei Menschen verletzt worden. (dpa)"
    )
    doc = normalise(f"Zwei Verletzte bei Brand in Kreuzberg\n{brief}")
    assert doc.captions == []
    assert doc.body == brief
    assert tag(doc).credited == ["dpa"]


def test_round_up_item_linking_its_source_after_the_text_is_kept_and_cites_it() -> None:
    link = "Why the label will not let the singer perform her own songs [ Bloomberg ]"
    doc = normalise(page(HEADLINE, "By Jane Doe", paragraphs=(*PARAGRAPHS, link)))
    assert doc.body.split("\n\n") == [*PARAGRAPHS, link]
    result = tag(doc)
    assert (result.credited, result.cited) == ([], ["Bloomberg"])
