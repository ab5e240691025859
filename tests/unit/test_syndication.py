"""The syndication core: shingles, candidates, containment, story, origin, versions, the window."""

import random
import subprocess
import sys

import numpy as np
import pytest

from wirestream.core.syndication import (
    DAY_S,
    Article,
    MinHasher,
    Params,
    SyndicationIndex,
    SyndicationState,
    canonical_url,
    containment,
    shingles,
    story_id,
    tokens,
)

T0 = 1_700_000_000.0
_VOCAB = [f"w{i}" for i in range(5000)]


def paragraph(seed: int, words: int = 60) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCAB) for _ in range(words)) + "."


def body(*seeds: int) -> str:
    return "\n\n".join(paragraph(s) for s in seeds)


def art(id_: str, text: str, at: float, *, credited=(), url=None, title="", content_hash=None) -> Article:
    return Article(
        id=id_,
        body=text,
        at=at,
        title=title,
        url=url,
        credited=tuple(credited),
        content_hash=content_hash or f"h-{hash(text)}",
    )


def test_tokens_split_cjk_into_characters_and_keep_words_elsewhere():
    assert tokens("Der Bundestag hat 2024 entschieden") == ["der", "bundestag", "hat", "2024", "entschieden"]
    assert tokens("東京都は金曜日") == ["東", "京", "都", "は", "金", "曜", "日"]
    assert tokens("Tokyo東京 ＡＢＣ") == ["tokyo", "東", "京", "abc"]


def test_shingles_are_sorted_distinct_and_short_texts_give_one():
    s = shingles(body(1, 2))
    assert s.dtype == np.uint32 and np.all(np.diff(s.astype(np.int64)) > 0)
    assert shingles("only three words").size == 1
    assert shingles("").size == 0
    assert np.array_equal(shingles("A b C d E f"), shingles("a B c D e F"))


def test_cjk_copy_is_found():
    rng = random.Random(3)
    chars = [chr(0x4E00 + i) for i in range(3000)]
    agency = "".join(rng.choice(chars) for _ in range(400))
    index = SyndicationIndex()
    index.observe(art("xinhua-1", agency, T0, credited=["Xinhua"]))
    record = index.observe(art("paper-1", agency[:250] + "。" + "".join(rng.choice(chars) for _ in range(50)), T0 + 60))
    assert [c.id for c in record.copies] == ["xinhua-1"]
    assert record.uncredited_agency_copy[0].agency == "Xinhua"


def test_containment_counts_both_ways():
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    b = np.array([3, 4, 5, 6, 7, 8, 9, 10], dtype=np.uint32)
    assert containment(a, b) == (2, 0.5, 0.25, 0.2)
    assert containment(a, np.zeros(0, dtype=np.uint32)) == (0, 0.0, 0.0, 0.0)


def test_minhash_band_keys_agree_on_identical_sets_and_rarely_on_unrelated():
    hasher = MinHasher(Params())
    one, other = shingles(body(1, 2, 3)), shingles(body(4, 5, 6))
    keys = hasher.band_keys(hasher.signature(one))
    assert len(keys) == 64 and keys == hasher.band_keys(hasher.signature(one.copy()))
    assert not set(keys) & set(hasher.band_keys(hasher.signature(other)))


def test_wholly_partially_and_not_derived():
    index = SyndicationIndex()
    index.observe(art("afp-1", body(1, 2, 3, 4, 5, 6), T0, credited=["AFP"]))
    wholly = index.observe(art("paper-a", body(1, 2, 3, 4), T0 + 60))
    partially = index.observe(art("paper-b", body(2, 3, 90, 91, 92, 93, 94), T0 + 120))
    unrelated = index.observe(art("paper-c", body(95, 96, 97), T0 + 180))
    assert wholly.derivation == "wholly"
    assert wholly.copies[0].id == "afp-1" and wholly.copies[0].contained == 1.0
    assert 0.6 < wholly.copies[0].containing < 0.7
    assert partially.derivation == "partially"
    assert {c.id for c in partially.copies} == {"afp-1", "paper-a"}
    assert unrelated.derivation == "none" and unrelated.copies == []


def test_a_short_agency_story_inside_a_long_article_is_a_partial_copy():
    index = SyndicationIndex()
    index.observe(art("dpa-1", body(7, 8), T0, credited=["dpa"]))
    record = index.observe(art("paper", body(*range(100, 108), 7, 8), T0 + 60))
    assert record.derivation == "partially"
    assert record.copies[0].containing == 1.0 and record.copies[0].contained < 0.25


