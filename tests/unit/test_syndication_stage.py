"""The syndication stage's routing: an article's home is its enriched record's partition."""

from aiokafka.partitioner import DefaultPartitioner

from wirestream.settings import Settings
from wirestream.syndication_stage import home, internal_topic


def test_home_is_the_default_partitioners_partition_of_the_key():
    partitions = list(range(6))
    for key in ("afp-2024-0611-001", "copy-3", "0d46122928b6f468", "u:https://example.org/a", "1f" + "ab" * 8):
        assert home(key, 6) == DefaultPartitioner()(key.encode(), partitions, partitions)


def test_internal_topics_are_named_after_the_stage_group():
    settings = Settings(syndication_app_id="syn-x")
    assert internal_topic(settings, "bands") == "syn-x-syndication-bands"
