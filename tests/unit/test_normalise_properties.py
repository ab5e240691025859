"""Properties of the normaliser on any text: it never raises, it is deterministic, and
normalising its own output changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wirestream.core import NormalisedText, normalise

# Every code point but surrogates, so control characters, right-to-left scripts and emoji too.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)

# Lines of the kinds a page holds, to reach the paths random text rarely does.
PAGE_LINES = st.sampled_from(
    [
        "Home",
        "News",
        "Share",
        "Tweet",
        "Most Read",
        "Related",
        "Comments",
        "12 Comments",
        "Advertisement",
        "Mehr zum Thema",
        "Artikel teilen",
        "XS",
        "By",
        "Jane Doe",
        "By JANE DOE Associated Press",
        "Von Max Mustermann, dpa",
        "Nov. 19, 2019 8:03 am ET",
        "Associated Press",
        "The Associated Press",
        "Tom Davies Associated Press",
        "Reuters, Washington,",
        "Associated Press November 19, 2019, 9:02 AM",
        "Published 11:26 pm EST, Tuesday, November 19, 2019",
        "dpa",
        "WikiLeaks founder Julian Assange (AFP)",
        "The logo is displayed outside of an office in New York. Reuters",
        "Fire in Berlin. Two people were hurt. (dpa)",
        "Breaking: markets fall",
        "Markets slide as rates rise",
        "Is this the end of cheap money?",
        "What happens next",
        "Protesters march in the city on Sunday. (AP Photo/Jane Doe)",
        "US troops stand to attention in front of the flags. May 15, 2020",
        "Photo: Jane Doe, AP",
        "BERLIN (Reuters) - German factory orders fell more than expected in October, data showed on Tuesday.",
        "Hamburg (dpa) - Der Hafen meldet für das dritte Quartal deutlich weniger Container als im Vorjahr.",
        "The vote was 74-20. Lawmakers said they wanted more time to negotiate a budget for the full year.",
        '"We have a lot of work left to do," the senator said on the floor of the chamber before the vote.',
        "The measure keeps spending at current levels and extends several programs that were set to expire.",
        "According to the statement, the ministry said:",
        "Stocks fell for a third day as investors braced for higher borrowing costs.",
        "Storm knocks out power to thousands across the region",
        "Read more: Storm knocks out power to thousands",
        "We use cookies to give you the best experience on our website.",
        "Sign up for our daily newsletter",
        "Reporting by Jane Doe; Editing by John Smith",
        "With reporting by AFP, dpa, and Reuters",
        "(dpa/lno)",
        "PTI",
        "Copyright 2024 The Associated Press. All rights reserved. This material may not be published.",
        "© 2024 Example Media Group. All rights reserved.",
        "Privacy Policy | Terms of Use",
        "bikefan88 says:",
        "",
        "   ",
    ]
)
PAGES = st.lists(st.one_of(PAGE_LINES, ANY_TEXT), max_size=40).map("\n".join)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def shape(doc: NormalisedText) -> tuple[str, list[str]]:
    return doc.text, [b.kind for b in doc.blocks]


@SETTINGS
@given(ANY_TEXT)
def test_any_text_gives_a_consistent_document(raw: str) -> None:
    check(normalise(raw))


@SETTINGS
@given(PAGES)
def test_any_page_gives_a_consistent_document(raw: str) -> None:
    check(normalise(raw))


@SETTINGS
@given(ANY_TEXT)
def test_normalising_twice_changes_nothing_on_any_text(raw: str) -> None:
    once = normalise(raw)
    assert shape(normalise(once.text)) == shape(once)


@SETTINGS
@given(PAGES)
# Agency names alone under a headline, one of them next to a section heading that the first pass removes.
@example(
    "News\nAssociated Press\nPTI\nMost Read\ndpa\nBy JANE DOE Associated Press\nIs this the end of cheap money?\n"
    "Reporting by Jane Doe; Editing by John Smith"
)
def test_normalising_twice_changes_nothing_on_pages(raw: str) -> None:
    once = normalise(raw)
    twice = normalise(once.text)
    assert shape(twice) == shape(once)
    assert (twice.language, twice.dateline_place, twice.dateline_date) == (
        once.language,
        once.dateline_place,
        once.dateline_date,
    )


@SETTINGS
@given(PAGES)
def test_deterministic(raw: str) -> None:
    assert normalise(raw) == normalise(raw)


def check(doc: NormalisedText) -> None:
    text = doc.text
    outer = [b for b in doc.blocks if b.kind != "dateline"]
    assert "\n\n".join(text[b.start : b.end] for b in outer) == text
    for block in outer:
        piece = text[block.start : block.end]
        assert piece and piece == piece.strip() and "\n" not in piece
    for block in doc.blocks:
        if block.kind == "dateline":
            assert any(b.kind == "body" and b.start <= block.start < block.end <= b.end for b in outer)
    assert all(n > 0 for n in doc.removed.values())
    assert not any(0 < ord(c) < 32 and c != "\n" for c in text.replace("\t", ""))
