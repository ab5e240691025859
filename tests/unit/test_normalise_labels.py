"""Labels of the page layout repeated over every paragraph ("Article content") are not subheadings."""

from __future__ import annotations

from wirestream.core import normalise

PARAGRAPHS = [
    "The unemployment rate fell to 6.6 per cent in May as 88,000 positions were added to the economy.",
    "Economists said the report eased fears of a recession and pointed to a rebound in the second quarter.",
    "Wage growth slowed as the surge in new jobs eased the earlier tightness in the labour market.",
    "The central bank is expected to keep its key rate on hold when it meets again next week.",
    "Traders now price in one rate rise before the end of the year, up from none a week ago.",
]


def _with_label_before_each(label: str) -> str:
    lines = ["Jobless rate falls as economy adds 88,000 jobs"]
    for paragraph in PARAGRAPHS:
        lines += [label, paragraph]
    return "\n".join(lines)


def test_a_label_over_every_paragraph_is_removed() -> None:
    doc = normalise(_with_label_before_each("Article content"))
    assert doc.body == "\n\n".join(PARAGRAPHS)
    assert doc.removed["boilerplate"] >= 3


def test_a_german_label_over_every_paragraph_is_removed() -> None:
    doc = normalise(_with_label_before_each("Artikelinhalt"))
    assert "Artikelinhalt" not in doc.body


def test_a_heading_repeated_once_per_item_of_a_list_stays() -> None:
    lines = ["The best rain jackets of the year"]
    for n in range(1, 5):
        lines += [
            f"Rain jacket number {n}",
            f"This jacket kept us dry through a week of hiking in the rain, and it packs down small, test {n}.",
            f"Jacket {n} comes in {n + 3} colours and in sizes from extra small to extra large, with a hood.",
            f"The zips of jacket {n} are sealed, the seams are taped, and the cuffs close over gloves.",
            "See it now: Amazon",
        ]
    assert normalise("\n".join(lines)).body.count("See it now: Amazon") >= 3
