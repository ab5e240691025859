import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import REPO
from tests.integration.kafka_support import Deployment
from wirestream.localbroker import LocalBroker, free_port


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory) -> Iterator[LocalBroker]:
    """One real single-node KRaft broker for the whole session, on a free port."""
    home = tmp_path_factory.mktemp("kafka")
    broker = LocalBroker(home=home, port=free_port(), cache=REPO / ".kafka")
    broker.start(timeout=180)
    yield broker
    broker.stop()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def deployment(kafka, tmp_path) -> Deployment:
    return Deployment(bootstrap=kafka.bootstrap, workdir=tmp_path)
