"""Line shapes: bylines, datelines, captions, credit and trailer lines, timestamps, furniture."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirestream.core import furniture, structure
from wirestream.core.language import detect_language


@pytest.mark.parametrize(
    ("paragraph", "block", "place", "date"),
    [
        ("BERLIN (Reuters) - Germany's economy grew.", "BERLIN (Reuters) -", "BERLIN", None),
        ("WASHINGTON, Nov 19 (Reuters) - The Senate voted.", "WASHINGTON, Nov 19 (Reuters) -", "WASHINGTON", "Nov 19"),
        ("Hamburg (dpa) - Der Hafen meldet weniger Container.", "Hamburg (dpa) -", "Hamburg", None),
        ("NEW YORK (AP) — Stocks fell.", "NEW YORK (AP) —", "NEW YORK", None),
        ("(Reuters) — The company said on Monday.", "(Reuters) —", None, None),
        ("SIOUX FALLS, S.D. – People across the nation are talking.", "SIOUX FALLS, S.D. –", "SIOUX FALLS, S.D.", None),
        ("Frankfurt/Main (dpa-AFX) - Der Dax stieg.", "Frankfurt/Main (dpa-AFX) -", "Frankfurt/Main", None),
    ],
)
def test_datelines(paragraph: str, block: str, place: str | None, date: str | None) -> None:
    found = structure.find_dateline(paragraph)
    assert found is not None
    assert paragraph[found.start : found.end] == block
    assert (found.place, found.date) == (place, date)


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister (left) - who spoke first - said nothing.",
        "I – for one – disagree.",
        "Prices rose 3% in October, the statistics office said.",
    ],
)
def test_no_dateline(paragraph: str) -> None:
    assert structure.find_dateline(paragraph) is None


@pytest.mark.parametrize(
    "line",
    [
        "By JANE DOE Associated Press",
        "By Sarah E. Needleman",
        "Von Max Mustermann, dpa",
        "Par Jean Dupont, AFP",
        "Tom Krisher, Ap Auto Writer",
        "Jane Doe, Staff Reporter",
    ],
)
def test_bylines(line: str) -> None:
    assert structure.is_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "By the way, the council never answered our questions about the budget.",
        "Von der Leyen sagte am Montag, die Verhandlungen gingen weiter.",
        "By 2030, the city wants to run all its buses on electricity.",
    ],
)
def test_not_bylines(line: str) -> None:
    assert not structure.is_byline(line)


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("Associated Press", "alone"),
        ("The Associated Press", "alone"),
        ("REUTERS", "alone"),
        ("dpa", "alone"),
        ("Tom Davies Associated Press", "named"),
        ("Meg Kinnard and Errin Haines, Associated Press", "named"),
        ("Reuters, Washington,", "named"),
        ("PTI, New Delhi", "named"),
        ("Reuters, Berlin,", "named"),
        ("Associated Press November 19, 2019, 9:02 AM", "named"),
        ("The Associated Press Published Monday", "named"),
        ("AP-Korrespondentin Jane Doe", "named"),
        ("dpa, Hamburg, 19.11.2024 14:30 Uhr", "named"),
        ("By JANE DOE Associated Press", "named"),
        ("Von Jane Doe, dpa", "named"),
    ],
)
def test_agency_bylines(line: str, shape: str) -> None:
    assert structure.agency_byline(line) == shape


@pytest.mark.parametrize(
    "line",
    [
        "Jane Doe, AP",  # a photographer's credit: a bare code after a name
        "Pittsburgh, PA",
        "Trump slams AP over its coverage",
        "AP Poll Shows Support For Impeachment",
        "Reuters reported the deal on Monday.",
        "Thomson Reuters",
        "(AP)",
        "AP-US--Trump-Impeachment, 4th Ld-Writethru",
        "WikiLeaks founder Julian Assange (AFP)",
        "Associated Press and Reuters",
        "Senate passes stopgap spending bill",
    ],
)
def test_not_agency_bylines(line: str) -> None:
    assert structure.agency_byline(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "With reporting by AFP, dpa, and Reuters",
        "Reporting by Jane Doe; Editing by John Smith",
        "(Reporting by Greg Roe; additional reporting by Ann Lee; editing by Sam Poe)",
        "Associated Press writers Mary Major and John Roe contributed to this report.",
        "Mit Material von dpa",
        "Quelle: dpa",
        "Copyright 2019 The Associated Press. All rights reserved.",
        "© Reuters",
        "Includes information from The Associated Press",
        "Con información de EFE",
    ],
)
def test_credit_lines(line: str) -> None:
    assert structure.is_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "Reporting the news is hard, the editor said.",
        "The police are investigating the source of the leak.",
    ],
)
def test_not_credit_lines(line: str) -> None:
    assert not structure.is_credit(line)


@pytest.mark.parametrize("line", ["(dpa/lno)", "PTI", "(AFP)", "— AFP", "dpa/tmn"])
def test_trailers(line: str) -> None:
    assert structure.is_trailer(line)


@pytest.mark.parametrize("line", ["The end.", "Read the full report here", "(This story has been corrected)"])
def test_not_trailers(line: str) -> None:
    assert not structure.is_trailer(line)


@pytest.mark.parametrize(
    "line",
    [
        "Protesters march in Hong Kong on Sunday. (AP Photo/Vincent Yu)",
        "Photo: Damian Dovarganes, AP",
        "Trump at a rally last week. Credit... Doug Mills/The New York Times",
        "Foto: Christian Charisius/dpa",
        "The house in Braunau am Inn, Austria. REUTERS/Leonhard Foeger",
        "The skyline at dusk. (Getty Images)",
        "US troops stand to attention in front of the flags. May 15, 2020",
        "Above: A coworking space in San Francisco.",
        "(Reed Saxon / Associated Press)",
    ],
)
def test_captions(line: str) -> None:
    assert structure.is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "The prime minister said the photographs were taken without permission.",
        "Sales rose 4% to $2.8 billion in the quarter.",
    ],
)
def test_not_captions(line: str) -> None:
    assert not structure.is_caption(line)


@pytest.mark.parametrize(
    ("line", "shape"),
    [
        ("WikiLeaks founder Julian Assange (AFP)", "caption"),
        ("US professor Kevin King (left) and his Australian colleague Timothy Weeks AP", "caption"),
        ("Die Kanzlerin beim Gipfel in Brüssel (dpa)", "caption"),
        ("The logo is displayed outside of a co-working space in New York. Reuters", "sentence"),
        ("A cargo ship leaves the port of Miami, on Aug. 31, 2019. (AP)", "sentence"),
    ],
)
def test_captions_closed_by_a_wire_credit(line: str, shape: str) -> None:
    assert structure.caption_credit(line) == shape


@pytest.mark.parametrize(
    "line",
    [
        "The minister told The Associated Press",
        "Sales rose in the quarter, according to Reuters",
        "BERLIN (dpa) - Bei einem Brand in Kreuzberg sind zwei Menschen verletzt worden. (dpa)",
        "Jane Doe, AP",
        "(AFP)",
        "Protesters march in the city on Sunday. (AP Photo/Jane Doe)",
        "Associated Press Photographer Of The Year",
    ],
)
def test_not_captions_closed_by_a_wire_credit(line: str) -> None:
    assert structure.caption_credit(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Why Can't Taylor Swift Perform Her Own Songs? It's Complicated [ Bloomberg ]", True),
        ("Fed holds rates steady as inflation cools [Reuters]", True),
        ("Comments [ 12 ]", False),
        ("[ Bloomberg ]", False),
        ("Menu [ Login ]", False),
    ],
)
def test_source_links(line: str, expected: bool) -> None:
    assert structure.is_source_link(line) is expected


@pytest.mark.parametrize(
    "line",
    [
        "Nov. 19, 2019 8:03 am ET",
        "Updated on: November 19, 2019 / 10:07 AM / CBS News",
        "Stand: 19.11.2024 14:30 Uhr",
        "Published 1 day ago",
        "2 hours ago",
    ],
)
def test_timestamps(line: str) -> None:
    assert structure.is_timestamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL",
        "The meeting was held on Nov. 19, 2019.",
        "Chapter 3",
    ],
)
def test_not_timestamps(line: str) -> None:
    assert not structure.is_timestamp(line)


@pytest.mark.parametrize(
    ("line", "kind", "opens_section"),
    [
        ("Share", "share", False),
        ("Artikel teilen", "share", False),
        ("Advertisement", "advert", False),
        ("Anzeige", "advert", False),
        ("Most Read", "related", True),
        ("Mehr zum Thema:", "related", True),
        ("À lire aussi", "related", True),
        ("Leia também", "related", True),
        ("34 Comments", "comments", True),
        ("[ 167 comments ]", "comments", True),
        ("Leave a Reply", "comments", True),
        ("Wir verwenden Cookies, um die Seite zu verbessern.", "cookie", False),
        ("Nous utilisons des cookies pour améliorer votre expérience.", "cookie", False),
        ("Utilizamos cookies propias y de terceros.", "cookie", False),
        ("Sign up for our daily newsletter", "newsletter", False),
        ("Privacy Policy | Terms of Use", "legal", False),
        ("Read more: Storm knocks out power", "related", False),
        ("More Washington Examiner", "related", True),
        ("Whatsapp Facebook Pint Baixar", "share", False),
        ("34 responses to “Lynn: We needed to win”", "comments", True),
    ],
)
def test_furniture(line: str, kind: str, opens_section: bool) -> None:
    assert furniture.classify(line) == furniture.Furniture(kind, opens_section)


@pytest.mark.parametrize(
    "line",
    [
        "The company said it uses cookies to track visitors, which regulators say breaks the law, and will now pay"
        " a fine of 40 million euros after an investigation that lasted two years and covered six countries, the"
        " data protection authority said.",
        "More than 100 people were hurt",
        "Share prices fell sharply on Monday.",
        "Comments by the minister angered the opposition.",
    ],
)
def test_not_furniture(line: str) -> None:
    assert furniture.classify(line) is None


def test_language_of_a_bounded_sample() -> None:
    assert detect_language("The government said on Monday that it would raise taxes on fuel next year.") == "en"
    assert detect_language("Die Regierung kündigte am Montag an, die Steuern im nächsten Jahr zu erhöhen.") == "de"
    assert detect_language("Le gouvernement a annoncé lundi qu'il augmenterait les taxes l'an prochain.") == "fr"
    assert detect_language("") is None
    assert detect_language("123 456 !!!") is None


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=20, max_size=300))
def test_language_is_a_two_letter_code_or_none(text: str) -> None:
    code = detect_language(text)
    assert code is None or (len(code) == 2 and code.isalpha() and code.islower())


def test_pidgin_reads_as_english_not_as_a_three_letter_code() -> None:
    assert detect_language("How you dey? Wetin dey happen for the market today, my people dey wait for una.") == "en"
