from collections.abc import Iterator

import pytest

from tests.integration.kafka_support import Deployment, running_broker
from wirestream.localbroker import LocalBroker


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def kafka(tmp_path_factory) -> Iterator[LocalBroker]:
    """One real single-node KRaft broker for the whole session, on a free port."""
    with running_broker(tmp_path_factory.mktemp("kafka")) as broker:
        yield broker


@pytest.fixture
def deployment(kafka, tmp_path) -> Deployment:
    return Deployment(bootstrap=kafka.bootstrap, workdir=tmp_path)
