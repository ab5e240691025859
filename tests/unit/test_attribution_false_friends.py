"""Text that names an agency, or looks as if it did, without crediting, citing or showing it."""

from __future__ import annotations

import pytest

from wirestream.core import normalise, tag
from wirestream.core.document import NormalisedText
from wirestream.schemas.attribution import Attribution

from .documents import make_doc

PARAGRAPHS = (
    "The city council voted on Tuesday to expand the bus network to the northern suburbs, a plan that has "
    "been debated for more than a decade and that will cost an estimated $120 million over five years.",
    "Council members said the first new routes could open next autumn, once the transit authority has hired "
    "enough drivers and bought the additional vehicles it needs to run the service every fifteen minutes.",
    "Residents who spoke at the meeting were largely supportive, although some business owners worried about "
    "construction work on the main shopping street during the busy months before the holidays.",
)


def with_sentence(sentence: str) -> NormalisedText:
    return make_doc(("title", "Council approves bus network expansion"), PARAGRAPHS[0], sentence, *PARAGRAPHS[1:])


@pytest.mark.parametrize(
    "sentence",
    [
        # Thomson Reuters, the company, and its institute and foundation.
        "Thomson Reuters Corp reported third-quarter revenue of $1.5 billion on Tuesday, beating analysts' estimates.",
        "Only a third of people trust most news most of the time, the Reuters Institute for the Study of "
        "Journalism found in its annual survey.",
        "The Thomson Reuters Foundation said it would fund training for local reporters in the region.",
        "Our Standards: The Thomson Reuters Trust Principles.",
        "Laut dem Digital News Report des Reuters Institute vertrauen immer weniger Menschen den Nachrichten.",
        # Michael Bloomberg and Bloomberg Businessweek.
        "We now know Michael Bloomberg is going to run for president, and he is turning himself into a pander bear.",
        "During his three terms as New York City's mayor, Bloomberg was famous for dismissing his critics.",
        "Former New York mayor Mike Bloomberg said on Tuesday that he would spend $100 million on digital ads.",
        "The start-up is now worth about $4 billion, according to Bloomberg Businessweek.",
        "Bloomberg L.P. is a privately held financial data company based in New York.",
        # AP as Advanced Placement and as the college rankings product.
        "She took five AP classes in her junior year and passed the AP Calculus exam with the top score.",
        "Ohio State is No. 2, according to the AP Top 25 released on Sunday, and hosts Penn State on Saturday.",
        # PA as Pennsylvania.
        "The tour stops at the PPL Center in Allentown, PA on June 26 and in Camden, NJ the following night.",
        "VISIT the Pennsylvania National Horse Show, Oct. 11–21, in Harrisburg, PA. The historic show features a "
        "Grand Prix.",
        # Generic agencies and wire services name no agency.
        "Several news agencies and wire services reported the explosion within minutes of the first calls.",
        "Advertising agencies and government agencies were invited to bid for the contract.",
        # Brands and products.
        "The new AFP* protein supplement went on sale in pharmacies across the country this week.",
        "The company sells AP® branded toner cartridges through office supply stores.",
        # Addresses and handles.
        "Follow AP's full coverage of the election at https://apnews.com/Election2020 and on social media.",
        "More AP NBA: https://apnews.com/NBA and https://twitter.com/AP_Sports",
        "The full report is available at www.reuters.com/investigates/special-report/ for subscribers.",
        "Send your tips to tips@afp.com or contact the desk by phone.",
        # Navigation menus.
        "Markets Data Dow Jones Newswires Barron's MarketWatch",
        # Ambiguous abbreviations without any sourcing context.
        "Starting in January, the PA system at the stadium will be replaced and the AA batteries recycled.",
    ],
)
def test_false_friend_names_no_agency(sentence):
    assert tag(with_sentence(sentence)) == Attribution()


def test_site_name_after_the_page_title_names_no_agency():
    doc = make_doc(("title", "Oversupply angst drags oil lower, stocks drift near highs - Reuters"), *PARAGRAPHS)
    assert tag(doc) == Attribution()


def test_andhra_pradesh_is_not_associated_press():
    doc = with_sentence(
        "The Andhra Pradesh government announced the new policy on Tuesday. AP Chief Minister Y.S. Jagan Mohan "
        "Reddy told reporters that AP will seek more central funds, AP officials said."
    )
    assert tag(doc) == Attribution()


