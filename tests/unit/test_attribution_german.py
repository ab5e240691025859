"""German (and other non-English) credit forms: dpa, AFP, APA, KNA and epd the way German-language
sites print them, plus datelines of Spanish, Portuguese, Russian and Indian wire copy."""

from __future__ import annotations

import pytest

from wirestream.core import normalise, tag
from wirestream.core.document import NormalisedText
from wirestream.schemas.attribution import Attribution

from .documents import Part, evidence, make_doc, roles

ABSAETZE = (
    "Die Bundesregierung will den Ausbau der Stromnetze deutlich beschleunigen. Das Kabinett billigte am "
    "Mittwoch in Berlin einen Gesetzentwurf, der kürzere Genehmigungsverfahren für neue Leitungen vorsieht.",
    "Wirtschaftsminister Peter Altmaier sprach von einem wichtigen Schritt für die Energiewende. Kritik kam "
    "von Umweltverbänden, die eine geringere Beteiligung der Öffentlichkeit an den Verfahren befürchten.",
    "Der Bundestag soll sich noch vor der Weihnachtspause mit dem Entwurf befassen. Die Länder haben bereits "
    "angekündigt, im Bundesrat Änderungen an einzelnen Regelungen zum Naturschutz verlangen zu wollen.",
)


def artikel(*, head: tuple[Part, ...] = (), first: str | None = None, tail: tuple[Part, ...] = ()) -> NormalisedText:
    body = ((first,) if first else ()) + ABSAETZE
    return make_doc(("title", "Kabinett will Netzausbau beschleunigen"), *head, *body, *tail)


@pytest.mark.parametrize(
    ("first", "code", "dateline"),
    [
        (
            "Frankfurt/Main (dpa) - Die Deutsche Bahn will im kommenden Jahr mehr Geld in ihr Netz stecken.",
            "dpa",
            "Frankfurt/Main (dpa) -",
        ),
        (
            "Hamburg (dpa/lno) - Die Polizei hat am Mittwochmorgen mehrere Wohnungen in Altona durchsucht.",
            "dpa",
            "Hamburg (dpa/lno) -",
        ),
        (
            "Berlin (AFP) - Die Zahl der Asylanträge in Deutschland ist im Oktober erneut gesunken.",
            "AFP",
            "Berlin (AFP) -",
        ),
        (
            "Wien (APA) - Die Inflationsrate in Österreich ist im Oktober auf 1,1 Prozent gesunken.",
            "APA",
            "Wien (APA) -",
        ),
        (
            "Bonn (KNA) Die Deutsche Bischofskonferenz hat ein neues Verfahren für Entschädigungen vorgestellt.",
            "KNA",
            "Bonn (KNA)",
        ),
        (
            "Frankfurt a.M. (epd). Die Evangelische Kirche in Deutschland will ihre Mitgliederzahlen stabilisieren.",
            "epd",
            "Frankfurt a.M. (epd).",
        ),
        (
            "Madrid, 20 nov (EFE).- El Gobierno español aprobó este miércoles el proyecto de presupuestos.",
            "EFE",
            "Madrid, 20 nov (EFE).-",
        ),
        (
            "Madrid, Nov 20 (efe-epa).- The Spanish government approved its draft budget on Wednesday.",
            "EFE",
            "Madrid, Nov 20 (efe-epa).-",
        ),
        (
            "Lisboa, 20 nov 2019 (Lusa) - O Governo aprovou hoje em Conselho de Ministros o Orçamento do Estado.",
            "Lusa",
            "Lisboa, 20 nov 2019 (Lusa) -",
        ),
        (
            "(서울=연합뉴스) 홍길동 기자 = 북한이 20일 동해상으로 단거리 탄도미사일 두 발을 발사했다고 합동참모본부가 밝혔다.",
            "Yonhap",
            "(서울=연합뉴스)",
        ),
        (
            "МОСКВА, 20 ноября. /ТАСС/. Правительство России одобрило проект бюджета на следующий год.",
            "TASS",
            "МОСКВА, 20 ноября. /ТАСС/.",
        ),
    ],
)
def test_dateline(first, code, dateline):
    result = tag(artikel(first=first))
    assert roles(result) == ([code], [], [])
    assert ("dateline", dateline) in evidence(result, code)


