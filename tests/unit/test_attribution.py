"""The attribution tagger on English news: credited, cited and photo roles, with their evidence.

Most documents here are built by hand with the block kinds a normaliser gives, to pin the tagger
alone; a few go through `normalise()` on realistic page text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from wirestream.core import normalise, tag
from wirestream.core.document import NormalisedText
from wirestream.schemas.attribution import Attribution, Evidence

from .documents import Part, evidence, make_doc, roles

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# Running text of an article: long enough that the tagger can tell where the article's prose is.
PARAGRAPHS = (
    "The Senate voted 61-39 on Tuesday to approve the measure, sending it to the House, where leaders "
    "said they expected a vote before the end of the month despite objections from several committees.",
    "Supporters said the bill would speed up the delivery of aid to farmers hit by two years of drought, "
    "while critics argued that it did too little to address the underlying causes of the crisis.",
    "The White House has said the president would sign the bill in its current form, although officials "
    "declined to say whether he would seek changes to the spending provisions at a later stage.",
    "Lawmakers from both parties said they would continue talks on a broader package in the new year, "
    "after a series of hearings on water management that is scheduled to begin in January.",
)


def article(*, head: tuple[Part, ...] = (), first: str | None = None, tail: tuple[Part, ...] = ()) -> NormalisedText:
    """A headline, `head` lines, the body (opened by `first` if given), then `tail` lines."""
    body = ((first,) if first else ()) + PARAGRAPHS
    return make_doc(("title", "Senate passes drought relief bill"), *head, *body, *tail)


# --- credited -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "code", "dateline"),
    [
        (
            "WASHINGTON (Reuters) - The U.S. Senate on Tuesday approved a drought relief bill.",
            "Reuters",
            "WASHINGTON (Reuters) -",
        ),
        (
            "WASHINGTON, June 11 (Reuters) - The U.S. Senate approved a drought relief bill.",
            "Reuters",
            "WASHINGTON, June 11 (Reuters) -",
        ),
        (
            "HAYWARD, Calif. (AP) — A man was stabbed to death on a commuter train on Tuesday.",
            "AP",
            "HAYWARD, Calif. (AP) —",
        ),
        ("(AP) — A man was stabbed to death on a San Francisco Bay Area commuter train.", "AP", "(AP) —"),
        ("PARIS (AFP) - France's parliament approved the pension reform late on Tuesday.", "AFP", "PARIS (AFP) -"),
        (
            "BEIJING, Nov. 20 (Xinhua) -- China's central bank cut a key lending rate on Wednesday.",
            "Xinhua",
            "BEIJING, Nov. 20 (Xinhua) --",
        ),
        (
            "SEOUL, Nov. 20 (Yonhap) -- North Korea fired two short-range missiles on Wednesday.",
            "Yonhap",
            "SEOUL, Nov. 20 (Yonhap) --",
        ),
        (
            "New Delhi [India], Nov 20 (ANI): The Union Cabinet on Wednesday approved the bill.",
            "ANI",
            "New Delhi [India], Nov 20 (ANI):",
        ),
        (
            "NEW DELHI, Nov 20 (PTI) The Supreme Court on Wednesday refused to stay the order.",
            "PTI",
            "NEW DELHI, Nov 20 (PTI)",
        ),
        ("ANKARA (AA) - Turkey's parliament approved the 2020 budget on Wednesday evening.", "AA", "ANKARA (AA) -"),
        (
            "MOSCOW, November 20. /TASS/. Russia's government approved the draft budget on Wednesday.",
            "TASS",
            "MOSCOW, November 20. /TASS/.",
        ),
        (
            "OTTAWA (CP) — The federal government tabled its long-awaited climate bill on Wednesday.",
            "CP",
            "OTTAWA (CP) —",
        ),
        (
            "(Bloomberg) -- Oil rose for a third day as traders weighed the prospects of a trade deal.",
            "Bloomberg",
            "(Bloomberg) --",
        ),
    ],
)
def test_dateline_credits_the_agency(first, code, dateline):
    result = tag(article(first=first))
    assert result.credited == [code]
    assert result.is_wire_copy
    assert ("dateline", dateline) in evidence(result, code)


@pytest.mark.parametrize(
    ("head", "code"),
    [
        ((("byline", "By Jane Doe, Associated Press"),), "AP"),
        ((("byline", "By AFP"),), "AFP"),
        ((("byline", "By Jane Doe | AFP"),), "AFP"),
        ((("byline", "By REUTERS"), ("body", "Nov. 20, 2019, 9:28 AM UTC")), "Reuters"),
        (
            (
                ("byline", "Tom Krisher, Ap Auto Writer"),
                ("caption", "Updated 1:39 am EST, Wednesday, November 20, 2019"),
            ),
            "AP",
        ),
        ((("body", "Steve Peoples, AP National Political Writer"),), "AP"),
        ((("byline", "By LISA MASCARO and ERIC TUCKER"), ("body", "Associated Press")), "AP"),
        ((("body", "PTI, Washington,"), ("body", "Nov 20 2019, 10:18am ist")), "PTI"),
        ((("body", "Reuters"), ("body", "Published 11:26 pm EST, Tuesday, November 19, 2019")), "Reuters"),
        ((("body", "The Associated Press"), ("body", "Published Monday, November 18, 2019 8:22AM EST")), "AP"),
        ((("body", "Tom Davies Associated Press"), ("body", "Published 11:34 PM EST Nov 19, 2019")), "AP"),
        ((("body", "Associated Press November 19, 2019, 9:02 AM"),), "AP"),
        ((("body", "- Associated Press - Tuesday, November 19, 2019"),), "AP"),
        ((("body", "PTI | Updated: Nov 20, 2019, 10:18 IST"),), "PTI"),
        ((("body", "Agence France-Presse"), ("body", "Published: 10:00am, 20 Nov, 2019")), "AFP"),
    ],
)
def test_byline_credits_the_agency(head, code):
    result = tag(article(head=head))
    assert result.credited == [code]
    assert [kind for kind, _ in evidence(result, code)] == ["byline"]


@pytest.mark.parametrize(
    ("line", "codes"),
    [
        ("With reporting by AFP, dpa, and Reuters", ["AFP", "Reuters", "dpa"]),
        ("Additional reporting by Reuters", ["Reuters"]),
        ("Includes information from The Associated Press", ["AP"]),
        ("The Associated Press contributed to this report.", ["AP"]),
        ("Material from Reuters and Bloomberg News was used in this report.", ["Bloomberg", "Reuters"]),
        ("Source: AFP", ["AFP"]),
        ("This report by The Canadian Press was first published Nov. 19, 2019.", ["CP"]),
        ("This article was produced by Agence France-Presse.", ["AFP"]),
    ],
)
def test_credit_line_credits_each_agency_it_names(line, codes):
    result = tag(article(tail=(("credit", line),)))
    assert result.credited == codes
    for code in codes:
        assert evidence(result, code) == [("credit_line", line)]


def test_credit_line_is_recognised_in_a_block_taken_for_body():
    result = tag(article(tail=("With reporting by AFP and Reuters",)))
    assert result.credited == ["AFP", "Reuters"]


@pytest.mark.parametrize(
    ("tail", "code", "text"),
    [
        (
            ("(Reporting by Will Dunham; Editing by Tom Brown)",),
            "Reuters",
            "(Reporting by Will Dunham; Editing by Tom Brown)",
        ),
        (
            ("Reporting by David Shepardson; Additional reporting by Ben Klayman; Editing by Leslie Adler",),
            "Reuters",
            "Reporting by David Shepardson; Additional reporting by Ben Klayman; Editing by Leslie Adler",
        ),
        (
            ("Associated Press writers Alan Fram and Zeke Miller contributed to this report.",),
            "AP",
            "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
        ),
        (("(AFP)",), "AFP", "(AFP)"),
        (("Reuters",), "Reuters", "Reuters"),
        (("— The Associated Press",), "AP", "— The Associated Press"),
        (("--IANS",), "IANS", "--IANS"),
        (("PTI SKL RT",), "PTI", "PTI SKL RT"),
        (
            ("To contact the reporter on this story: Jane Doe in London at jdoe@bloomberg.net",),
            "Bloomberg",
            "To contact the reporter on this story: Jane Doe in London at jdoe@bloomberg.net",
        ),
    ],
)
def test_trailer_after_the_text_credits_the_agency(tail, code, text):
    result = tag(article(tail=tail))
    assert result.credited == [code]
    assert ("trailer", text) in evidence(result, code)


def test_bare_sign_off_closing_the_last_paragraph_is_a_trailer():
    last = (
        "On October 18, more than 300 Indians, including one woman, were deported by Mexican immigration "
        "authorities for illegally entering the country to sneak into the US. PTI"
    )
    result = tag(make_doc(*PARAGRAPHS, last, "Download the app", "Privacy policy"))
    assert result.credited == ["PTI"]
    assert evidence(result, "PTI") == [("trailer", "PTI")]


def test_dash_sign_off_closing_the_last_paragraph_is_a_trailer():
    last = (
        "The ministry said the new rules would take effect in January and would apply to all imports "
        "of steel and aluminium from countries outside the customs union. — AFP"
    )
    result = tag(make_doc(*PARAGRAPHS, last))
    assert result.credited == ["AFP"]
    assert evidence(result, "AFP") == [("trailer", "— AFP")]


@pytest.mark.parametrize(
    "line",
    [
        "© 2019 Associated Press. All Rights Reserved. This material may not be published, broadcast, "
        "rewritten or redistributed.",
        "Copyright 2019 The Associated Press. All rights reserved.",
    ],
)
def test_copyright_line_after_the_article_credits_the_agency(line):
    result = tag(article(tail=(("credit", line),)))
    assert result.credited == ["AP"]
    assert evidence(result, "AP") == [("copyright", line)]


# --- cited ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "code", "text"),
    [
        (
            "The company did not respond to requests for comment, a spokesman told Reuters on Friday.",
            "Reuters",
            "told Reuters",
        ),
        ("According to AFP, one user on Weibo had posted a photograph of the two patients.", "AFP", "According to AFP"),
        (
            "The prime minister was quoted by the state news agency INA as saying the vote was binding.",
            "INA",
            "quoted by the state news agency INA",
        ),
        (
            "Shares are likely to be priced at the top of the range, Reuters reported, citing two sources.",
            "Reuters",
            "Reuters reported",
        ),
        (
            "Bloomberg News reported on Friday that the regulator had opened an inquiry.",
            "Bloomberg",
            "Bloomberg News reported",
        ),
        (
            "A man in Inner Mongolia ate a wild rabbit, according to the state-run Xinhua News Agency.",
            "Xinhua",
            "according to the state-run Xinhua News Agency",
        ),
        (
            "His attorney said in an email to The Associated Press that he never intended to harm anyone.",
            "AP",
            "email to The Associated Press",
        ),
        ("An AFP reporter at the scene saw at least four bodies near the market.", "AFP", "AFP reporter"),
        (
            "The agreement was first reported by Kyodo News, citing government sources.",
            "Kyodo",
            "reported by Kyodo News",
        ),
        (
            "A similarly fresh Reuters poll puts support for removal at 44 percent of Americans.",
            "Reuters",
            "Reuters poll",
        ),
        ("In a video seen by Reuters, soldiers can be heard shouting at the crowd.", "Reuters", "seen by Reuters"),
        ("The White House press pool reporter told AFP the meeting lasted an hour.", "AFP", "told AFP"),
    ],
)
def test_source_in_the_text_is_cited(sentence, code, text):
    result = tag(make_doc(PARAGRAPHS[0], sentence, *PARAGRAPHS[1:]))
    assert roles(result) == ([], [code], [])
    assert evidence(result, code)[0] == ("source", text)


@pytest.mark.parametrize(
    "sentence",
    [
        "By Reuters' count, at least 42 people have died since the protests began.",
        "By the time Reuters reporters arrived, the crowd had dispersed.",
        "Reuters Editor-in-Chief Stephen Adler said the agency would appeal.",
    ],
)
def test_short_sentence_is_no_byline(sentence):
    assert tag(article(head=(sentence,))).credited == []


def test_source_label_under_a_chart_before_the_text_credits_the_graphic():
    result = tag(
        make_doc(
            ("title", "Senate passes drought relief bill"),
            "Rainfall by state, 2017-2019",
            "Source: Reuters",
            *PARAGRAPHS,
        )
    )
    assert roles(result) == ([], [], ["Reuters"])


def test_source_in_the_standfirst_is_cited():
    standfirst = ("standfirst", "A similarly fresh Reuters survey shows support for the bill falling among farmers.")
    result = tag(make_doc(("title", "Senate passes drought relief bill"), standfirst, *PARAGRAPHS))
    assert roles(result) == ([], ["Reuters"], [])


def test_linked_source_in_a_round_up_is_cited():
    round_up = "Why Can’t Taylor Swift Perform Her Own Songs? It’s Complicated [ Bloomberg ]"
    result = tag(make_doc(PARAGRAPHS[0], round_up))
    assert roles(result) == ([], ["Bloomberg"], [])


# --- photo ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "code"),
    [
        (("caption", "President Donald Trump speaks in the Oval Office. (AP Photo/Evan Vucci)"), "AP"),
        (("caption", "Protesters march in Hong Kong on Sunday. Photograph: AFP via Getty Images"), "AFP"),
        ("Traders work on the floor at the New York Stock Exchange. REUTERS/Brendan McDermid", "Reuters"),
        ("Photo: Damian Dovarganes, AP", "AP"),
        ("Image copyright Reuters", "Reuters"),
        ("Palestinians pledged new measures to oppose it. Jaafar ASHTIYEH / AFP", "AFP"),
        ("(Reed Saxon / Associated Press)", "AP"),
        ("An MSC cargo ship leaves PortMiami, on Aug. 31, 2019. (AP)", "AP"),
        ("Natalie Naccache | Bloomberg | Getty Images", "Bloomberg"),
        ("New York State Sex Offender Registry via AP", "AP"),
        ("A pump jack in Midland, Texas, on Monday. Photo: Nick Oxford | AP", "AP"),
        ("(Photo Credit : PTI File Photo )", "PTI"),
        ("[File: Reuters]", "Reuters"),
    ],
)
def test_photo_credit_before_the_text_is_a_photo_role(part, code):
    result = tag(make_doc(("title", "Senate passes drought relief bill"), part, *PARAGRAPHS))
    assert roles(result) == ([], [], [code])
    assert [kind for kind, _ in evidence(result, code)] == ["photo_credit"]


def test_photographer_line_under_a_caption_is_a_photo_credit_not_a_byline():
    result = tag(
        make_doc(
            ("title", "Eastern Michigan routs Northern Illinois"),
            ("byline", "Detroit News wire services"),
            ("caption", "Eastern Michigan quarterback Mike Glass III"),
            ("byline", "Al Goldis, Associated Press"),
            *PARAGRAPHS,
        )
    )
    assert roles(result) == ([], [], ["AP"])


def test_photographer_line_under_the_headline_is_not_a_byline():
    result = tag(
        make_doc(("title", "Senate passes drought relief bill"), "Patrick Semansky, ASSOCIATED PRESS", *PARAGRAPHS)
    )
    assert roles(result) == ([], [], ["AP"])


def test_credit_phrase_in_a_block_taken_for_a_caption_still_credits():
    result = tag(article(tail=(("caption", "With reporting by Reuters"),)))
    assert roles(result) == (["Reuters"], [], [])


def test_agency_copyright_on_a_picture_inside_the_article_is_a_photo_credit():
    picture = "Protesters in front of the parliament building in Santiago. © AFP 2019 / Martin Bernetti"
    result = tag(make_doc(*PARAGRAPHS[:3], picture, PARAGRAPHS[3]))
    assert roles(result) == ([], [], ["AFP"])


def test_caption_tag_in_the_middle_of_the_article_is_a_photo_credit():
    caption = "Demonstrators gather outside the parliament building in Santiago on Monday. (AP)"
    result = tag(make_doc(*PARAGRAPHS[:2], caption, *PARAGRAPHS[2:]))
    assert roles(result) == ([], [], ["AP"])


# --- precedence and bookkeeping -------------------------------------------------------------------


def test_roles_are_disjoint_with_credited_first_then_cited_then_photo():
    doc = make_doc(
        ("title", "Oil falls on oversupply fears"),
        ("caption", "A pump jack in Midland, Texas. REUTERS/Nick Oxford"),
        ("caption", "A tanker off Fujairah. AFP via Getty Images"),
        "NEW YORK (Reuters) - Oil prices fell on Tuesday as investors worried about a glut of crude.",
        "Russia is unlikely to agree to deeper cuts, two sources told Reuters, while the Saudi energy minister "
        "told AFP that the kingdom was ready to act if needed to support prices in the coming months.",
        *PARAGRAPHS,
    )
    result = tag(doc)
    assert roles(result) == (["Reuters"], ["AFP"], [])
    reuters = next(a for a in result.agencies if a.code == "Reuters")
    assert reuters.role == "credited"
    assert reuters.evidence[0].kind == "dateline"
    assert {e.kind for e in reuters.evidence} == {"dateline", "source", "photo_credit"}


def test_every_evidence_span_indexes_the_text():
    doc = normalise((FIXTURES / "rferl-us-iraq-withdrawal.txt").read_text(encoding="utf-8"))
    result = tag(doc)
    spans = [e for a in result.agencies for e in a.evidence]
    assert spans
    for e in spans:
        assert doc.text[e.start : e.end] == e.text


def test_evidence_span_must_match_its_text():
    with pytest.raises(ValidationError):
        Evidence(kind="source", text="told Reuters", start=10, end=20)


def test_evidence_is_capped_with_the_strongest_first():
    doc = make_doc(
        *[f"{p} A spokesman told Reuters the plan was on track." for p in PARAGRAPHS * 4],
        ("credit", "Additional reporting by Reuters"),
    )
    [reuters] = tag(doc).agencies
    assert len(reuters.evidence) == 10
    assert reuters.evidence[0].kind == "credit_line"
    assert [e.kind for e in reuters.evidence[1:]] == ["source"] * 9


def test_no_agency_gives_an_empty_attribution():
    result = tag(make_doc(("title", "Senate passes drought relief bill"), *PARAGRAPHS))
    assert result == Attribution()


def test_empty_document():
    assert tag(NormalisedText(text="")) == Attribution()


def test_lists_are_sorted_codes():
    result = tag(article(tail=(("credit", "With reporting by Reuters, AFP, Xinhua and dpa"),)))
    assert result.credited == ["AFP", "Reuters", "Xinhua", "dpa"]
    assert [a.code for a in result.agencies] == ["AFP", "Reuters", "Xinhua", "dpa"]
    assert [a.name for a in result.agencies] == [
        "Agence France-Presse",
        "Reuters",
        "Xinhua News Agency",
        "Deutsche Presse-Agentur",
    ]


# --- the shared fixture, through the normaliser ---------------------------------------------------


def test_rferl_fixture_credits_afp_dpa_reuters_and_cites_ina():
    doc = normalise((FIXTURES / "rferl-us-iraq-withdrawal.txt").read_text(encoding="utf-8"))
    result = tag(doc)
    assert roles(result) == (["AFP", "Reuters", "dpa"], ["INA"], [])
    for code in ("AFP", "Reuters", "dpa"):
        assert evidence(result, code) == [("credit_line", "With reporting by AFP, dpa, and Reuters")]
    [(kind, text)] = evidence(result, "INA")
    assert kind == "source"
    assert "quoted by the state news agency INA" in text


def test_realistic_page_through_the_normaliser():
    raw = "\n\n".join(
        [
            "Home\nWorld\nBusiness\nSport",
            "Germany's parliament approves new defence budget",
            "By Jane Doe, Associated Press",
            "BERLIN (AP) — Germany's parliament on Tuesday approved a defence budget that lawmakers said would bring "
            "the country closer to NATO's spending target, after a debate that lasted late into the night.",
            "The budget passed with the votes of the governing coalition, while opposition parties criticised the "
            "plan as too vague about how the money would be spent on new equipment for the armed forces.",
            "According to Reuters, the government also plans to buy new transport helicopters, a project that has "
            "been delayed several times since 2017 because of disputes over the cost.",
            "Associated Press writer Geir Moulson in Berlin contributed to this report.",
            "Most read\nShare this article\nPrivacy policy",
        ]
    )
    result = tag(normalise(raw))
    assert roles(result) == (["AP"], ["Reuters"], [])


# --- purity ---------------------------------------------------------------------------------------


def test_the_tagger_imports_no_messaging_or_settings_code():
    code = (
        "import sys, wirestream.core.attribution\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'faust', 'aiokafka', 'kafka', 'mode', 'pydantic_settings', 'wirestream.worker'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
