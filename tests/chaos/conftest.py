import shutil

import pytest

from tests.conftest import REPO
from wirestream.localbroker import LocalBroker, free_port


def pytest_collection_modifyitems(items):
    for item in items:
        if "/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="module")
def chaos_broker(tmp_path_factory):
    """A broker of the module's own: some scenarios kill it."""
    home = tmp_path_factory.mktemp("kafka-chaos")
    broker = LocalBroker(home=home, port=free_port(), cache=REPO / ".kafka")
    broker.start(timeout=180)
    yield broker
    broker.stop()
    shutil.rmtree(home, ignore_errors=True)
