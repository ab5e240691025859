"""Language identification: the compiled detector first, the exact one when it is unsure."""

import pytest

from wirestream.core.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The minister said the talks would resume on Tuesday after a short break in Brussels.", "en"),
        (
            "Der Containerumschlag im Hamburger Hafen hat im dritten Quartal leicht zugelegt, teilte der Betreiber mit.",
            "de",
        ),
        ("Le gouvernement a annoncé mardi un plan d'aide aux agriculteurs touchés par la sécheresse.", "fr"),
        ("El Gobierno aprobó este martes un plan de ayudas para los agricultores afectados por la sequía.", "es"),
        ("Il governo ha approvato martedì un piano di aiuti per gli agricoltori colpiti dalla siccità.", "it"),
        ("O governo aprovou nesta terça-feira um plano de ajuda aos agricultores afetados pela seca.", "pt"),
        ("Президент заявил, что переговоры продолжатся на следующей неделе в Москве, сообщили в Кремле.", "ru"),
        ("東京電力は火曜日、福島第一原子力発電所の処理水の放出を再開したと発表した。これで今年度三回目となる。", "ja"),
        (
            "정부는 화요일 가뭄 피해를 입은 농민들을 위한 지원 계획을 발표했다고 밝혔다. 지원금은 다음 달부터 지급된다.",
            "ko",
        ),
        # CLD2 often calls Indonesian Malay: the exact model decides.
        (
            "Presiden Joko Widodo mengatakan pemerintah akan melanjutkan pembangunan ibu kota baru di Kalimantan Timur.",
            "id",
        ),
    ],
)
def test_languages_news_is_written_in(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Short.", "12 34 56 78 90 -- 2024-06-11 10:00", "🎉" * 50])
def test_too_little_text_to_tell(text):
    assert detect_language(text) is None


def test_text_the_compiled_detector_rejects_still_gets_an_answer():
    assert (
        detect_language("Die Regierung hat am Dienstag \ud800 einen Plan vorgestellt, der Landwirten helfen soll.")
        == "de"
    )