@pytest.mark.parametrize(
    ("tail", "codes", "kind", "text"),
    [
        (("(dpa/lno)",), ["dpa"], "trailer", "(dpa/lno)"),
        (("(AFP)",), ["AFP"], "trailer", "(AFP)"),
        (("(APA)",), ["APA"], "trailer", "(APA)"),
        (("(KNA)",), ["KNA"], "trailer", "(KNA)"),
        (("(epd)",), ["epd"], "trailer", "(epd)"),
        (("hba/dpa",), ["dpa"], "trailer", "hba/dpa"),
        (("mrc/AFP/dpa",), ["AFP", "dpa"], "trailer", "mrc/AFP/dpa"),
        (("sev/dpa/afp",), ["AFP", "dpa"], "trailer", "sev/dpa/afp"),
        (("(dpa-tmn)",), ["dpa"], "trailer", "(dpa-tmn)"),
        (("(ap)",), ["AP"], "trailer", "(ap)"),
        (("dpa/rtr",), ["Reuters", "dpa"], "trailer", "dpa/rtr"),
        (("(sid)",), ["SID"], "trailer", "(sid)"),
        (("(sda)",), ["SDA"], "trailer", "(sda)"),
        (
            (("credit", "Mit Informationen von dpa und Reuters"),),
            ["Reuters", "dpa"],
            "credit_line",
            "Mit Informationen von dpa und Reuters",
        ),
        ((("credit", "Mit Material von dpa"),), ["dpa"], "credit_line", "Mit Material von dpa"),
        ((("credit", "Mit Material von dpa und AFP"),), ["AFP", "dpa"], "credit_line", "Mit Material von dpa und AFP"),
        ((("credit", "Quelle: dpa"),), ["dpa"], "credit_line", "Quelle: dpa"),
        (
            (("credit", "© dpa-infocom, dpa:191120-99-789012/3"),),
            ["dpa"],
            "copyright",
            "© dpa-infocom, dpa:191120-99-789012/3",
        ),
    ],
)
def test_credit_after_the_text(tail, codes, kind, text):
    result = tag(artikel(tail=tail))
    assert roles(result) == (codes, [], [])
    for code in codes:
        assert (kind, text) in evidence(result, code)


def test_regional_sign_off_closing_the_last_paragraph():
    letzter = (
        "Die Feuerwehr war mit mehr als 60 Einsatzkräften vor Ort. Verletzt wurde nach Angaben der Polizei "
        "niemand, die Ermittlungen zur Brandursache dauern an. (dpa/lno)"
    )
    result = tag(make_doc(*ABSAETZE, letzter))
    assert roles(result) == (["dpa"], [], [])
    assert evidence(result, "dpa") == [("trailer", "(dpa/lno)")]


def test_byline_with_agency():
    result = tag(artikel(head=(("byline", "Von Max Mustermann, dpa"),)))
    assert roles(result) == (["dpa"], [], [])
    assert evidence(result, "dpa") == [("byline", "Von Max Mustermann, dpa")]


