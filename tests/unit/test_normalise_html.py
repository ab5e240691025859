"""HTML pages: the extractor picks the article, the text pipeline cleans and labels it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wirestream.core import NormalisedText, normalise, normalise_html

PARAGRAPHS = [
    "BERLIN (Reuters) - German factory orders fell more than expected in October, data from the statistics"
    " office showed on Tuesday, adding to signs that Europe's largest economy is struggling to recover.",
    "Orders fell 1.5% on the month, the office said, against a forecast of a 0.2% rise in a Reuters poll of"
    " analysts. Demand from abroad fell the most, while domestic orders were flat.",
    "Economists said weak demand from China and high energy prices continued to weigh on manufacturers,"
    " who account for about a fifth of the country's economic output.",
    "The economy ministry said it expected a moderate recovery next year as inflation eases and interest"
    " rates come down, but warned that the outlook remained uncertain.",
]

PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>German factory orders fall more than expected | Example News</title></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/markets">Markets</a></li></ul></nav></header>
<main><article>
<h1>German factory orders fall more than expected</h1>
<p class="byline">By Jane Doe</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
<p>Reporting by Jane Doe; Editing by John Smith</p>
</article>
<aside><h2>Most Read</h2><ul><li><a href="/a">Storm knocks out power to thousands</a></li>
<li><a href="/b">Local team wins championship in overtime</a></li></ul></aside>
</main>
<footer><p>&copy; 2024 Example News. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>"""


def test_html_page_gives_the_article() -> None:
    doc = normalise_html(PAGE)
    assert doc.title == "German factory orders fall more than expected"
    assert doc.body.split("\n\n") == PARAGRAPHS
    assert doc.dateline == "BERLIN (Reuters) -"
    assert doc.texts("credit") == ["Reporting by Jane Doe; Editing by John Smith"]
    assert doc.language == "en"
    for gone in ("Most Read", "Storm knocks", "Privacy", "Home"):
        assert gone not in doc.text


def test_html_result_is_a_fixed_point_of_the_text_path() -> None:
    doc = normalise_html(PAGE)
    again = normalise(doc.text)
    assert again.text == doc.text
    assert [b.kind for b in again.blocks] == [b.kind for b in doc.blocks]


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<html></html>", "no markup at all", "<p>short</p>", "<<<>>>", "<html><body>\x00\x01</body></html>"],
)
def test_pages_without_an_article_give_an_empty_document(html: str) -> None:
    doc = normalise_html(html)
    assert doc.body == ""


@settings(max_examples=100, deadline=None)
@given(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=300).map(
        lambda s: f"<html><body><p>{s}</p></body></html>"
    )
)
def test_any_markup_gives_a_document(html: str) -> None:
    assert_is_a_document(normalise_html(html))


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_any_text_as_html_gives_a_document(html: str) -> None:
    assert_is_a_document(normalise_html(html))


def assert_is_a_document(doc: NormalisedText) -> None:
    """The contract of `NormalisedText`: the blocks (datelines aside, which lie inside the body
    block they open) are the text, in order, each a non-empty span of it."""
    assert isinstance(doc, NormalisedText)
    assert "\n\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.kind != "dateline") == doc.text
    assert all(0 <= b.start < b.end <= len(doc.text) for b in doc.blocks), doc.blocks
    assert doc.language is None or len(doc.language) == 2, doc.language
    assert all(n > 0 for n in doc.removed.values()), doc.removed


_PAGE = "<html><head><title>Headline</title></head><body><p>x</p></body></html>"


def test_a_short_precise_extraction_gets_a_second_look_with_the_balanced_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wirestream.core import html

    long_text = "A paragraph of the article that the precise setting cut off. " * 40
    calls: list[dict[str, object]] = []

    def fake_extract(page: object, **options: object) -> str:
        calls.append(options)
        return "Only the first line." if options.get("favor_precision") else long_text.strip()

    monkeypatch.setattr(html, "_extract", fake_extract)
    assert html.html_to_text(_PAGE) == "Headline\n\n" + long_text.strip()
    assert calls == [{"favor_precision": True}, {}]


def test_a_precise_extraction_of_1_200_characters_gets_a_second_look(monkeypatch: pytest.MonkeyPatch) -> None:
    # An article cut after its first paragraphs (a page of 7,000 characters kept at 1,083).
    from wirestream.core import html

    short, whole = "A sentence of the article. " * 45, "A sentence of the article. " * 260
    monkeypatch.setattr(html, "_extract", lambda page, **options: (short if options else whole).strip())
    assert html.html_to_text(_PAGE) == "Headline\n\n" + whole.strip()


def test_a_long_precise_extraction_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirestream.core import html

    text = "A paragraph of the article. " * 60

    def fake_extract(page: object, **options: object) -> str:
        assert options.get("favor_precision"), "no second extraction for a long text"
        return text.strip()

    monkeypatch.setattr(html, "_extract", fake_extract)
    assert html.html_to_text(_PAGE) == "Headline\n\n" + text.strip()