def test_palestinian_authority_is_not_pa_media():
    doc = with_sentence(
        "The Palestinian Authority rejected the plan. A PA spokesman told reporters in Ramallah that the PA "
        "would not attend the conference."
    )
    assert tag(doc) == Attribution()


def test_indonesian_words_are_not_agencies():
    doc = make_doc(
        "Seorang pria bernama Budi ditangkap polisi di Jakarta. Antara lain, polisi menyita beberapa barang bukti "
        "dari rumahnya di kawasan Jakarta Timur pada Selasa malam.",
        "Bernama lengkap Budi Santoso, pria itu diduga terlibat dalam kasus penipuan yang merugikan banyak warga.",
    )
    assert tag(doc) == Attribution()


def test_teaser_lines_for_other_stories_credit_nothing():
    doc = make_doc(
        ("title", "Council approves bus network expansion"),
        ("byline", "By Jane Smith, Staff Writer"),
        *PARAGRAPHS,
        "Read more: Oil prices fall as OPEC weighs deeper cuts (Reuters)",
        "Related: WASHINGTON (AP) — Senate passes drought relief bill",
    )
    assert tag(doc) == Attribution()


def test_bylines_in_a_list_of_other_stories_after_the_article_credit_nothing():
    teasers = []
    for headline in (
        "Russia: Israeli strikes on Syria wrong move",
        "China condemns US Senate measure on Hong Kong rights",
        "US Senate unanimously passes Hong Kong rights bill",
    ):
        teasers += [headline, "By REUTERS", "11/20/2019 10:08 AM", "Hungary blocks EU statement", "By JPOST STAFF"]
    doc = make_doc(
        ("title", "Council approves bus network expansion"),
        ("byline", "By JERUSALEM POST STAFF"),
        *PARAGRAPHS,
        *teasers,
    )
    assert tag(doc).credited == []


def test_teaser_byline_after_a_headline_below_the_article_credits_nothing():
    doc = make_doc(
        *PARAGRAPHS,
        "Shapovalov, Pospisil give Canada a pair of upsets over Italy at Davis Cup",
        "Canadian Press",
        "Argentina comfortably wins Davis Cup opener",
    )
    assert tag(doc).credited == []


def test_unnamed_agency_credits_name_no_agency():
    doc = make_doc(
        ("title", "Two US soldiers killed in Afghanistan"),
        ("byline", "Detroit News wire services"),
        *PARAGRAPHS,
        ("credit", "SOURCE: News agencies"),
        ("credit", "Agencies contributed to this report."),
    )
    assert tag(doc) == Attribution()


def test_agency_site_footer_through_the_normaliser_names_no_agency():
    raw = "\n\n".join(
        [
            "Council approves bus network expansion",
            *PARAGRAPHS,
            "Discover Thomson Reuters\nDirectory of sites\nLogin\nContact\nSupport",
            "Our Standards: The Thomson Reuters Trust Principles.",
        ]
    )
    assert tag(normalise(raw)).credited == []


@pytest.mark.parametrize(
    "sentence",
    [
        "A Reuters/Ipsos poll released on Wednesday showed that 60% of voters backed the plan.",
        "An Ipsos/Reuters poll released on Wednesday showed that 60% of voters backed the plan.",
    ],
)
def test_poll_the_agency_commissioned_cites_it_and_shows_no_picture(sentence):
    result = tag(normalise("\n".join(["Council approves bus network expansion", *PARAGRAPHS[:2], sentence])))
    assert (result.credited, result.cited, result.photo) == ([], ["Reuters"], [])


def test_menu_of_agency_feeds_under_the_headline_credits_nothing():
    raw = "\n".join(
        [
            "Council approves bus network expansion",
            "Home",
            "World",
            "AP News",
            "Reuters",
            "AFP",
            "Business",
            *PARAGRAPHS,
        ]
    )
    doc = normalise(raw)
    assert doc.body.split("\n\n") == list(PARAGRAPHS)
    assert tag(doc) == Attribution()


def test_agency_name_alone_under_the_headline_is_still_a_byline():
    raw = "\n".join(["Council approves bus network expansion", "Associated Press", "Home", *PARAGRAPHS])
    assert tag(normalise(raw)).credited == ["AP"]


def test_agency_photographer_in_the_text_is_a_source_not_a_picture_credit():
    sentence = "A Reuters photographer was injured when police cleared the square on Tuesday evening, witnesses said."
    result = tag(with_sentence(sentence))
    assert (result.credited, result.cited, result.photo) == ([], ["Reuters"], [])
