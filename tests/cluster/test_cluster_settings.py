"""The replication settings of a local cluster's nodes and of the topics wirestream creates:
plain values, no broker (these run in `make test`)."""

from __future__ import annotations

import pytest

from wirestream.localbroker import LocalBroker, LocalBrokerError, LocalCluster
from wirestream.settings import Settings
from wirestream.topics import min_insync_replicas, wanted_topics


def properties(broker: LocalBroker) -> dict[str, str]:
    text = broker._server_properties()
    return dict(line.split("=", 1) for line in text.splitlines())


@pytest.mark.parametrize(("replication", "required"), [(1, 1), (2, 1), (3, 2), (5, 2)])
def test_acknowledged_writes_need_two_replicas_from_three_on(replication, required):
    assert min_insync_replicas(replication) == required


def test_topics_replicated_three_times_refuse_writes_below_two_replicas_and_unclean_leaders():
    topics = wanted_topics(Settings(topic_replication_factor=3))
    for topic in topics:
        assert topic.replication_factor == 3
        assert topic.topic_configs["min.insync.replicas"] == "2"
        assert topic.topic_configs["unclean.leader.election.enable"] == "false"


def test_unreplicated_topics_carry_no_replication_settings():
    for topic in wanted_topics(Settings()):
        assert set(topic.topic_configs) == {"max.message.bytes"}


def test_a_single_broker_is_configured_as_before(tmp_path):
    props = properties(LocalBroker(home=tmp_path, port=19092, controller_port=19093))
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["default.replication.factor"] == props["offsets.topic.replication.factor"] == "1"
    assert props["min.insync.replicas"] == "1"
    assert (props["broker.heartbeat.interval.ms"], props["broker.session.timeout.ms"]) == ("500", "3000")


def test_cluster_nodes_share_a_quorum_and_replicate_everything_three_times(tmp_path):
    plan = {
        "cluster_id": "AAAAAAAAAAAAAAAAAAAAAA",
        "nodes": [{"node_id": n, "port": 19090 + n, "controller_port": 19190 + n} for n in (1, 2, 3)],
    }
    cluster = LocalCluster(tmp_path, size=3)
    nodes = cluster._make_nodes(plan)
    voters = "1@127.0.0.1:19191,2@127.0.0.1:19192,3@127.0.0.1:19193"
    for n, node in enumerate(nodes, start=1):
        props = properties(node)
        assert props["node.id"] == str(n)
        assert props["controller.quorum.voters"] == voters
        assert props["listeners"].startswith(f"PLAINTEXT://127.0.0.1:{19090 + n},")
        for key in ("default.replication.factor", "offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor"):  # fmt: skip
            assert props[key] == "3", key
        assert props["min.insync.replicas"] == props["transaction.state.log.min.isr"] == "2"
        assert props["unclean.leader.election.enable"] == "false"


def test_a_cluster_keeps_its_size(tmp_path):
    (tmp_path / "cluster.json").write_text(
        '{"cluster_id": "x", "nodes": [{"node_id": 1, "port": 1, "controller_port": 2}]}'
    )
    with pytest.raises(LocalBrokerError, match="holds a cluster of 1 nodes, not 3"):
        LocalCluster(tmp_path, size=3)
