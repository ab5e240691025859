"""Furniture words shared across sites, in the language each serves."""

from __future__ import annotations

import pytest

from wirestream.core import furniture, normalise
from wirestream.core.furniture import Furniture

RELATED_SECTION = Furniture("related", opens_section=True)
COMMENTS_SECTION = Furniture("comments", opens_section=True)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Norwegian, Swedish, Danish, Dutch, Polish, Russian: "read also" over a teaser list, inline teasers.
        ("Les også", RELATED_SECTION),
        ("Les også: Tone Damli røper detaljer om frieriet", Furniture("related")),
        ("Läs också", RELATED_SECTION),
        ("Læs også: Regeringen vil sænke skatten", Furniture("related")),
        ("Lees ook: Kabinet valt over asielbeleid", Furniture("related")),
        ("Czytaj także", RELATED_SECTION),
        ("Czytaj więcej: Sejm przyjął ustawę", Furniture("related")),
        ("Читайте также", RELATED_SECTION),
        ("Mer om", RELATED_SECTION),
        ("Del artikkel", Furniture("share")),
        ("Vis mer Vis mindre", Furniture("widget")),
        # German
        ("Mehr zum Thema Hitzeschäden", RELATED_SECTION),
        ("Ähnliche Artikel:", RELATED_SECTION),
        ("Am beliebtesten", RELATED_SECTION),
        ("Über die Autorin", Furniture("boilerplate", opens_section=True)),
        ("Über die Autor:in", Furniture("boilerplate", opens_section=True)),
        ("Jetzt spenden", Furniture("newsletter")),
        ("Artikel verschenken", Furniture("share")),
        ("Empfohlener redaktioneller Inhalt", Furniture("widget")),
        ("Diskutieren Sie mit", COMMENTS_SECTION),
        ("Antworten", COMMENTS_SECTION),
        ("Klick, um auf Facebook zu teilen (Wird in neuem Fenster geöffnet)", Furniture("share")),
        ("Push-Benachrichtigungen aktivieren", Furniture("newsletter")),
        # French, Italian, Spanish
        ("Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.", Furniture("newsletter")),
        ("Cliquez pour partager sur Facebook (ouvre dans une nouvelle fenêtre)", Furniture("share")),
        ("Répondre", COMMENTS_SECTION),
        ("Partecipa alla discussione", COMMENTS_SECTION),
        ("Leggi e commenta", COMMENTS_SECTION),
        ("Únete a la conversación", COMMENTS_SECTION),
        ("Artículos similares", RELATED_SECTION),
        # Japanese, Korean, Chinese
        ("おすすめ情報", RELATED_SECTION),
        ("関連記事", RELATED_SECTION),
        ("관련기사", RELATED_SECTION),
        ("相关新闻", RELATED_SECTION),
        ("延伸閱讀", RELATED_SECTION),
        # English
        ("Keep Reading", RELATED_SECTION),
        ("Submit a correction", Furniture("footer")),
        ("Reprints & permissions", Furniture("footer")),
        ("Reply", COMMENTS_SECTION),
        ("Notifications can be managed in browser preferences.", Furniture("newsletter")),
        ("Stay up to date with notifications from The Independent", Furniture("newsletter")),
        ("Facebook X LinkedIn Tumblr Pinterest WhatsApp Telegram Share via Email Print", Furniture("share")),
    ],
)
def test_furniture_line(line: str, expected: Furniture) -> None:
    assert furniture.classify(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "More than 200 people were evacuated from the building on Monday.",
        "Mehr als 80 Prozent der Studierenden wünschen sich klare Leitlinien.",
        "Les opposants ont appelé à manifester samedi devant la mairie.",
        "Nutzer müssen nur klicken, um den Vertrag zu kündigen, sagte die Ministerin.",
        "Die Polizei bat um Hinweise und veröffentlichte ein Foto des Verdächtigen.",
    ],
)
def test_sentences_are_not_furniture(line: str) -> None:
    assert furniture.classify(line) is None


def test_a_hindi_article_ending_its_sentences_with_the_danda_is_running_text() -> None:
    sentences = [
        "समस्तीपुर के बंगरा थाना क्षेत्र में पुलिस ने चोरी के मामले में दो आरोपियों को गिरफ्तार किया है।",
        "पुलिस ने बताया कि दोनों आरोपियों के पास से चोरी के गहने और नकद रुपये बरामद किए गए हैं।",
        "एएसपी ने संवाददाता सम्मेलन में कहा कि गिरोह के अन्य सदस्यों की तलाश जारी है।",
    ]
    page = "\n".join(["समस्तीपुर में चोरी के दो आरोपी गिरफ्तार", "होम", "देश", "विदेश", "कॉपी लिंक", *sentences, "फीडबैक दें"])
    doc = normalise(page)
    assert doc.body == "\n\n".join(sentences)
    assert doc.language == "hi"


def test_an_arabic_question_mark_ends_a_sentence() -> None:
    question = "هل تنجح المفاوضات الجديدة في إنهاء الأزمة السياسية التي تعيشها البلاد منذ أشهر؟"
    statement = "قال المسؤولون إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة بمشاركة جميع الأطراف."
    doc = normalise("\n".join(["أخبار", "الرئيسية", "سياسة", "اقتصاد", "رياضة", question, statement, "شارك", "تابعنا"]))
    assert doc.body.split("\n\n")[0] == question
