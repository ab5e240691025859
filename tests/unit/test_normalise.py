"""The normaliser on whole pages: what is kept, as what, and what is removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.core import NormalisedText, normalise, tag

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

AP_PAGE = """\
Senate passes stopgap spending bill to avert shutdown | Example Tribune
Skip to content
Subscribe
Sign In
Home
News
Politics
World
Business
Sports
Opinion
Share
Tweet
Email
Senate passes stopgap spending bill to avert shutdown
By JANE DOE Associated Press
November 19, 2024, 9:02 AM
Senate Majority Leader John Roe speaks to reporters at the Capitol in Washington, Tuesday, Nov. 19, 2024. (AP Photo/Sam Smith)
WASHINGTON (AP) — The Senate passed a stopgap spending bill on Tuesday that keeps the government open through mid-December, sending the measure to the president with days to spare.
The vote was 74-20. Lawmakers in both parties said they wanted more time to negotiate a full-year budget without the threat of a shutdown over the holidays.
"We have a lot of work left to do, and this gives us the time to do it," Roe said on the Senate floor before the vote.
Advertisement
The measure keeps spending at current levels and extends several programs that were set to expire at the end of the month, including a farm bill and a flood insurance program.
What happens next
The White House has said the president will sign the bill as soon as it reaches his desk.
Associated Press writer Mary Major contributed to this report.
Copyright 2024 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.
Most Read
Storm knocks out power to thousands across the region
BERLIN (Reuters) - German factory orders fell more than expected in October, data showed
Local team wins championship in overtime thriller
Newsletter
Get the morning's top stories in your inbox.
We use cookies to give you the best experience on our website. By continuing you agree to our use of cookies.
About Us
Contact Us
Privacy Policy | Terms of Use
© 2024 Example Media Group. All rights reserved.
"""

AP_BODY = [
    "WASHINGTON (AP) — The Senate passed a stopgap spending bill on Tuesday that keeps the government open"
    " through mid-December, sending the measure to the president with days to spare.",
    "The vote was 74-20. Lawmakers in both parties said they wanted more time to negotiate a full-year budget"
    " without the threat of a shutdown over the holidays.",
    '"We have a lot of work left to do, and this gives us the time to do it," Roe said on the Senate floor'
    " before the vote.",
    "The measure keeps spending at current levels and extends several programs that were set to expire at the"
    " end of the month, including a farm bill and a flood insurance program.",
    "What happens next",
    "The White House has said the president will sign the bill as soon as it reaches his desk.",
]

DPA_PAGE = """\
Hafen: Containerumschlag in Hamburg bricht ein | NDR.de - Nachrichten
Zum Inhalt springen
Wir verwenden Cookies, um Ihnen ein optimales Angebot zu bieten. Mit der Nutzung der Seite stimmen Sie dem zu.
Alle akzeptieren
Startseite
Nachrichten
Hamburg
Schleswig-Holstein
Niedersachsen
Sport
Wetter
Containerumschlag in Hamburg bricht ein
Stand: 19.11.2024 14:30 Uhr
Artikel teilen
Hamburg (dpa) - Der Containerumschlag im Hamburger Hafen ist in den ersten neun Monaten des Jahres deutlich zurückgegangen. Nach Angaben des Hafenmarketings wurden 5,9 Millionen Standardcontainer bewegt, zehn Prozent weniger als im Vorjahreszeitraum.
Als Gründe nannten die Hafenbetriebe die schwache Konjunktur in Europa und Umwege der Reedereien wegen der Lage im Roten Meer.
Auch der Verkehr mit China, dem wichtigsten Handelspartner des Hafens, ging zurück. Der Wirtschaftssenator zeigte sich dennoch zuversichtlich für das kommende Jahr.
(dpa/lno)
Mehr zum Thema
Elbvertiefung: Neue Messungen geplant
Hafenarbeiter streiken für höhere Löhne
Impressum
Datenschutz
Kontakt
"""

DPA_BODY = [
    "Hamburg (dpa) - Der Containerumschlag im Hamburger Hafen ist in den ersten neun Monaten des Jahres"
    " deutlich zurückgegangen. Nach Angaben des Hafenmarketings wurden 5,9 Millionen Standardcontainer"
    " bewegt, zehn Prozent weniger als im Vorjahreszeitraum.",
    "Als Gründe nannten die Hafenbetriebe die schwache Konjunktur in Europa und Umwege der Reedereien wegen"
    " der Lage im Roten Meer.",
    "Auch der Verkehr mit China, dem wichtigsten Handelspartner des Hafens, ging zurück. Der"
    " Wirtschaftssenator zeigte sich dennoch zuversichtlich für das kommende Jahr.",
]

REUTERS_PAGE = """\
Airline orders 30 jets in Dubai show deal | Business News
Markets
Technology
Sustainability
Airline orders 30 jets in Dubai show deal
Reuters
4 min read
DUBAI, Nov 19 (Reuters) - A Gulf airline ordered 30 wide-body jets on Tuesday, the largest deal of the week at the Dubai Airshow, executives from both companies said.
The order, worth about $9 billion at list prices, replaces part of an earlier commitment for a larger model whose delivery has been delayed.
The airline's chief executive said the new jets would be delivered from 2027 and would be used on routes to Asia and Europe.
Reporting by Jane Doe; Editing by John Smith
Our Standards: The Thomson Reuters Trust Principles.
Read Next
Oil prices rise on supply worries
Exclusive news, data and analytics for financial market professionals
"""

AFP_PAGE = """\
France to ban short domestic flights - The Daily Example
Menu
Search
France to ban short domestic flights
PARIS (AFP) - France will ban domestic flights on routes that can be covered by train in under two and a half hours, the government said on Monday.
The measure, part of a climate law passed last year, affects three routes from Paris Orly airport, officials said.
Airlines said the ban would have little effect on emissions, while environmental groups called it a symbolic first step.
Sign up for our daily newsletter
Enter your email address
Facebook
Twitter
WhatsApp
Copy link
Related Articles
Rail strike disrupts travel across France
New high-speed line opens in the south
"""

COMMENTS_PAGE = """\
City council approves new bike lanes | Example Herald
News
Local
City council approves new bike lanes
By John Roe
The city council voted on Monday to build twelve miles of protected bike lanes over the next three years, after a debate that lasted more than four hours.
Supporters said the lanes would make streets safer for everyone, while some shop owners worried about losing parking in front of their stores.
The first lanes are expected to open next spring on Main Street and River Road, the city's transport department said.
14 Comments
Leave a Reply
bikefan88 says:
November 19, 2024 at 6:34 am
Finally! I have been waiting for this for years and I am so glad the council listened to the people who ride every single day.
motorist42 says:
November 19, 2024 at 7:02 am
This is a waste of money. Nobody rides bikes in the winter, and the shops on Main Street will suffer because people cannot park there anymore.
Privacy Policy
"""


def kinds(doc: NormalisedText) -> list[str]:
    return [b.kind for b in doc.blocks]


def test_ap_page_keeps_article_and_labels_its_parts() -> None:
    doc = normalise(AP_PAGE)
    assert doc.title == "Senate passes stopgap spending bill to avert shutdown"
    assert doc.byline == "By JANE DOE Associated Press"
    assert doc.texts("byline") == ["By JANE DOE Associated Press", "November 19, 2024, 9:02 AM"]
    assert doc.captions == [
        "Senate Majority Leader John Roe speaks to reporters at the Capitol in Washington, Tuesday, Nov. 19,"
        " 2024. (AP Photo/Sam Smith)"
    ]
    assert doc.body.split("\n\n") == AP_BODY
    assert doc.texts("credit") == [
        "Associated Press writer Mary Major contributed to this report.",
        "Copyright 2024 The Associated Press. All rights reserved. This material may not be published,"
        " broadcast, rewritten or redistributed.",
    ]
    assert doc.dateline == "WASHINGTON (AP) —"
    assert doc.dateline_place == "WASHINGTON"
    assert doc.language == "en"


def test_ap_page_removes_teasers_menus_prompts_and_footer() -> None:
    doc = normalise(AP_PAGE)
    for gone in ("(Reuters)", "Most Read", "Skip to content", "Advertisement", "cookies", "inbox", "Privacy"):
        assert gone not in doc.text
    assert "© 2024 Example Media Group" not in doc.text
    assert doc.removed["navigation"] >= 8
    assert doc.removed["advert"] == 1
    assert doc.removed["related"] >= 1
    assert doc.removed["share"] == 3
    assert "metadata" not in doc.removed  # the date under a wire byline stays with it


def test_blocks_are_spans_of_the_text_in_reading_order() -> None:
    doc = normalise(AP_PAGE)
    outer = [b for b in doc.blocks if b.kind != "dateline"]
    assert "\n\n".join(doc.text[b.start : b.end] for b in outer) == doc.text
    assert kinds(doc) == ["title", "byline", "byline", "caption", "body", "dateline"] + ["body"] * 5 + [
        "credit",
        "credit",
    ]
    dateline = next(b for b in doc.blocks if b.kind == "dateline")
    first_body = next(b for b in doc.blocks if b.kind == "body")
    assert first_body.start == dateline.start and dateline.end < first_body.end


def test_german_regional_story_with_dpa_trailer() -> None:
    doc = normalise(DPA_PAGE)
    assert doc.title == "Containerumschlag in Hamburg bricht ein"
    assert doc.body.split("\n\n") == DPA_BODY
    assert doc.texts("credit") == ["(dpa/lno)"]
    assert doc.dateline == "Hamburg (dpa) -"
    assert doc.dateline_place == "Hamburg"
    assert doc.language == "de"
    assert doc.removed["cookie"] == 2  # the banner and its "Alle akzeptieren" button
    assert doc.removed["share"] == 1  # "Artikel teilen"
    assert doc.removed["related"] >= 1  # "Mehr zum Thema" and its teasers
    for gone in ("Cookies", "Elbvertiefung", "Impressum", "Datenschutz", "Stand:"):
        assert gone not in doc.text


def test_reuters_story_with_editing_trailer() -> None:
    doc = normalise(REUTERS_PAGE)
    assert doc.title == "Airline orders 30 jets in Dubai show deal"
    assert doc.texts("credit") == ["Reporting by Jane Doe; Editing by John Smith"]
    assert doc.dateline == "DUBAI, Nov 19 (Reuters) -"
    assert (doc.dateline_place, doc.dateline_date) == ("DUBAI", "Nov 19")
    assert len(doc.body.split("\n\n")) == 3
    assert "Oil prices" not in doc.text


def test_afp_story_drops_newsletter_prompt_share_bar_and_related_list() -> None:
    doc = normalise(AFP_PAGE)
    assert doc.title == "France to ban short domestic flights"
    assert doc.body.split("\n\n")[0].startswith("PARIS (AFP) - France will ban")
    assert len(doc.body.split("\n\n")) == 3
    assert doc.dateline == "PARIS (AFP) -"
    assert doc.removed["newsletter"] == 2
    assert doc.removed["share"] == 4
    for gone in ("Sign up", "WhatsApp", "Rail strike", "Related Articles"):
        assert gone not in doc.text


def test_comment_section_is_not_the_article_even_when_longer() -> None:
    doc = normalise(COMMENTS_PAGE)
    assert doc.byline == "By John Roe"
    assert doc.body.split("\n\n")[0].startswith("The city council voted on Monday")
    assert doc.body.split("\n\n")[-1].startswith("The first lanes are expected")
    assert "waste of money" not in doc.text
    assert doc.removed["comments"] >= 2


def test_rferl_fixture() -> None:
    doc = normalise((FIXTURES / "rferl-us-iraq-withdrawal.txt").read_text(encoding="utf-8"))
    assert doc.title == "US, Iraq Announce Commitment To Continued Withdrawal Of U.S. Forces From Iraq"
    paragraphs = doc.body.split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("The United States pledged to continue a withdrawal")
    assert paragraphs[-1].startswith("They also reaffirmed the importance")
    assert doc.captions == ["US troops stand to attention in front of American and Iraqi (R) flag. May 15, 2020"]
    assert doc.text.count("US troops stand to attention") == 1
    assert doc.texts("credit") == ["With reporting by AFP, dpa, and Reuters"]
    for gone in ("Accessibility links", "Breaking News", "\n\nXS", "\n\nLG"):
        assert gone not in doc.text
    assert doc.removed == {"duplicate": 1, "navigation": 2, "widget": 4}


def test_standfirst_between_headline_and_byline_is_not_body() -> None:
    page = (
        "Markets slide as rates rise\n"
        "Stocks fell for a third day as investors braced for higher borrowing costs.\n"
        "By Jane Doe\n"
        "Nov. 19, 2024 8:03 am ET\n"
        "Stocks fell on Tuesday for the third day in a row, led by technology shares, as traders priced in"
        " another rise in interest rates next month.\n"
        "The benchmark index closed down 1.2 percent, its lowest level since August.\n"
    )
    doc = normalise(page)
    assert kinds(doc) == ["title", "standfirst", "byline", "body", "body"]
    assert doc.texts("standfirst") == ["Stocks fell for a third day as investors braced for higher borrowing costs."]
    assert "8:03" not in doc.text


def test_bare_by_line_joins_the_name_as_bylines() -> None:
    page = (
        "Harvest hit by drought\nBy\nMaria Rossi\n"
        "Farmers across the south expect the smallest wheat harvest in a decade after months without rain.\n"
        "Prices for bread and pasta are likely to rise in the coming weeks, the farmers' association said.\n"
    )
    doc = normalise(page)
    assert doc.texts("byline") == ["By", "Maria Rossi"]


def test_related_box_inside_the_article_is_removed_and_the_article_goes_on() -> None:
    first = "The bridge will close for repairs on Monday, the city said, and is expected to reopen in the spring."
    second = "Drivers are advised to use the ring road, which will have an extra lane during the works."
    third = (
        "Cyclists and pedestrians can still cross on a temporary walkway next to the bridge, which the city"
        " will light at night and clear of snow in the winter months."
    )
    fourth = (
        "The repairs will cost about 12 million euros, paid for by the city and the regional government, and"
        " are the first major works on the bridge since it opened in 1968."
    )
    page = "\n".join(
        ["Bridge to close for repairs", first, second, "Related", "Mayor opens new library", "Tram line delayed"]
        + [third, fourth]
    )
    doc = normalise(page)
    assert doc.body.split("\n\n") == [first, second, third, fourth]
    assert doc.removed["related"] == 3


def test_teasers_with_author_date_and_a_long_summary_stay_out_of_the_article() -> None:
    paragraphs = [
        "The bridge will close for repairs on Monday, the city said, and is expected to reopen in the spring.",
        "Drivers are advised to use the ring road, which will have an extra lane during the works.",
        "The repairs will cost about 12 million euros, paid for by the city and the regional government, and"
        " are the first major works on the bridge since it opened in 1968.",
    ]
    summary = (
        "Various outlets, including Agence France-Presse and Reuters, reported that a United Nations study"
        " showed the number of children held in detention had risen sharply, but the figure the study used"
        " counted children held with their parents and children in migrant shelters, which other countries"
        " do not count at all, and its author has since said the comparison does not hold."
    )
    teasers = []
    for headline, author in [("Report on child detention is bogus", "Jane Roe"), ("Tram line delayed", "John Major")]:
        teasers += [headline, author, "Tuesday November 19, 2024", summary.replace("children", f"{author}'s children")]
    page = "\n".join(["Bridge to close for repairs", *paragraphs, "More from Example Herald", *teasers, "Contact"])
    doc = normalise(page)
    assert doc.body.split("\n\n") == paragraphs
    assert "Various outlets" not in doc.text
    assert tag(doc).agencies == []


def test_teaser_cards_above_the_headline_stay_out_of_a_short_article() -> None:
    # Local TV sites print a mega-menu of teaser cards ("Headline Summary.") above the article.
    cards = [
        "Customers Leave Without Paying $690 Bill At Troy Steakhouse A party of six left a steakhouse without"
        " paying a bill of almost $700 on Friday night, and the owner has asked the public for help.",
        "DNR Seeks Tips About Bull Elk Poached In Northern Michigan Conservation officers are asking for tips"
        " after a bull elk was found shot and left to waste in a field near Vanderbilt this week.",
        "Harvick Fails To Rally Overmatched Ford In NASCAR Finale Ford flopped at the finale of the season,"
        " where the three Toyota drivers in the championship race finished in the first three places.",
    ]
    paragraphs = [
        "ST. JOSEPH, Mich. (AP) — Michigan health authorities are reporting a sixth death linked to Eastern"
        " Equine Encephalitis.",
        "County health officials said Monday the victim was one of two people who contracted the virus.",
    ]
    menu = ["Weather", "Sports", "Lions", "Tigers", "Red Wings", "Pistons"]
    headline = "Michigan Officials: Sixth Death Linked To Eastern Equine Encephalitis"
    page = "\n".join([f"{headline} – CBS Detroit", "News", *cards[:2], *menu, cards[2], headline, *paragraphs])
    doc = normalise(page)
    assert doc.title == headline
    assert doc.body.split("\n\n") == paragraphs
    assert tag(doc).credited == ["AP"]


def test_a_shorter_repeat_of_the_title_inside_the_article_does_not_cut_it() -> None:
    paragraphs = [
        "This spiced pear jam is the easiest preserve I make every autumn, and it keeps for a year in the pantry.",
        "The honey softens the spices, so even people who dislike cloves tend to ask for a second jar of it.",
        "Spiced Honey Pear Jam",
        "Peel and chop the pears, then cook them with the honey and the spices for about forty minutes.",
    ]
    doc = normalise("\n".join(["Spiced Honey Pear Jam Recipe | Example Kitchen", "Home", "Recipes", *paragraphs]))
    assert doc.body.split("\n\n")[:2] == paragraphs[:2]
    assert doc.body.endswith(paragraphs[-1])


def test_header_reaches_back_at_most_25_lines_from_the_article() -> None:
    paragraphs = [
        "The bridge will close for repairs on Monday, the city said, and is expected to reopen in the spring.",
        "Drivers are advised to use the ring road, which will have an extra lane during the works.",
    ]
    menu = [f"Section {n}" for n in range(30)]
    page = "\n".join(
        ["Bridge to close for repairs - Example Times", "Copyright © 2024, Example Times | Terms of Service", *menu]
        + paragraphs
    )
    doc = normalise(page)
    assert doc.title == "Bridge to close for repairs - Example Times"
    assert doc.body.split("\n\n") == paragraphs
    assert "Copyright" not in doc.text


def test_repeated_lines_and_text_size_widget() -> None:
    caption = "Firefighters work at the scene of the fire in the old town on Sunday. Nov 17, 2024"
    first = "A fire destroyed two buildings in the old town on Sunday, but no one was hurt, the fire brigade said."
    second = "The cause of the fire is not yet known. Police said they were questioning witnesses on Monday."
    page = "\n".join(["Fire in old town", caption, caption, first, second, "XS", "SM", "MD", "LG"])
    doc = normalise(page)
    assert doc.captions == [caption]
    assert doc.body.split("\n\n") == [first, second]
    assert doc.removed == {"duplicate": 1, "widget": 4}


def test_short_list_items_may_repeat_inside_the_article() -> None:
    page = "\n".join(
        [
            "Weekly meal plan",
            "This plan is for people who want to eat more regularly and stop snacking late in the evening.",
            "Follow this plan for four weeks and adjust the portions to your own needs and activity level. The"
            " plan has three meals and two snacks a day, and every meal has protein, vegetables and some fat.",
            "Monday",
            "Eat every 2-3 hours",
            "Tuesday",
            "Eat every 2-3 hours",
            "Keep a glass of water with every meal and avoid sugary drinks between the meals of the day. If you"
            " train in the evening, move the second snack to the hour before your workout.",
        ]
    )
    assert normalise(page).body.count("Eat every 2-3 hours") == 2


def test_unicode_is_composed_controls_go_and_mojibake_is_repaired() -> None:
    decomposed = "Cafe\u0301 owners protest the new rules in the city centre."
    doc = normalise(f"Cafe\u0301 news\n{decomposed}\x00\x07\u200b")
    assert doc.body == "Café owners protest the new rules in the city centre."
    clean = "Die Bürger begrüßten die Entscheidung über die neue Straße – „endlich“, sagte der Bürgermeister."
    broken = clean.encode("utf-8").decode("cp1252", errors="replace")
    assert "Ã¼" in broken  # UTF-8 read as Windows-1252
    assert normalise(f"Neue Straße\n{broken}").body == clean


def test_whitespace_and_line_ends_are_normalised() -> None:
    doc = normalise("Title here\r\n  A   sentence\twith\u00a0odd   spacing that is long enough to count.  \r\n")
    assert doc.text == "Title here\n\nA sentence with odd spacing that is long enough to count."


@pytest.mark.parametrize("raw", ["", "   \n\t ", "\x00\x01", "Share\nTweet\nEmail"])
def test_empty_and_furniture_only_inputs_give_an_empty_article(raw: str) -> None:
    doc = normalise(raw)
    assert doc.body == ""
    assert doc.language is None


def test_right_to_left_text_survives() -> None:
    arabic = "قال المسؤولون إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة بمشاركة جميع الأطراف."
    doc = normalise(f"أخبار\n{arabic}")
    assert doc.body == arabic
    assert doc.language == "ar"
