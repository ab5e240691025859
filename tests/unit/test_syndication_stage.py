"""The syndication stage's parts that need no broker: routing, the band index kept in memory,
and the order in which articles' input events are acknowledged."""

from collections import defaultdict, deque
from types import SimpleNamespace

from aiokafka.partitioner import DefaultPartitioner

from wirestream.core.syndication import Params, rank_candidates, rank_counts
from wirestream.settings import Settings
from wirestream.syndication_stage import (
    BandIndex,
    DocWindow,
    Hold,
    SyndicationStage,
    band_home,
    home,
    internal_topic,
)


def test_home_is_the_default_partitioners_partition_of_the_key():
    partitions = list(range(6))
    for key in ("afp-2024-0611-001", "copy-3", "0d46122928b6f468", "u:https://example.org/a", "1f" + "ab" * 8):
        assert home(key, 6) == DefaultPartitioner()(key.encode(), partitions, partitions)


def test_band_keys_spread_over_every_partition():
    keys = [f"{band:02x}{n:016x}" for band in range(64) for n in range(50)]
    counts = [0] * 6
    for key in keys:
        counts[band_home(key, 6)] += 1
    assert min(counts) > len(keys) / 6 * 0.8


def test_internal_topics_are_named_after_the_stage_group():
    settings = Settings(syndication_app_id="syn-x")
    assert internal_topic(settings, "bands") == "syn-x-syndication-bands"


def test_ranking_by_counts_is_the_cores_ranking_by_hits():
    hits = [["a", "b"], ["b", "c"], ["b", "a"], ["d"], ["c", "x"]]
    counts: dict[str, int] = {}
    for ids in hits:
        for i in ids:
            counts[i] = counts.get(i, 0) + 1
    for exclude, limit in (({"x"}, 10), ({"b", None}, 2), (set(), 1)):
        assert rank_counts(counts, exclude=exclude, limit=limit) == rank_candidates(hits, exclude=exclude, limit=limit)


def test_a_band_lookup_counts_the_keys_each_earlier_article_shares_and_leaves_out_the_asker():
    band = BandIndex(Params())
    band.add(["a", 10.0, ["k1", "k2", "k3"], None, None])
    band.add(["b", 20.0, ["k2"], None, None])
    found, url = band.lookup("c", ["k1", "k2", "k9"], None)
    assert found == {"a": [2, 10.0], "b": [1, 20.0]}
    assert url is None
    found, _ = band.lookup("a", ["k1", "k2"], None)
    assert found == {"b": [1, 20.0]}


def test_a_band_key_keeps_its_latest_ids_and_an_id_added_again_moves_last():
    band = BandIndex(Params(max_band_entries=3))
    for n, article_id in enumerate(["a", "b", "c", "a", "d"]):
        band.add([article_id, float(n), ["k"], None, None])
    assert [i for i, _ in band.keys["k"]] == ["c", "a", "d"]


def test_the_url_answers_the_latest_other_article_at_it():
    band = BandIndex(Params())
    entry = {"id": "a", "at": 5.0, "hash": "h1", "title": "", "paragraphs": []}
    band.add(["a", 5.0, [], "example.org/x", entry])
    _, url = band.lookup("b", [], "example.org/x")
    assert url == entry
    _, url = band.lookup("a", [], "example.org/x")
    assert url is None  # its own entry is no earlier version


def test_entries_older_than_the_window_leave_the_keys_of_expired_postings():
    band = BandIndex(Params())
    old = ["a", 3_600.0 * 10, ["k1", "k2"], None, None]
    new = ["b", 3_600.0 * 20, ["k2"], None, None]
    band.add(old)
    band.add(new)
    band.drop([old], cutoff_hour=15)
    assert "k1" not in band.keys
    assert band.keys["k2"] == [("b", 3_600.0 * 20)]


class _Event:
    def __init__(self, tp: str, offset: int, acked: list[tuple[str, int]]) -> None:
        self.message = SimpleNamespace(tp=tp, offset=offset)
        self._acked = acked

    def ack(self) -> bool:
        self._acked.append((self.message.tp, self.message.offset))
        return True


