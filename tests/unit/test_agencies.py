"""The agency registry (agencies.toml) and the alias scan."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from wirestream.core.agencies import MAX_HITS, REGISTRY, Registry

REQUIRED = (
    "AFP AP Reuters dpa EFE ANSA Xinhua Kyodo PA KNA epd APA PAP PTI IANS ANI AA TASS RIA Interfax UPI Bloomberg "
    "CP AAP Yonhap IRNA INA Lusa Belga ANP SDA CNA Bernama Antara WAM KCNA Jiji JTA RNS CTK SID dts Kathpress "
    "Telam Tasnim"
).split()


def packaged_data() -> dict:
    return tomllib.loads(resources.files("wirestream.core").joinpath("agencies.toml").read_text(encoding="utf-8"))


def found(text: str, registry: Registry = REGISTRY) -> list[tuple[str, str, str]]:
    return [(m.code, text[m.start : m.end], m.strength) for m in registry.scan(text).mentions]


def test_registry_covers_the_agencies_the_service_must_know():
    assert set(REQUIRED) <= set(REGISTRY.agencies)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("AFP", "Agence France-Presse"),
        ("AP", "Associated Press"),
        ("dpa", "Deutsche Presse-Agentur"),
        ("AA", "Anadolu Agency"),
        ("PTI", "Press Trust of India"),
        ("INA", "Iraqi News Agency"),
    ],
)
def test_canonical_names(code, name):
    assert REGISTRY.agencies[code].name == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("reported by Agence France-Presse", [("AFP", "Agence France-Presse", "strong")]),
        ("AGENCE FRANCE-PRESSE", [("AFP", "AGENCE FRANCE-PRESSE", "strong")]),
        ("ASSOCIATED PRESS", [("AP", "ASSOCIATED PRESS", "strong")]),
        ("sagte er der Deutschen Presse-Agentur", [("dpa", "Deutschen Presse-Agentur", "strong")]),
        ("meldet die Nachrichtenagentur dpa", [("dpa", "dpa", "strong")]),
        ("the German agency DPA", [("dpa", "DPA", "weak")]),
        ("сообщает ТАСС", [("TASS", "ТАСС", "strong")]),
        ("据新华社报道", [("Xinhua", "新华社", "strong")]),
        ("연합뉴스에 따르면", [("Yonhap", "연합뉴스", "strong")]),
        ("the state-run Xinhua News Agency said", [("Xinhua", "Xinhua News Agency", "strong")]),
        ("Frankfurt (dpa-AFX) -", [("dpa", "dpa-AFX", "strong")]),
        ("the Associated\u00a0Press", [("AP", "Associated\u00a0Press", "strong")]),
    ],
)
def test_names_match_in_any_case_and_script(text, expected):
    assert found(text) == expected


def test_abbreviations_match_only_in_the_cases_listed():
    assert found("pti and Pti and PTI") == [("PTI", "Pti", "titlecase"), ("PTI", "PTI", "weak")]
    assert found("Tom Krisher, Ap Auto Writer") == [("AP", "Ap", "titlecase")]
    assert found("sev/dpa/afp") == [("dpa", "dpa", "strong"), ("AFP", "afp", "weak")]
    assert found("Epd and EPD and IRNA and Irna") == [("IRNA", "IRNA", "strong"), ("IRNA", "Irna", "titlecase")]


def test_words_inside_other_words_do_not_match():
    assert found("APAC markets, RAPID growth, Reutersberg, dpat") == []


def test_false_friends_hide_the_names_inside_them():
    text = "Thomson Reuters and the Reuters Institute; Michael Bloomberg; Bloomberg Businessweek; told Reuters"
    assert found(text) == [("Reuters", "Reuters", "strong")]


def test_other_meaning_of_an_abbreviation_switches_it_off_in_the_document():
    assert found("the AP cabinet said") == [("AP", "AP", "weak")]
    assert found("the AP cabinet said, Andhra Pradesh officials added") == []
    # Only the weak abbreviation: the full name still counts.
    assert found("Andhra Pradesh officials told the Associated Press") == [("AP", "Associated Press", "strong")]


def test_house_trailer_phrases_are_reported_apart():
    scan = REGISTRY.scan("(Reporting by Will Dunham; Editing by Tom Brown)")
    assert scan.mentions == ()
    assert [(m.code, m.start, m.end) for m in scan.house_trailers] == [("Reuters", 27, 37)]


def test_offsets_index_the_original_text_when_lower_casing_changes_its_length():
    text = "İSTANBUL (AA) - İçişleri Bakanlığı, Anadolu Ajansı'na açıklama yaptı."
    assert text.lower() != text and len(text.lower()) != len(text)
    assert found(text) == [("AA", "AA", "weak"), ("AA", "Anadolu Ajansı", "strong")]


def test_scan_stops_after_max_hits():
    assert len(REGISTRY.scan("Reuters " * (MAX_HITS + 50)).mentions) == MAX_HITS


def test_adding_an_agency_is_a_data_change():
    data = packaged_data()
    data["agency"]["NTB"] = {"name": "Norsk Telegrambyrå", "names": ["Norsk Telegrambyrå"], "weak": ["NTB"]}
    registry = Registry(data)
    assert registry.agencies["NTB"].name == "Norsk Telegrambyrå"
    assert found("OSLO (NTB) - Regjeringen, melder Norsk Telegrambyrå", registry) == [
        ("NTB", "NTB", "weak"),
        ("NTB", "Norsk Telegrambyrå", "strong"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"agency": {"X": {"name": "X", "names": "X News"}}},
        {"agency": {"X": {"name": "X", "names": [""]}}},
        {"agency": ["X"]},
        {"false_friends": "Thomson Reuters"},
        {"agency": {"X": {"names": ["X News"]}}},
    ],
)
def test_malformed_registry_data_is_rejected(data):
    with pytest.raises(ValueError, match="agencies"):
        Registry(data)


def test_every_alias_is_found_by_the_scan():
    # A typo in the data (an alias the trie loses) would make an agency silently unfindable.
    data = packaged_data()
    for code, entry in data["agency"].items():
        for key in ("names", "codes", "weak"):
            for alias in entry.get(key, []):
                hits = found(f"x {alias} x")
                assert hits and hits[0][0] == code and hits[0][1] == alias, (code, alias, hits)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Reuters", [("Reuters", "Reuters", "strong")]),  # at the very start of the text
        ("«Интерфакс» сообщает", [("Interfax", "Интерфакс", "strong")]),
        ("“Reuters”", [("Reuters", "Reuters", "strong")]),
        ("—AP—", [("AP", "AP", "weak")]),
        ("line one\nAFP", [("AFP", "AFP", "weak")]),
        ("_AP 1AP AP_", []),
    ],
)
def test_aliases_start_after_any_character_that_is_not_part_of_a_word(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("told Reuters on Monday", True),
        ("Photo: Jane Doe, AP", True),
        ("据新华社报道", True),
        ("İstanbul Reuters", True),
        ("Thomson", False),
        ("RAPID growth in APAC", False),
        ("", False),
    ],
)
def test_names_any_tells_whether_a_scan_would_find_anything(text, expected):
    assert REGISTRY.names_any(text) is expected
    scan = REGISTRY.scan(text)
    if not expected:
        assert not scan.mentions and not scan.house_trailers
