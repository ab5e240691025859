"""Credit conventions of news pages across sites and languages, end to end: visible page text with its
menus and boxes, through `normalise`, then `tag`. Each case is a convention many sites share (desk-code
sign-offs, source labels, co-author bylines), written in the language it serves; none copies one page."""

from __future__ import annotations

import pytest

from wirestream.core import normalise, tag
from wirestream.core.lexicon import parse_lexicon

MENU = "Startseite\nPolitik\nWirtschaft\nSport\nKultur\nSuche\nAnmelden"
MENU_EN = "Home\nWorld\nBusiness\nSport\nCulture\nSearch\nSign in"

DE = (
    "Die Bundesregierung will den Ausbau der Stromnetze deutlich beschleunigen. Das Kabinett billigte am "
    "Mittwoch in Berlin einen Gesetzentwurf, der kürzere Genehmigungsverfahren für neue Leitungen vorsieht.",
    "Wirtschaftsminister Peter Altmaier sprach von einem wichtigen Schritt für die Energiewende. Kritik kam "
    "von Umweltverbänden, die eine geringere Beteiligung der Öffentlichkeit an den Verfahren befürchten.",
    "Der Bundestag soll sich noch vor der Weihnachtspause mit dem Entwurf befassen. Die Länder haben bereits "
    "angekündigt, im Bundesrat Änderungen an einzelnen Regelungen zum Naturschutz verlangen zu wollen.",
)
EN = (
    "The government will speed up the expansion of the power grid, ministers agreed on Wednesday, approving "
    "a draft law that shortens the approval procedures for new transmission lines across the country.",
    "The economy minister called it an important step for the energy transition. Environmental groups "
    "criticised the plan, fearing that the public would have less say in the approval procedures.",
    "Parliament is expected to debate the draft before the Christmas break. Several regions have already "
    "said they will seek changes to individual rules on nature protection when the bill reaches them.",
)
NL = (
    "De federale regering wil de uitbouw van het elektriciteitsnet versnellen. De ministerraad keurde woensdag "
    "een wetsontwerp goed dat kortere vergunningsprocedures voor nieuwe hoogspanningslijnen invoert.",
    "De minister van Economie sprak van een belangrijke stap voor de energietransitie. Milieuorganisaties "
    "vrezen dat burgers minder inspraak krijgen in de procedures voor nieuwe lijnen door hun gemeente.",
    "Het parlement bespreekt het ontwerp nog voor het kerstreces. Verschillende gewesten kondigden al aan "
    "dat ze wijzigingen willen aan de regels over natuurbescherming wanneer het ontwerp bij hen komt.",
)


def page(title: str, head: list[str], body: tuple[str, ...], tail: list[str], menu: str = MENU) -> str:
    return "\n".join([menu, "", title, "", *head, "", "\n\n".join(body), "", *tail])


def credited(text: str) -> list[str]:
    return tag(normalise(text)).credited


# --- sign-offs with a desk's initials -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sign_off", "code"),
    [
        ("sak/Reuters", "Reuters"),
        ("SDA/sep", "SDA"),
        ("(dpa/lno)", "dpa"),
        ("(ats/jb)", "SDA"),
        ("Quelle: ntv.de, ino/dpa", "dpa"),
    ],
)
def test_a_desk_sign_off_after_the_text_credits_the_agency(sign_off, code):
    text = page(
        "Kabinett will Netzausbau beschleunigen", ["Von Anna Schmidt"], DE, [sign_off, "Kommentare", "Mehr zum Thema"]
    )
    assert credited(text) == [code]


def test_a_sign_off_below_a_newsletter_box_still_credits():
    tail = [
        "Newsletter",
        "Der Morgen",
        "Der perfekte Start in den Tag mit News aus der Schweiz.",
        "Einloggen",
        "SDA/sep",
    ]
    text = page(
        "Kabinett will Netzausbau beschleunigen", [], DE, [*tail, "Mehr zum Thema", "Andere Geschichte (dpa/lno)"]
    )
    assert credited(text) == ["SDA"]


def test_a_sign_off_below_a_related_stories_heading_credits_nothing():
    text = page("Kabinett will Netzausbau beschleunigen", [], DE, ["Mehr zum Thema", "Bahn streicht Züge", "(dpa/lno)"])
    assert credited(text) == []


# --- "mit dpa" and source labels ------------------------------------------------------------------


@pytest.mark.parametrize("line", ["mit dpa", "(abc mit dpa)", "Mit Material von dpa"])
def test_a_paper_with_the_agency_credits_it(line):
    text = page("Kabinett will Netzausbau beschleunigen", ["Von Eva Wagner"], DE, [line])
    assert credited(text) == ["dpa"]


def test_an_interview_with_the_agency_in_running_text_credits_nothing():
    body = (
        DE[0],
        "Im Gespräch mit dpa sagte der Minister, die Reform komme zur rechten Zeit für das ganze Land.",
        DE[2],
    )
    assert credited(page("Kabinett will Netzausbau beschleunigen", [], body, [])) == []


