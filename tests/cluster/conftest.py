import shutil

import pytest

from tests.integration.kafka_support import JAR_CACHE
from wirestream.localbroker import LocalCluster, free_port


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Three KRaft nodes on free ports for the module; each scenario leaves all three running."""
    home = tmp_path_factory.mktemp("kafka-cluster")
    local = LocalCluster(home, size=3, port=free_port(), cache=JAR_CACHE)
    local.start(timeout=300)
    try:
        yield local
    finally:
        local.kill()
        shutil.rmtree(home, ignore_errors=True)