@pytest.mark.parametrize(
    ("satz", "code", "text"),
    [
        (
            "Die Regierung plant nach Informationen der Zeitung weitere Kürzungen, berichtet die Nachrichtenagentur "
            "Reuters.",
            "Reuters",
            "berichtet die Nachrichtenagentur Reuters",
        ),
        (
            "Der Konzern will in Deutschland 2000 Stellen abbauen, wie die Deutsche Presse-Agentur erfuhr.",
            "dpa",
            "Deutsche Presse-Agentur erfuhr",
        ),
        (
            "„Wir sind auf einem guten Weg“, sagte der Minister der Deutschen Presse-Agentur in Berlin.",
            "dpa",
            "sagte der Minister der Deutschen Presse-Agentur",
        ),
        (
            "Das meldete die französische Nachrichtenagentur AFP unter Berufung auf Sicherheitskreise.",
            "AFP",
            "meldete die französische Nachrichtenagentur AFP",
        ),
        ("Laut dpa sollen die neuen Regeln bereits im Januar in Kraft treten.", "dpa", "Laut dpa"),
        (
            "Der Polizeichef sagte der Nachrichtenagentur Anadolu, die Lage sei unter Kontrolle.",
            "AA",
            "sagte der Nachrichtenagentur Anadolu",
        ),
    ],
)
def test_source_in_the_text_is_cited(satz, code, text):
    result = tag(make_doc(ABSAETZE[0], satz, *ABSAETZE[1:]))
    assert roles(result) == ([], [code], [])
    assert evidence(result, code)[0] == ("source", text)


@pytest.mark.parametrize(
    "part",
    [
        ("caption", "Ein ICE der Deutschen Bahn fährt in den Hauptbahnhof ein. Foto: dpa"),
        ("body", "Ein ICE der Deutschen Bahn fährt in den Hauptbahnhof ein. Bild: picture alliance/dpa"),
        ("body", "Bundeskanzlerin Angela Merkel im Bundestag. Foto: Kay Nietfeld/dpa"),
        ("caption", "Foto: Michael Kappeler/dpa-Bildfunk"),
        ("body", "Bildquelle: dpa"),
    ],
)
def test_photo_credit(part):
    result = tag(make_doc(("title", "Kabinett will Netzausbau beschleunigen"), part, *ABSAETZE))
    assert roles(result) == ([], [], ["dpa"])


def test_source_in_japanese_text_is_cited():
    satz = "共同通信によると、政府は来年度予算案の概算要求を取りまとめる方針を固めた。関係者が明らかにした。"
    result = tag(make_doc(satz, satz.replace("共同通信によると、", "")))
    assert roles(result) == ([], ["Kyodo"], [])


def test_generic_agency_credit_names_no_agency():
    result = tag(artikel(tail=(("credit", "Mit Material von Nachrichtenagenturen"), ("credit", "Quelle: Agenturen"))))
    assert result == Attribution()


def test_german_page_through_the_normaliser():
    raw = "\n\n".join(
        [
            "Startseite\nPolitik\nWirtschaft\nSport",
            "Kabinett will Netzausbau beschleunigen",
            "Berlin (dpa) - " + ABSAETZE[0],
            ABSAETZE[1],
            "„Wir müssen schneller werden“, sagte Altmaier der Nachrichtenagentur Reuters am Rande der Sitzung. "
            "Der Entwurf sieht vor, dass Klagen gegen neue Leitungen nur noch in einer Instanz verhandelt werden.",
            ABSAETZE[2],
            "Impressum\nDatenschutz",
        ]
    )
    result = tag(normalise(raw))
    assert roles(result) == (["dpa"], ["Reuters"], [])


def test_dpa_story_number_closing_the_text_credits_dpa():
    raw = "\n".join(["Kabinett will Netzausbau beschleunigen", *ABSAETZE, "dpa-infocom, dpa:231127-99-123456/3"])
    doc = normalise(raw)
    assert doc.body.split("\n\n") == list(ABSAETZE)
    result = tag(doc)
    assert roles(result) == (["dpa"], [], [])
    assert evidence(result, "dpa") == [("trailer", "dpa-infocom, dpa:231127-99-123456/3")]


def test_poll_commissioned_by_dpa_is_a_source_not_a_picture():
    satz = "Laut einer dpa/YouGov-Umfrage unterstützen 60 Prozent der Befragten den schnelleren Netzausbau."
    result = tag(normalise("\n".join(["Kabinett will Netzausbau beschleunigen", ABSAETZE[0], satz, *ABSAETZE[1:]])))
    assert roles(result) == ([], ["dpa"], [])