def _stage(generation: int = 1, rebalancing: bool = False) -> SimpleNamespace:
    app = SimpleNamespace(consumer_generation_id=generation, rebalancing=rebalancing)
    stage = SimpleNamespace(app=app, queues=defaultdict(deque))
    stage.hold = lambda event: SyndicationStage.hold(stage, event)
    stage.done = lambda holds: SyndicationStage.done(stage, holds)
    return stage


def test_an_article_decided_before_an_earlier_one_of_its_partition_waits_for_it_to_be_acknowledged():
    """Faust commits past the first acknowledged offset it finds, gap or not: an article
    decided early must not be acknowledged while an earlier one is still judged."""
    acked: list[tuple[str, int]] = []
    stage = _stage()
    first, second, other = (stage.hold(_Event(tp, n, acked)) for tp, n in (("p0", 5), ("p0", 6), ("p1", 9)))
    stage.done([second, other])
    assert acked == [("p1", 9)]
    stage.done([first])
    assert acked == [("p1", 9), ("p0", 5), ("p0", 6)]


def test_nothing_is_acknowledged_during_a_rebalance_or_from_an_earlier_generation():
    acked: list[tuple[str, int]] = []
    stage = _stage(rebalancing=True)
    hold = stage.hold(_Event("p0", 1, acked))
    stage.done([hold])
    assert acked == []
    stage.app.rebalancing = False
    stale = Hold(_Event("p0", 2, acked), generation=0)
    stage.queues["p0"] = deque([stale])
    stage.done([stale])
    assert acked == []


def test_a_partitions_share_of_the_index_is_bounded_by_dropping_its_oldest_hours():
    """`WIRESTREAM_SYNDICATION_MAX_ARTICLES` over 2 partitions: 2 articles each at most."""
    stage = SimpleNamespace(params=Params(max_docs=4), partitions=2, docs={})
    stage._evict = lambda window, hour: SyndicationStage._evict(stage, window, hour)
    window = DocWindow()
    for article_id, hour in (("a", 1), ("b", 2), ("c", 2)):
        stage.docs[article_id] = {"at": hour * 3_600.0}
        SyndicationStage._keep(stage, window, article_id, hour * 3_600.0)
    assert set(stage.docs) == {"b", "c"}
    assert window.count == 2
    stage.docs["d"] = {"at": 3 * 3_600.0}
    SyndicationStage._keep(stage, window, "d", 3 * 3_600.0)
    assert set(stage.docs) == {"d"}  # the whole oldest hour goes, as in the twin


def test_a_new_version_of_an_article_leaves_the_keys_and_url_it_no_longer_has():
    """As in the twin, which unlinks the version it replaces before it stores the new one."""
    band = BandIndex(Params())
    first = {"id": "a", "at": 1.0, "hash": "h1", "title": "", "paragraphs": []}
    band.add(["a", 1.0, ["k1", "k2"], "example.org/old", first])
    band.add(["b", 2.0, ["k2"], None, None])
    second = {"id": "a", "at": 3.0, "hash": "h2", "title": "", "paragraphs": []}
    band.add(["a", 3.0, ["k2", "k3"], "example.org/new", second])
    assert "k1" not in band.keys
    assert band.keys["k2"] == [("b", 2.0), ("a", 3.0)]  # kept, and moved last
    assert band.lookup("z", [], "example.org/old")[1] is None
    assert band.lookup("z", [], "example.org/new")[1] == second


def test_the_latest_article_at_a_url_replaces_the_one_before():
    band = BandIndex(Params())
    for n, article_id in enumerate(["a", "b", "a"]):
        entry = {"id": article_id, "at": float(n), "hash": f"h{n}", "title": "", "paragraphs": []}
        band.add([article_id, float(n), [], "example.org/x", entry])
    assert band.lookup("z", [], "example.org/x")[1]["hash"] == "h2"


def test_table_entries_name_their_changelog_partition_whichever_event_is_being_handled():
    """Docs and marks go to their article's partition, postings to their band partition: a
    step that runs in-process for another partition writes where that partition's owner reads."""
    from wirestream.syndication_stage import PlacedTable, _posting_partition

    table = PlacedTable.__new__(PlacedTable)
    table.place = lambda key: home(key, 6)
    for article_id in ("afp-1", "copy-3", "x"):
        assert table.partition_for_key(article_id) == home(article_id, 6)
    assert _posting_partition("4:17") == 4
