"""word_count (issue 14, item 8): words for spaced scripts, characters for Chinese and Japanese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wirestream.core.text import count_words
from wirestream.enrich import InputMessage, enrich_message


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The minister said the talks would resume on Tuesday.", 9),
        ("Der Hafen meldet 3,5 Prozent mehr Umschlag.", 8),
        ("서울에서 회의가 열렸다", 3),  # Korean is written with spaces: words
        ("東京都は3日", 6),  # each kanji and kana counts, and the number once
        ("美国总统周一表示，将加征关税。", 13),
        ("iPhone 15は日本で発売", 8),
        ("ｶﾀｶﾅ", 4),  # half-width katakana
        ("", 0),
    ],
)
def test_count_words(text: str, count: int) -> None:
    assert count_words(text) == count


CHINESE = (
    "新华社北京3日电 国务院总理周三主持召开国务院常务会议，部署进一步稳定外贸的政策措施，"
    "会议指出，今年以来外贸总体保持平稳增长，但面临的不确定因素明显增多。"
)
JAPANESE = (
    "東京電力は火曜日、福島第一原子力発電所の処理水の放出を再開したと発表した。"
    "放出は今年度三回目で、約七千八百トンを十七日間かけて海に流す計画だという。"
)


@pytest.mark.parametrize("body", [CHINESE, JAPANESE], ids=["zh", "ja"])
def test_the_record_counts_each_chinese_or_japanese_character(body: str) -> None:
    value = f"見出し\n\n{body}".encode()
    record = enrich_message(InputMessage(value=value), max_bytes=len(value), processed_at=datetime.now(UTC))
    characters = sum(1 for c in record.body if c.isalnum() and not c.isascii())
    assert record.word_count >= characters - 5  # digits in a run ("3日") count once
    assert record.word_count > 60


def test_the_record_counts_english_words() -> None:
    value = b"Storm hits the coast\n\nA storm hit the coast on Monday, cutting power to thousands of homes."
    record = enrich_message(InputMessage(value=value), max_bytes=len(value), processed_at=datetime.now(UTC))
    assert record.word_count == 13
