import pytest

from tests.integration.kafka_support import running_broker


def pytest_collection_modifyitems(items):
    for item in items:
        if "/chaos/" in str(item.fspath):
            item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="module")
def chaos_broker(tmp_path_factory):
    """A broker of the module's own: some scenarios kill it."""
    with running_broker(tmp_path_factory.mktemp("kafka-chaos")) as broker:
        yield broker
