"""No impossible metadata value on real pages of both corpora, from their HTML and from their text.

The pages under tests/fixtures/metadata/ are copies from the fundus and AEB corpora (licences
beside them), chosen for what breaks metadata: the site's name, a Facebook URL or a newsroom as
the author, an agency credit in the byline, a wire story. Each runs at its crawl time and again at
a message time long before it was written, when no page date is possible at all.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wirestream.core.agencies import REGISTRY
from wirestream.enrich import InputMessage, enrich_message
from wirestream.schemas.article import EnrichedArticle

FIXTURES = Path(__file__).parent.parent / "fixtures" / "metadata"
EARLY = datetime(2005, 1, 1, tzinfo=UTC)
# Written here, not taken from the code under test.
NEWSROOM = re.compile(
    r"\b(staff|redaktion|newsroom|news desk|desk|editorial|rédaction|redacción|redazione|admin)\b", re.IGNORECASE
)
NOT_A_NAME = re.compile(r"https?:|www\.|@|\d|\.(com|de|org|net|co)\b", re.IGNORECASE)


def _pages() -> list[tuple[str, str, dict]]:
    pages = []
    for corpus in ("fundus", "aeb"):
        for line in (FIXTURES / corpus / "pages.jsonl").read_text(encoding="utf-8").splitlines():
            pages.append((corpus, json.loads(line)["id"], json.loads(line)))
    return pages


def _squeeze(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def impossible_values(record: EnrichedArticle, message_time: datetime, url: str | None) -> list[str]:
    """What no consumer should ever be handed: each problem as a line."""
    problems = []
    latest = message_time + timedelta(days=1)
    for name in ("published_at", "modified_at"):
        value = getattr(record, name)
        if value is not None:
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            if aware.year < 1990 or aware > latest:
                problems.append(f"{name} {value.isoformat()} outside 1990 .. message time + 1 day")
    site_names = {_squeeze(record.publisher or "")}
    host = urlsplit(url or "").hostname or ""
    site_names.add(_squeeze(host.removeprefix("www.").rsplit(".", 1)[0]))
    site_names.discard("")
    for author in record.authors:
        if not author.strip() or NOT_A_NAME.search(author) or NEWSROOM.search(author):
            problems.append(f"author {author!r} is not a person's name")
        if _squeeze(author) in site_names:
            problems.append(f"author {author!r} is the site's name")
        if any(m.strength == "strong" for m in REGISTRY.scan(author).mentions):
            problems.append(f"author {author!r} names an agency")
    if record.canonical_url is not None and urlsplit(record.canonical_url).scheme not in ("http", "https"):
        problems.append(f"canonical_url {record.canonical_url!r} is not a web address")
    if record.title is not None and not record.title.strip():
        problems.append("title is blank")
    return problems


@pytest.mark.parametrize(("corpus", "page_id", "page"), _pages(), ids=[f"{c}/{i}" for c, i, _ in _pages()])
@pytest.mark.parametrize("path", ["html", "text"])
def test_no_impossible_value(corpus: str, page_id: str, page: dict, path: str) -> None:
    folder = FIXTURES / corpus
    if path == "html":
        content = gzip.decompress((folder / f"{page_id}.html.gz").read_bytes())
        value = json.dumps({"html": content.decode("utf-8", "replace"), "url": page["url"]}).encode()
    else:
        value = (folder / f"{page_id}.txt").read_bytes()
    crawled = datetime.fromisoformat(page["message_time"])
    for message_time in (crawled, EARLY):
        msg = InputMessage(value=value, timestamp_ms=int(message_time.timestamp() * 1000))
        record = enrich_message(msg, max_bytes=len(value) + 1, processed_at=crawled)
        url = page["url"] if path == "html" else None
        assert impossible_values(record, message_time, url) == []


def test_the_sample_holds_what_it_is_for() -> None:
    """The pages still carry the traps this test is about (a check on the fixture, not the code)."""
    hessenschau = gzip.decompress((FIXTURES / "fundus" / "de-Hessenschau_2024_04_27.html.gz").read_bytes())
    assert b'"Redaktion hessenschau.de"' in hessenschau
    lesotho = gzip.decompress((FIXTURES / "fundus" / "ls-LesothoTimes_2025_11_24.html.gz").read_bytes())
    assert b'content="https://www.facebook.com/lesothotimez"' in lesotho
    assert (FIXTURES / "fundus" / "LICENSE").exists() and (FIXTURES / "aeb" / "LICENSE").exists()