def test_origin_credited_and_inferred_and_uncredited_copy():
    index = SyndicationIndex()
    ref = index.observe(art("ap-1", body(1, 2, 3), T0, credited=["AP"]))
    credited = index.observe(art("paper-credits", body(1, 2, 3, 40), T0 + 60, credited=["AP"]))
    uncredited = index.observe(art("paper-silent", body(1, 2, 41, 45), T0 + 120))
    second_hand = index.observe(art("paper-copies-paper", body(41, 45, 42), T0 + 180))
    assert ref.origin.model_dump() == {"agency": "AP", "article_id": "ap-1", "basis": "credited"}
    assert credited.origin.model_dump() == {"agency": "AP", "article_id": "ap-1", "basis": "credited"}
    assert credited.uncredited_agency_copy == []
    assert uncredited.origin.model_dump() == {"agency": "AP", "article_id": "ap-1", "basis": "inferred"}
    [flag] = uncredited.uncredited_agency_copy
    assert (flag.agency, flag.source_id) == ("AP", "ap-1") and flag.share > 0.45
    # Shares one paragraph with an uncredited copy only: the agency is inherited through it.
    assert second_hand.origin is not None and second_hand.origin.agency == "AP"
    assert second_hand.origin.basis == "inferred"


def test_crediting_another_agency_does_not_hide_the_copied_one():
    index = SyndicationIndex()
    index.observe(art("afp-1", body(1, 2, 3), T0, credited=["AFP"]))
    record = index.observe(art("paper", body(1, 2, 3), T0 + 60, credited=["dpa"]))
    assert [u.agency for u in record.uncredited_agency_copy] == ["AFP"]
    assert record.origin.agency == "dpa" and record.origin.article_id == "paper"


def test_story_is_the_first_articles_and_does_not_depend_on_arrival_order():
    articles = [
        art("ref", body(1, 2, 3, 4), T0, credited=["Reuters"]),
        art("copy-1", body(1, 2, 3), T0 + 10),
        art("copy-2", body(2, 3, 4, 50), T0 + 20),
        art("other", body(60, 61, 62), T0 + 30),
    ]
    in_order = {r.id: r.story for r in map(SyndicationIndex().observe, articles)}
    assert in_order["copy-1"] == in_order["copy-2"] == in_order["ref"] == story_id("ref")
    assert in_order["other"] == story_id("other")
    # Two partitions interleave differently: the stories come out the same.
    index = SyndicationIndex()
    shuffled = {r.id: r.story for r in map(index.observe, [articles[0], articles[3], articles[2], articles[1]])}
    assert shuffled == in_order


def test_observing_an_article_again_gives_the_same_record():
    index = SyndicationIndex()
    first = [index.observe(a) for a in (art("a", body(1, 2), T0), art("b", body(1, 2, 3), T0 + 1))]
    assert [index.observe(a) for a in (art("a", body(1, 2), T0), art("b", body(1, 2, 3), T0 + 1))] == first


def test_an_article_does_not_copy_a_later_one():
    index = SyndicationIndex()
    index.observe(art("late", body(1, 2, 3), T0 + 100))
    record = index.observe(art("early", body(1, 2, 3), T0))
    assert record.copies == []


def test_a_changed_article_under_the_same_id_is_a_version_not_a_copy():
    index = SyndicationIndex()
    index.observe(art("story-9", body(1, 2, 3), T0, title="Fire in the port"))
    record = index.observe(art("story-9", body(1, 2, 3, 4), T0 + 3600, title="Fire in the port: two hurt"))
    assert record.copies == []
    assert record.version_of.id == "story-9" and record.version_of.match == "id"
    diff = record.version_of.diff
    assert (diff.title_changed, diff.paragraphs_added, diff.paragraphs_removed, diff.paragraphs_changed) == (
        True,
        1,
        0,
        0,
    )
    assert diff.summary == "title changed; 1 paragraph added; 180 -> 240 words"
    assert record.story == story_id("story-9")


def test_the_same_canonical_url_under_another_id_is_a_version():
    index = SyndicationIndex()
    index.observe(art("v1", body(1, 2, 3), T0, url="http://www.example.org/news/fire/?utm_source=x"))
    record = index.observe(art("v2", body(1, 5, 3), T0 + 60, url="https://example.org/news/fire#top"))
    assert record.version_of.id == "v1" and record.version_of.match == "url"
    assert record.version_of.diff.paragraphs_changed == 1
    assert record.copies == []
    assert record.story == story_id("v1")


def test_canonical_url():
    assert (
        canonical_url("HTTP://WWW.Example.org/a/B/?utm_medium=x&id=3&fbclid=9#frag") == "https://example.org/a/B?id=3"
    )
    assert canonical_url("not a url") is None
    assert canonical_url(None) is None