def test_weitere_quellen_credits_the_agency():
    text = page("Kabinett will Netzausbau beschleunigen", ["Von Malek Fouda"], DE, ["Weitere Quellen • AP"])
    assert credited(text) == ["AP"]


def test_a_dutch_source_line_under_the_lead_credits_the_agency():
    text = page("Regering wil stroomnet sneller uitbouwen", [], (NL[0], "Bron: BELGA", NL[1], NL[2]), [])
    assert credited(text) == ["Belga"]


def test_a_source_line_under_a_one_line_caption_credits_the_picture():
    caption = "Der Handel mit dem Iran ist stark zurückgegangen."
    text = page("Kabinett will Netzausbau beschleunigen", [], (DE[0], caption, "Quelle: AFP", DE[1], DE[2]), [])
    result = tag(normalise(text))
    assert result.credited == [] and result.photo == ["AFP"]


@pytest.mark.parametrize(
    "line",
    [
        "Additional reporting from PA",
        "With files from The Associated Press and Jane Roe",
        "This report by The Associated Press",
    ],
)
def test_english_credit_lines_after_the_text(line):
    code = next(c for c in ("PTI", "AFP", "PA", "AP") if c in line or (c == "AP" and "Associated" in line))
    text = page("Grid expansion to speed up", ["By Michael Hincks"], EN, [line, "Topics", "Most Read"], MENU_EN)
    assert credited(text) == [code]


def test_files_from_the_agency_below_an_author_box():
    tail = [
        "Jane Roe",
        "Jane Roe is a senior reporter covering the Middle East for the parliamentary bureau in Ottawa.",
        "With files from The Associated Press",
        "Corrections and clarifications | Submit a news tip",
    ]
    assert credited(page("Grid expansion to speed up", ["Jane Roe · CBC News"], EN, tail, MENU_EN)) == ["AP"]


# --- bylines ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (["Von dpa 30.04.2024, 18:58"], "dpa"),
        (["von", "APA", "Donnerstag", "05. Juni 2025"], "APA"),
        (["von", "Konstantin Furrer", "Deutsche Presse-Agentur"], "dpa"),
    ],
)
def test_german_agency_bylines(head, code):
    assert credited(page("Kabinett will Netzausbau beschleunigen", head, DE, [])) == [code]


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (["Adam Vidler and AP", "June 30, 2026 - 4.34pm"], "AP"),
        (["Associated Press in Valencia", "Sat 24 Feb 2024 12.42 CET"], "AP"),
    ],
)
def test_english_agency_bylines(head, code):
    assert credited(page("Grid expansion to speed up", head, EN, [], MENU_EN)) == [code]


def test_author_initials_that_spell_an_agency_code_are_no_byline():
    head = ["PA", "Povilas Aleksandravičius", "2024.03.31 19:59"]
    text = page("Grid expansion to speed up", head, EN, [], MENU_EN)
    assert credited(text) == []


def test_a_photographer_and_an_agency_code_are_no_byline():
    head = ["Jane Doe, AP", "The minister at the grid operator's control room on Tuesday."]
    assert credited(page("Grid expansion to speed up", head, EN, [], MENU_EN)) == []


def test_the_wire_feed_notice_on_an_agency_site_credits_the_agency():
    tr = (
        "Türkiye'de elektrikli araç sayısı geçen yıl yüzde 60 artarak 185 bine ulaştı. Enerji Bakanlığı verilerine "
        "göre şarj istasyonlarının sayısı da aynı dönemde iki katına çıktı ve 12 bini aştı.",
        "Bakanlık yetkilileri, şarj ağının önümüzdeki yıl tüm illere yayılacağını söyledi. En fazla istasyon "
        "İstanbul'da bulunuyor; onu Ankara ve Antalya takip ediyor, diye açıklama yaptı.",
    )
    notice = (
        "Anadolu Ajansı web sitesinde, AA Haber Akış Sistemi (HAS) üzerinden abonelere sunulan haberler, "
        "özetlenerek yayımlanmaktadır."
    )
    text = page("Elektrikli araç sayısı artıyor", ["Ayşe Yılmaz | 05.04.2025"], tr, [notice], "Gündem\nDünya\nEkonomi")
    assert credited(text) == ["AA"]


# --- a long credit line ----------------------------------------------------------------------------


def test_every_agency_of_a_long_credit_line_is_credited():
    line = (
        "Mit Informationen der ARD-Korrespondentinnen und -Korrespondenten sowie der Nachrichtenagenturen "
        "AFP, AP, dpa, epd, KNA und Reuters. Zum Teil lassen sich die Angaben nicht unabhängig überprüfen."
    )
    text = page("Der Liveblog zum Nahost-Konflikt", [], (line, *DE), [])
    assert credited(text) == ["AFP", "AP", "KNA", "Reuters", "dpa", "epd"]


# --- the lexicon is checked on load --------------------------------------------------------------


def test_a_phrase_in_two_families_is_refused():
    families = {
        "credit_phrases": {"en": ["source"]},
        "source_labels": {"en": ["source"]},
        "credit_after": {"en": ["contributed"]},
        "with_words": {"en": ["with"]},
        "by_words": {"en": ["by"]},
    }
    with pytest.raises(ValueError, match="both credit_phrases and source_labels"):
        parse_lexicon(families)


