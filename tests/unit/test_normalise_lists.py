"""Lists inside the text (issue 14, item 3): a short list does not end the article."""

from __future__ import annotations

from wirestream.core import normalise, tag

FLOOD_STORY = """\
Floods sweep the north

LONDON, May 3 (Reuters) - Floods swept through the north of the country on Monday, cutting off dozens \
of villages and forcing thousands from their homes.

The worst-hit towns:

Alston

Brampton

Hexham

Kendal

Keswick

Penrith

Rescue teams worked through the night to reach stranded residents, officials said.

The Environment Agency said more rain was expected later in the week and urged people to stay away from rivers.

Reporting by Jane Doe; Editing by John Smith
"""


def test_sentences_and_sign_off_after_a_short_list_are_kept() -> None:
    doc = normalise(FLOOD_STORY)
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0].startswith("LONDON, May 3 (Reuters) - Floods swept")
    assert paragraphs[-2] == "Rescue teams worked through the night to reach stranded residents, officials said."
    assert paragraphs[-1].startswith("The Environment Agency said more rain")
    assert doc.texts("credit") == ["Reporting by Jane Doe; Editing by John Smith"]


def test_the_list_and_its_introducing_line_are_body() -> None:
    paragraphs = normalise(FLOOD_STORY).body.split("\n\n")
    assert paragraphs[1:8] == ["The worst-hit towns:", "Alston", "Brampton", "Hexham", "Kendal", "Keswick", "Penrith"]


def test_the_reuters_sign_off_after_a_list_is_credited() -> None:
    attribution = tag(normalise(FLOOD_STORY))
    assert attribution.credited == ["Reuters"]
    kinds = {e.kind for a in attribution.agencies for e in a.evidence}
    assert "trailer" in kinds


def test_a_text_of_short_sentences_keeps_its_credit_line() -> None:
    raw = "\n\n".join(f"Line {i}." for i in range(5000)) + "\n\nWith reporting by Reuters\n"
    doc = normalise(raw)
    assert doc.body.startswith("Line 0.\n\nLine 1.")
    assert doc.body.endswith("Line 4999.")
    assert doc.language == "en"
    assert doc.texts("credit") == ["With reporting by Reuters"]
    assert tag(doc).credited == ["Reuters"]


def test_a_german_list_after_a_colon_does_not_cut_the_article() -> None:
    doc = normalise(
        "Unwetter im Süden\n"
        "München (dpa) - Heftige Gewitter haben in der Nacht zum Montag in Teilen Bayerns große Schäden angerichtet.\n"
        "Besonders betroffen waren:\n"
        "Rosenheim\n"
        "Traunstein\n"
        "Miesbach\n"
        "Die Feuerwehr rückte nach Angaben der Polizei zu mehr als 300 Einsätzen aus, verletzt wurde niemand.\n"
    )
    assert doc.body.split("\n")[-1] == (
        "Die Feuerwehr rückte nach Angaben der Polizei zu mehr als 300 Einsätzen aus, verletzt wurde niemand."
    )


def test_a_box_of_labels_and_values_after_the_text_is_no_list() -> None:
    # An imprint under the article: labels ending in a colon, each over a short value.
    doc = normalise(
        "Storm closes schools\n"
        "Schools across the county stayed closed on Tuesday after a storm brought down trees and power lines.\n"
        "Officials said most classes would resume on Wednesday once roads had been cleared.\n"
        "Editor in chief:\n"
        "Jane Roe\n"
        "Managing editor:\n"
        "John Poe\n"
        "Tips:\n"
        "tips@example.com\n"
        "The content of external websites linked from this page is the responsibility of their owners, "
        "and copying material from this site requires written permission.\n"
    )
    assert "Jane Roe" not in doc.body
    assert doc.body.endswith("once roads had been cleared.")


def test_a_colon_over_a_teaser_with_author_and_date_is_no_list() -> None:
    summary = "Lawmakers are still waiting for the hearings to deliver, and the case is closer than it looks:"
    doc = normalise(
        "Council backs new bus lanes\n"
        "The city council voted on Monday to build new bus lanes on three of the busiest roads in the centre.\n"
        "The first lanes are expected to open next spring, the council said in a statement after the vote.\n"
        f"{summary}\n"
        "Hearings go on next week\n"
        "Jane Roe\n"
        "Tuesday November 19, 2019\n"
        "Only one witness has emerged as credible, aides said.\n"
    )
    assert "Hearings go on next week" not in doc.body
    assert doc.body.endswith(summary)
