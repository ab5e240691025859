"""Credits in non-Latin scripts (issue 14, item 7): Arabic, Hebrew and Japanese agency credits."""

from __future__ import annotations

from wirestream.core import normalise, tag

ARABIC_TITLE = "غارات على غزة"
ARABIC_FIRST = "قال مسؤولون إن غارات جوية استهدفت مناطق عدة في قطاع غزة ليل الإثنين وأسفرت عن سقوط قتلى وجرحى."
ARABIC_SECOND = "وأضاف المسؤولون أن فرق الإنقاذ تواصل البحث عن ناجين تحت الأنقاض."

HEBREW_TITLE = "סערה בצפון"
HEBREW_FIRST = "סערה עזה פגעה בצפון הארץ ביום שני וגרמה לנזק רב לבתים ולכבישים באזור."
HEBREW_SECOND = "לדברי המשטרה, לא היו נפגעים בנפש."

JAPANESE_TITLE = "マクロン氏が経済対策"
JAPANESE_BODY = (
    "フランスのマクロン大統領は３日、パリで記者会見し、新たな経済対策を発表した。"
    "政府は来年の成長率を上方修正する見通しだ。"
)


def credited(text: str) -> list[str]:
    return tag(normalise(text)).credited


def test_arabic_afp_short_form_in_a_dateline() -> None:
    assert credited(f"{ARABIC_TITLE}\n\nغزة (أ ف ب) - {ARABIC_FIRST}\n\n{ARABIC_SECOND}") == ["AFP"]


def test_arabic_afp_short_form_as_a_sign_off() -> None:
    assert credited(f"{ARABIC_TITLE}\n\n{ARABIC_FIRST}\n\n{ARABIC_SECOND}\n\n(أ ف ب)") == ["AFP"]


def test_arabic_afp_full_name_as_a_sign_off() -> None:
    assert credited(f"{ARABIC_TITLE}\n\n{ARABIC_FIRST}\n\n{ARABIC_SECOND}\n\n(وكالة الأنباء الفرنسية)") == ["AFP"]


def test_arabic_afp_full_name_in_a_dateline() -> None:
    assert credited(f"{ARABIC_TITLE}\n\nغزة (وكالة الأنباء الفرنسية) - {ARABIC_FIRST}\n\n{ARABIC_SECOND}") == ["AFP"]


def test_arabic_reuters_cited_in_a_sentence_is_a_source_not_a_credit() -> None:
    attribution = tag(
        normalise(f"{ARABIC_TITLE}\n\n{ARABIC_FIRST} وقال مسؤول لوكالة رويترز إن الوضع صعب.\n\n{ARABIC_SECOND}")
    )
    assert attribution.credited == []
    assert attribution.cited == ["Reuters"]


def test_hebrew_reuters_as_a_sign_off() -> None:
    assert credited(f"{HEBREW_TITLE}\n\n{HEBREW_FIRST}\n\n{HEBREW_SECOND}\n\n(רויטרס)") == ["Reuters"]


def test_hebrew_reuters_in_a_dateline() -> None:
    assert credited(f"{HEBREW_TITLE}\n\nירושלים (רויטרס) - {HEBREW_FIRST}\n\n{HEBREW_SECOND}") == ["Reuters"]


def test_japanese_kyodo_place_and_agency_in_lenticular_brackets_and_full_width_sign_off() -> None:
    assert credited(f"{JAPANESE_TITLE}\n\n【パリ共同】{JAPANESE_BODY}（共同）") == ["Kyodo"]


def test_japanese_kyodo_in_lenticular_brackets_alone() -> None:
    assert credited(f"{JAPANESE_TITLE}\n\n【パリ共同】{JAPANESE_BODY}") == ["Kyodo"]


def test_japanese_kyodo_full_width_sign_off_alone() -> None:
    assert credited(f"{JAPANESE_TITLE}\n\n{JAPANESE_BODY}（共同）") == ["Kyodo"]


def test_japanese_kyoudou_meaning_joint_is_no_credit() -> None:
    # 共同 also means "joint": a joint statement is no Kyodo story.
    text = (
        "日米が共同声明\n\n日米両政府は３日、共同声明を発表し、経済安全保障での協力を強化する方針を確認した。"
        "両国は来月にも閣僚会合を開き、共同で半導体の供給網を整備する。"
    )
    attribution = tag(normalise(text))
    assert attribution.credited == []
    assert attribution.agencies == []
