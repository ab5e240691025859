"""Language identification: the compiled detector first, the exact one when it is unsure."""

import pycld2
import pytest

from wirestream.core.language import detect_language, iso_639_1


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


# ISO 639-1 as it stands (183 codes; "iw", "ji", "in", "jw", "mo" and "bh" were withdrawn).
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
    ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
    io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
    mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
    se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu""".split()
)


def test_hebrew_is_he_not_the_withdrawn_iw():
    text = "סערה עזה פגעה בצפון הארץ ביום שני וגרמה לנזק רב לבתים ולכבישים באזור, כך מסרה המשטרה."
    assert detect_language(text) == "he"


def test_yiddish_and_javanese_get_their_current_codes():
    assert iso_639_1("ji") == "yi"
    assert iso_639_1("jw") == "jv"
    assert iso_639_1("in") == "id"
    assert iso_639_1("zh-Hant") == "zh"


def test_every_two_letter_code_the_detectors_can_return_is_iso_639_1():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    cld2 = {code for _, code in pycld2.LANGUAGES}
    exact = set(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False).nb_classes)
    # "un" and "bh" send the text to the exact model; "xx" gives no code.
    returned = {iso_639_1(code) for code in cld2 | exact} - {"un", "xx", "bh"}
    assert {code for code in returned if len(code) == 2} <= ISO_639_1


def test_a_script_the_detector_knows_in_a_language_it_does_not_is_unknown_not_xx():
    # Tifinagh (Amazigh news in Morocco): CLD2 answers "xx-Tfng", which is no language code.
    text = "ⴰⵎⵙⵙⵓⴷⵙ ⵏ ⵜⵎⵏⴰⴹⵜ ⵢⵏⵏⴰ ⴷ ⴰⵙⵙ ⵏ ⵡⴰⵙⵙ ⴰⴷ ⵜⵜⵓⵙⵏⵓⵍⴼⴰⵏⵜ ⵜⵉⵖⴰⵡⵙⵉⵡⵉⵏ ⵜⵉⵎⴰⵢⵏⵓⵜⵉⵏ ⴷⴳ ⵜⵎⴰⵣⵉⵔⵜ"
    assert detect_language(text) is None
