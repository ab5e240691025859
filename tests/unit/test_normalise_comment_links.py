"""A link to the comments above the article ("5 comentarios", "Join the conversation" under the
byline) is not the start of the comment section: the section shows its heading again below."""

from __future__ import annotations

from wirestream.core import normalise

_PROMO = (
    "{site} es un periódico independiente fundado en 1990 que publica cada día noticias, análisis y "
    "reportajes sobre política, economía, cultura y deportes, con corresponsales en todas las provincias "
    "y en las principales capitales del mundo, y que cuenta hoy con más de un millón de lectores en su "
    "edición impresa y en la digital."
)

SPANISH_PAGE = "\n".join(
    [
        "El Gobierno aprueba el plan de vivienda | El Diario",
        "Inicio",
        "España",
        "Internacional",
        "Economía",
        _PROMO.format(site="El Diario"),
        "El Gobierno aprueba el plan de vivienda",
        "Por Ana García",
        "5 comentarios",
        "El Consejo de Ministros aprobó este martes un plan para construir 50.000 viviendas de alquiler "
        "asequible en los próximos cuatro años, según anunció la portavoz del Gobierno.",
        "El plan se financiará con fondos europeos y con la colaboración de las comunidades autónomas, que "
        "deberán ceder suelo público para las nuevas promociones.",
        "La oposición criticó que la medida llega tarde y que no resolverá la falta de oferta en las grandes "
        "ciudades, donde los alquileres han subido más de un diez por ciento en el último año.",
        "Las primeras obras comenzarán a principios del año que viene en Madrid, Barcelona y Valencia.",
        "5 comentarios",
        "lector87",
        "Otra promesa más que no se cumplirá, como todas las anteriores de este Gobierno y del anterior.",
        "maria_g",
        "Por fin alguien se acuerda de los jóvenes que no pueden pagar un alquiler en esta ciudad.",
    ]
)


def test_a_comment_count_under_the_byline_does_not_hide_the_article() -> None:
    doc = normalise(SPANISH_PAGE)
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0].startswith("El Consejo de Ministros aprobó este martes")
    assert paragraphs[-1].startswith("Las primeras obras comenzarán")
    assert "periódico independiente" not in doc.body
    assert "Otra promesa" not in doc.body


ENGLISH_PAGE = "\n".join(
    [
        "Jobless rate falls as economy adds 88,000 jobs | The Post",
        "Home",
        "News",
        "Business",
        "The Post is an independent daily newspaper founded in 1888 that publishes news, analysis and "
        "features on politics, the economy, culture and sport, with reporters in every province and in the "
        "main capitals of the world, and more than a million readers today in print, online and on its apps every single day of the week.",
        "Jobless rate falls as economy adds 88,000 jobs",
        "By Jane Doe",
        "Join the conversation",
        "The unemployment rate fell to 6.6 per cent in May as 88,000 positions were added, the first "
        "significant gain since November, according to the national statistics agency.",
        "Economists said the report eased fears of a recession and pointed to a rebound in the second quarter "
        "after two quarters of contraction.",
        "Wage growth slowed as the surge in new jobs eased earlier tightness in the labour market.",
        "The central bank is expected to keep rates on hold at its meeting next week.",
        "Join the Conversation",
        "Comments may take up to an hour to appear on the site.",
        "reader42",
        "Good news at last, but I will believe it when I see it in my own pay cheque next month.",
    ]
)


def test_join_the_conversation_under_the_byline_does_not_hide_the_article() -> None:
    doc = normalise(ENGLISH_PAGE)
    paragraphs = doc.body.split("\n\n")
    assert paragraphs[0].startswith("The unemployment rate fell to 6.6 per cent")
    assert paragraphs[-1] == "The central bank is expected to keep rates on hold at its meeting next week."
    assert "independent daily newspaper" not in doc.body


def test_comments_above_the_article_with_no_heading_below_are_still_comments() -> None:
    # The comment section itself comes first: the text after its heading is comments, and the
    # article before it is kept.
    article = [
        "The city council voted on Monday to build new bus lanes on three of the busiest roads in the centre, "
        "after a year of consultation with residents and businesses.",
        "The first lanes are expected to open next spring, the council said in a statement after the vote.",
    ]
    comments = [
        "This is a complete waste of money and nobody in this town asked for any of it, as far as I know.",
        "I agree with the previous commenter, the roads were fine as they were before all this started.",
        "Bus lanes will only make the traffic worse for everybody who has to drive to work in the morning.",
        "The council never listens to the people who actually live here, only to the consultants it pays.",
    ]
    doc = normalise("\n".join(["Council backs bus lanes", *article, "34 Comments", *comments]))
    assert doc.body == "\n\n".join(article)