def test_the_extractor_reads_the_page_without_the_subtrees_that_hold_no_article_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # head, scripts, styles, noscript and inline icons are dropped before the extraction (its own
    # cleaning drops them too, after costlier passes); text that follows them stays. The second
    # look reads the same tree, not a second parse of the page.
    from wirestream.core import html

    page = (
        "<html><head><title>Bus lanes</title><style>p {color: red}</style></head><body><article>"
        "<script>var tracker = 1;</script><noscript>Turn on JavaScript</noscript>"
        "<p>The council voted <svg><title>Share icon</title><path d='M0'/></svg>on Monday.</p>"
        "</article></body></html>"
    )
    seen: list[object] = []

    def fake_extract(tree: object, **options: object) -> str:
        seen.append(tree)
        return "short"

    monkeypatch.setattr(html, "_extract", fake_extract)
    html.html_to_text(page)
    assert len(seen) == 2 and seen[0] is seen[1]
    tree = seen[0]
    assert [el.tag for el in tree.iter("head", "script", "style", "noscript", "svg")] == []
    assert " ".join(tree.text_content().split()) == "The council voted on Monday."


def test_an_inline_icon_inside_a_paragraph_leaves_the_paragraph_whole() -> None:
    from wirestream.core.html import html_to_text

    sentence = "The council voted on Monday to build new bus lanes on road {n}, one of the busiest."
    paragraphs = [
        f"<p>{sentence.format(n=n)} <svg viewBox='0 0 8 8'><title>Share</title></svg>{sentence.format(n=n + 10)}</p>"
        for n in range(10)
    ]
    page = "<html><body><article><h1>Bus lanes</h1>" + "".join(paragraphs) + "</article></body></html>"
    text = html_to_text(page)
    assert "Share" not in text
    assert all(f"{sentence.format(n=n)} {sentence.format(n=n + 10)}" in text for n in range(10))


def test_the_headline_comes_from_the_page_metadata() -> None:
    from wirestream.core.html import html_to_text

    paragraph = "<p>The council voted on Monday to build new bus lanes on three of the busiest roads.</p>"
    page = (
        '<html><head><title>Bus lanes approved | The Post</title><meta property="og:title" '
        'content="Council approves bus lanes"></head><body><article>' + paragraph * 12 + "</article></body></html>"
    )
    assert html_to_text(page).split("\n")[0] == "Council approves bus lanes"


def _parts_page(
    parts: list[str], *, between: str = "<div class='ad'>Advertisement</div>", wrap: str = "article"
) -> str:
    # Each part in a layout cell of its own, as the publishing systems that split a body do.
    body = between.join(
        f"<div class='grid'><div class='body body__container article__body'>{part}</div></div>" for part in parts
    )
    return f"<html><body><{wrap}><h1>Sea ice</h1>{body}</{wrap}><footer>Contact us</footer></body></html>"


def _paragraphs(first: int, last: int) -> str:
    return "".join(
        f"<p>Paragraph {n} of the report on the sea ice, with enough words in it to count as article text.</p>"
        for n in range(first, last)
    )


def test_an_article_body_split_into_parts_is_read_whole() -> None:
    # Publishing systems that put advertisements between parts of the text repeat the body
    # container once per part; the extractor alone keeps only the first part.
    from wirestream.core.html import html_to_text

    text = html_to_text(_parts_page([_paragraphs(0, 30), _paragraphs(30, 60), _paragraphs(60, 90)]))
    found = [n for n in range(90) if f"Paragraph {n} of the report" in text]
    assert found == list(range(90))
    assert "Advertisement" not in text.split("Paragraph 89")[0], "the parts are read in order, without what was between"


def test_body_parts_are_joined_into_the_first_keeping_the_text_around_them() -> None:
    import lxml.html

    from wirestream.core.html import join_body_parts

    tree = lxml.html.document_fromstring(_parts_page(["<p>one</p>", "lead <p>two</p>"], between=" tail "))
    join_body_parts(tree)
    parts = tree.find_class("article__body")
    assert len(parts) == 2 and parts[1].getparent() is parts[0]
    assert [len(cell) for cell in tree.find_class("grid")] == [1, 0]
    assert tree.text_content() == "Sea iceonelead two tail Contact us"


def test_body_parts_stay_apart_outside_an_article_when_repeated_or_holding_another_headline() -> None:
    import lxml.html

    from wirestream.core.html import join_body_parts

    def joined(page: str) -> bool:
        tree = lxml.html.document_fromstring(page)
        join_body_parts(tree)
        return any(part.getparent().get("class") == part.get("class") for part in tree.find_class("article__body"))

    assert joined(_parts_page(["<p>one</p>", "<p>two</p>"]))
    assert not joined(_parts_page(["<p>one</p>", "<p>two</p>"], wrap="div")), "no <article> around the parts"
    assert not joined(_parts_page(["<p>one</p>", "<p>one</p>"])), "a copy of a part for another layout"
    assert not joined(_parts_page(["<p>one</p>", "<h1>Next story</h1><p>two</p>"])), "another article"