def test_an_unknown_family_is_refused():
    with pytest.raises(ValueError, match="unknown families"):
        parse_lexicon({"credits": {"en": ["x"]}})


# --- false credits: pictures and galleries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "title", "body", "menu"),
    [
        ("Ein Kommentar von Anna Schmidt", "Kabinett will Netzausbau beschleunigen", DE, MENU),
        ("Opinion by Jane Roe", "Grid expansion to speed up", EN, MENU_EN),
    ],
)
def test_an_agency_alone_under_an_opinion_byline_credits_the_lead_picture(byline, title, body, menu):
    caption = "Protesters outside parliament on Tuesday."
    result = tag(normalise(page(title, [byline, "AFP", caption], body, [], menu)))
    assert result.credited == [] and result.photo == ["AFP"]


def test_an_agency_alone_under_a_reporters_byline_credits_the_text():
    result = tag(normalise(page("Kabinett will Netzausbau beschleunigen", ["Von Anna Schmidt", "AFP"], DE, [])))
    assert result.credited == ["AFP"]


def test_ap_in_brackets_ending_a_photo_caption_credits_the_picture():
    caption = "Firefighters work at the site of the blaze in Valencia, Spain, on Friday. (AP)"
    result = tag(
        normalise(page("Grid expansion to speed up", ["By Jane Roe"], (EN[0], caption, EN[1], EN[2]), [], MENU_EN))
    )
    assert result.credited == []


def test_agencies_in_a_photo_gallery_inside_the_article_credit_pictures():
    gallery = [
        "Photo gallery",
        "1 / 3",
        "Crowds in the capital on Sunday.",
        "Reuters",
        "2 / 3",
        "Police lines near the square.",
        "AFP",
    ]
    body = (EN[0], *gallery, EN[1], EN[2])
    result = tag(normalise(page("Grid expansion to speed up", ["By Jane Roe"], body, [], MENU_EN)))
    assert result.credited == []


# --- a dateline under any headline -----------------------------------------------------------------


@pytest.mark.parametrize("title", ["Live: storm hits the coast", "Storm hits the coast", "Storm"])
def test_the_dateline_of_a_one_line_brief_credits_its_agency(title):
    result = tag(normalise(f"{title}\n\nLONDON (Reuters) - A storm hit the coast on Monday.\n"))
    assert result.credited == ["Reuters"]
    assert [e.kind for e in result.agencies[0].evidence] == ["dateline"]


@pytest.mark.parametrize(
    ("head", "code"),
    [
        (["Von: abc/dpa"], "dpa"),
        (["Von DPA"], "dpa"),
    ],
)
def test_more_german_agency_bylines(head, code):
    assert credited(page("Kabinett will Netzausbau beschleunigen", head, DE, [])) == [code]


@pytest.mark.parametrize(
    ("first", "code"),
    [
        ("Frankfurt/Main (dpa) - Die Deutsche Bahn will im kommenden Jahr mehr Geld in ihr Netz stecken.", "dpa"),
        ("KYIV, Ukraine via AP — Russia launched a wave of drones at the capital overnight, officials said.", "AP"),
        ("Madrid, 3 jun (EFE).- El Gobierno aprobó este martes el proyecto de ley de redes eléctricas.", "EFE"),
        ("PARIS (AFP) - Le gouvernement a présenté mercredi un projet de loi sur les réseaux électriques.", "AFP"),
    ],
)
def test_datelines_with_a_slash_or_a_qualifier(first, code):
    body = (first, *DE[1:])
    assert credited(page("Kabinett will Netzausbau beschleunigen", [], body, [])) == [code]


ES = (
    "El Gobierno quiere acelerar la ampliación de la red eléctrica. El Consejo de Ministros aprobó el miércoles "
    "un proyecto de ley que acorta los procedimientos de autorización de nuevas líneas.",
    "El ministro de Economía habló de un paso importante para la transición energética. Los grupos ecologistas "
    "temen que el público tenga menos voz en los procedimientos de aprobación.",
    "Se espera que el Parlamento debata el proyecto antes de las vacaciones de Navidad. Varias regiones ya han "
    "dicho que pedirán cambios en las normas de protección de la naturaleza.",
)


@pytest.mark.parametrize(
    ("byline", "body", "code"),
    [("Redacción / EFE", ES, "EFE"), ("Redaktion / dpa", DE, "dpa"), ("Redacción | EFE", ES, "EFE")],
)
def test_the_newsroom_and_the_agency_as_a_byline(byline, body, code):
    assert credited(page("La red eléctrica crecerá más rápido", [byline], body, [])) == [code]


@pytest.mark.parametrize(
    ("sign_off", "codes"),
    [("sev/dpa/rtr", ["Reuters", "dpa"]), ("— The Associated Press", ["AP"]), ("- Reuters", ["Reuters"])],
)
def test_more_sign_offs(sign_off, codes):
    assert credited(page("Kabinett will Netzausbau beschleunigen", [], DE, [sign_off, "Mehr zum Thema"])) == codes