def test_articles_leave_the_window_and_take_their_bands_with_them():
    index = SyndicationIndex(params=Params(window_s=2 * DAY_S))
    index.observe(art("old", body(1, 2, 3), T0, url="https://example.org/old"))
    index.observe(art("mid", body(4, 5, 6), T0 + DAY_S))
    record = index.observe(art("new", body(1, 2, 3), T0 + 3 * DAY_S))
    assert record.copies == []
    state = index.state
    assert set(state.docs) == {"mid", "new"}
    assert not any("old" in ids for ids in state.bands.values())
    assert "https://example.org/old" not in state.urls
    assert all(k >= str(int((T0 + DAY_S) // 3600)) for k in state.expiry)
    # An article older than the window gets a record but is not kept.
    stale = index.observe(art("stale", body(4, 5, 6), T0))
    assert stale.copies == [] and "stale" not in state.docs


def test_memory_is_bounded_by_band_entries_and_document_count():
    index = SyndicationIndex(params=Params(max_band_entries=3, max_docs=5))
    for i in range(40):
        index.observe(art(f"same-{i}", body(1, 2, 3), T0 + i * 7200))
    assert all(len(ids) <= 3 for ids in index.state.bands.values())
    assert len(index.state.docs) <= 5


def test_state_values_are_plain_json():
    import json

    index = SyndicationIndex()
    index.observe(art("a", body(1, 2), T0, credited=["AFP"], url="https://e.org/a"))
    index.observe(art("b", body(1, 2, 9), T0 + 5))
    state = index.state
    for mapping in (state.docs, state.bands, state.urls, state.expiry, state.meta):
        json.dumps(dict(mapping))


def test_state_in_other_mappings_gives_the_same_records():
    class Table(dict):
        """A mapping that round-trips every value through JSON, as a changelog does."""

        def __setitem__(self, key, value):
            import json

            super().__setitem__(key, json.loads(json.dumps(value)))

    articles = [
        art(f"x{i}", body(i % 3, i % 3 + 1, 100 + i), T0 + i, credited=["AFP"] if i == 0 else ()) for i in range(8)
    ]
    index = SyndicationIndex()
    tables = SyndicationIndex(SyndicationState(Table(), Table(), Table(), Table(), Table()))
    plain = [index.observe(a) for a in articles]
    assert [tables.observe(a) for a in articles] == plain


def test_from_record_reads_an_enriched_record():
    record = {
        "id": "r1",
        "body": "text",
        "title": "T",
        "url": "https://e.org/x",
        "published_at": "2024-06-11T10:00:00Z",
        "content_hash": "sha256:" + "0" * 64,
        "attribution": {"credited": ["AFP", "dpa"]},
        "processing": {"received_at": "2024-06-11T10:05:00Z", "processed_at": "2024-06-11T10:05:01Z"},
    }
    article = Article.from_record(record)
    assert article.at == 1718100000.0 and article.credited == ("AFP", "dpa")
    # A publication time after arrival is not believed.
    assert Article.from_record({**record, "published_at": "2030-01-01T00:00:00Z"}).at == 1718100300.0
    assert Article.from_record({**record, "published_at": None}).at == 1718100300.0


@pytest.mark.parametrize("bad", [{"num_perm": 100, "bands": 64}, {"partial": 0.7, "wholly": 0.5}, {"window_s": 0}])
def test_params_are_checked(bad):
    with pytest.raises(ValueError):
        Params(**bad)


def test_the_core_imports_no_kafka_or_faust():
    code = (
        "import sys, wirestream.core.syndication; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'faust', 'aiokafka', 'mode', 'kafka'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reordered_paragraphs_keep_every_shingle():
    index = SyndicationIndex()
    index.observe(art("wire", body(1, 2, 3, 4), T0, credited=["AP"]))
    record = index.observe(art("paper", body(3, 1, 4, 2), T0 + 60))
    assert record.copies[0].contained == 1.0 and record.copies[0].containing == 1.0


def test_one_paragraph_inside_a_long_article_is_found_through_its_own_band_keys():
    index = SyndicationIndex()
    index.observe(art("wire", body(*range(1, 13)), T0, credited=["AFP"]))
    long_local = body(*range(200, 230), 5)
    record = index.observe(art("paper", long_local, T0 + 60))
    [copy] = record.copies
    assert copy.id == "wire" and copy.derivation == "partially"
    assert copy.contained < 0.05 and copy.containing < 0.1
    # The whole-text signatures alone would not make it a candidate: its Jaccard is about 0.02.
    assert copy.similarity < 0.03


def test_a_quote_in_common_is_not_a_copy():
    quote = paragraph(5, words=20)
    index = SyndicationIndex()
    index.observe(art("wire", body(1, 2, 3) + "\n\n" + quote, T0, credited=["AFP"]))
    record = index.observe(art("paper", body(50, 51, 52) + "\n\n" + quote, T0 + 60))
    assert record.copies == [] and record.derivation == "none"


def test_cjk_shingles_are_twice_as_many_characters():
    text = "".join(chr(0x4E00 + i) for i in range(12))
    assert shingles(text).size == 12 - 10 + 1


def test_the_story_follows_the_copy_sharing_most_text():
    footer = paragraph(99, words=70)
    index = SyndicationIndex()
    index.observe(art("site-page", body(60, 61) + "\n\n" + footer, T0))
    wire = index.observe(art("wire", body(1, 2, 3, 4), T0 + 10, credited=["dpa"]))
    record = index.observe(art("paper", body(1, 2, 3, 4) + "\n\n" + footer, T0 + 20))
    assert {c.id for c in record.copies} == {"wire", "site-page"}
    assert record.copies[0].id == "wire"
    assert record.story == wire.story == story_id("wire")
