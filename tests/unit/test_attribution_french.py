"""French credit forms: "Le Monde avec AFP" signs agency copy; "a déclaré à l'AFP" cites the agency."""

from __future__ import annotations

import pytest

from wirestream.core import normalise, tag

from .documents import evidence, roles

TITRE = "Le gouvernement dévoile son plan pour l'énergie"
PARAGRAPHES = (
    "Le gouvernement a annoncé mardi un plan pour réduire les prix de l'énergie pour les ménages, après des "
    "semaines de pression des associations de consommateurs et des partis d'opposition.",
    "Les mesures comprennent un plafonnement des tarifs de l'électricité et une prime exceptionnelle pour les "
    "familles modestes, ont indiqué les responsables lors d'une conférence de presse à Paris.",
    "Les critiques estiment que le plan arrive trop tard et qu'il aidera peu les petites entreprises, les plus "
    "touchées par la hausse des coûts cette année.",
)


def page(*, head: tuple[str, ...] = (), body: tuple[str, ...] = PARAGRAPHES, tail: tuple[str, ...] = ()) -> str:
    return "\n".join(["Accueil", "Politique", "Économie", TITRE, *head, *body, *tail, "Mentions légales"])


@pytest.mark.parametrize(
    ("line", "codes", "where"),
    [
        ("Le Monde avec AFP", ["AFP"], "head"),
        ("La rédaction de Franceinfo avec AFP", ["AFP"], "head"),
        ("Par Le Figaro avec AFP", ["AFP"], "head"),
        ("Avec AFP", ["AFP"], "tail"),
        ("Avec AFP et Reuters", ["AFP", "Reuters"], "tail"),
        ("(Avec AFP)", ["AFP"], "tail"),
    ],
)
def test_avec_line_credits_the_agency(line, codes, where):
    doc = normalise(page(head=(line,)) if where == "head" else page(tail=(line,)))
    assert doc.body.split("\n\n") == list(PARAGRAPHES)
    result = tag(doc)
    assert roles(result) == (codes, [], [])
    for code in codes:
        assert [kind for kind, _ in evidence(result, code)] == ["credit_line"]


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        (
            "« Nous tiendrons nos engagements », a-t-il déclaré à l'AFP mardi soir, avant de quitter le ministère.",
            "déclaré à l'AFP",
        ),
        (
            "Dans un entretien avec l'AFP, la ministre a défendu le calendrier de la réforme et promis des aides.",
            "entretien avec l'AFP",
        ),
        ("Selon l'AFP, le texte sera présenté en conseil des ministres dès la semaine prochaine.", "Selon l'AFP"),
        (
            "Interrogé par l'AFP, un porte-parole de l'opposition a dénoncé un plan « trop timide » et tardif.",
            "Interrogé par l'AFP",
        ),
    ],
)
def test_agency_as_a_source_is_cited(sentence, text):
    result = tag(normalise(page(body=(PARAGRAPHES[0], sentence, *PARAGRAPHES[1:]))))
    assert roles(result) == ([], ["AFP"], [])
    assert evidence(result, "AFP") == [("source", text)]


def test_avec_inside_a_sentence_credits_nothing():
    # A line that is a sentence (no paper's name before "avec") is no credit line.
    result = tag(normalise(page(tail=("Il a longuement parlé avec l'AFP",))))
    assert result.credited == []
