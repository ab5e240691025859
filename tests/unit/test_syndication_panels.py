"""The syndication figures: the stage's Prometheus counters and the dashboard's panels."""

from datetime import UTC, datetime

from wirestream.monitoring import SyndicationBoard, agencies_carried
from wirestream.schemas.syndication import SyndicationRecord
from wirestream.syndication_stage import Metrics

T = 1_718_000_000.0


def rec(article_id, story, *, copies=0, origin=None, basis="inferred", uncredited=()):
    return {
        "id": article_id,
        "story": story,
        "at": datetime.fromtimestamp(T, tz=UTC).isoformat(),
        "shingles": 100,
        "derivation": "wholly" if copies else "none",
        "copies": [
            {"id": f"{story}-src{n}", "derivation": "wholly", "contained": 0.9, "containing": 0.9, "similarity": 0.8}
            for n in range(copies)
        ],
        "origin": {"agency": origin, "article_id": f"{story}-ref", "basis": basis} if origin else None,
        "uncredited_agency_copy": [{"agency": a, "share": 0.8, "source_id": f"{story}-ref"} for a in uncredited],
    }


def test_the_agencies_a_record_carries_are_its_origins_and_its_uncredited_ones():
    assert agencies_carried("AFP", []) == {"AFP"}
    assert agencies_carried("AFP", ["Reuters"]) == {"AFP", "Reuters"}
    assert agencies_carried(None, ["dpa", "dpa"]) == {"dpa"}
    assert agencies_carried(None, []) == set()


def test_the_stage_counts_agency_copy_and_uncredited_copy_per_agency():
    metrics = Metrics()
    for record in [
        rec("a1", "s1", origin="AFP", basis="credited"),  # the agency's own credited copy
        rec("a2", "s1", copies=1, origin="AFP", uncredited=["AFP"]),
        rec("a3", "s1", copies=1, origin="AFP", basis="credited", uncredited=["Reuters"]),
        rec("a4", "s2"),
    ]:
        metrics.record(SyndicationRecord.model_validate(record))

    def value(name, **labels):
        return metrics.registry.get_sample_value(name, labels) or 0.0

    assert value("wirestream_syndication_agency_copy_total", agency="AFP") == 3
    assert value("wirestream_syndication_uncredited_total", agency="AFP") == 1
    assert value("wirestream_syndication_agency_copy_total", agency="Reuters") == 1
    assert value("wirestream_syndication_uncredited_total", agency="Reuters") == 1
    assert value("wirestream_syndication_records_total", derivation="none") == 2


def test_top_stories_rank_by_copies_with_their_most_frequent_origin():
    board = SyndicationBoard(3600)
    board.add(rec("r1", "big", origin="AFP", basis="credited"), T)
    for n in range(3):
        board.add(rec(f"c{n}", "big", copies=1, origin="AFP", uncredited=["AFP"]), T + n)
    board.add(rec("c9", "big", copies=1, origin="Reuters", basis="credited"), T + 5)
    board.add(rec("r2", "small"), T)
    board.add(rec("d1", "small", copies=2), T + 1)
    board.add(rec("lone", "alone"), T)
    snap = board.snapshot(T + 10)
    assert snap["articles"] == 8
    assert snap["stories"] == [
        {"story": "big", "origin": "AFP", "copies": 4, "articles": 5},
        {"story": "small", "origin": None, "copies": 1, "articles": 2},
    ]  # a story without a copy is not a top story


def test_the_uncredited_share_per_agency_is_uncredited_records_over_records_carrying_its_copy():
    board = SyndicationBoard(3600)
    board.add(rec("r1", "s", origin="AFP", basis="credited"), T)
    board.add(rec("c1", "s", copies=1, origin="AFP", uncredited=["AFP"]), T)
    board.add(rec("c2", "s", copies=1, origin="AFP", uncredited=["AFP"]), T)
    board.add(rec("c3", "s", copies=1, origin="AFP", basis="credited", uncredited=["dpa"]), T)
    assert board.snapshot(T)["agencies"] == [
        {"agency": "AFP", "carried": 4, "uncredited": 2, "share": 0.5},
        {"agency": "dpa", "carried": 1, "uncredited": 1, "share": 1.0},
    ]


def test_an_article_counts_once_by_its_latest_record():
    board = SyndicationBoard(3600)
    board.add(rec("c1", "s", copies=1, origin="AFP", uncredited=["AFP"]), T)
    board.add(rec("c1", "s", copies=1, origin="AFP", uncredited=["AFP"]), T + 1)  # written twice
    board.add(rec("c1", "s", copies=1, origin="AFP", basis="credited"), T + 2)  # a version, now credited
    snap = board.snapshot(T + 3)
    assert snap["articles"] == 1
    assert snap["agencies"] == [{"agency": "AFP", "carried": 1, "uncredited": 0, "share": 0.0}]


def test_records_older_than_the_window_drop_out():
    board = SyndicationBoard(600)
    board.add(rec("old", "s1", copies=1, origin="AFP", uncredited=["AFP"]), T)
    board.add(rec("new", "s2", copies=1), T + 500)
    snap = board.snapshot(T + 700)
    assert [s["story"] for s in snap["stories"]] == ["s2"]
    assert snap["agencies"] == [] and snap["articles"] == 1


def test_the_board_keeps_at_most_its_bound_and_ignores_what_is_not_a_record():
    board = SyndicationBoard(3600, max_articles=3)
    for n in range(5):
        board.add(rec(f"c{n}", f"s{n}", copies=1), T + n)
    board.add({"id": 7, "story": "x"}, T)
    board.add({"story": "x"}, T)
    snap = board.snapshot(T + 5)
    assert snap["articles"] == 3
    assert {s["story"] for s in snap["stories"]} == {"s2", "s3", "s4"}
