from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_article() -> bytes:
    return (FIXTURES / "rferl-us-iraq-withdrawal.txt").read_bytes()
