"""docker-compose.yml cannot run here (no Docker engine), so check it statically."""

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from wirestream.localbroker import KAFKA_VERSION


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_kafka_is_the_official_image_of_the_local_broker_version_with_a_healthcheck(compose):
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == f"apache/kafka:{KAFKA_VERSION}"
    assert "broker,controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]
    assert kafka["environment"]["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert kafka["healthcheck"]["test"]
    assert all(port.startswith("127.0.0.1:") for port in kafka.get("ports", []))


def test_topics_are_created_once_the_broker_is_healthy(compose):
    topics = compose["services"]["topics"]
    assert topics["command"] == ["topics", "create"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert topics["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


def test_worker_is_built_here_scales_and_waits_for_topics(compose):
    worker = compose["services"]["worker"]
    assert worker["build"] == "."
    assert "ports" not in worker, "fixed host ports would break `--scale worker=N`"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert worker["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"
    assert worker["environment"]["WIRESTREAM_WEB_HOST"] == "0.0.0.0"
    assert "/health" in " ".join(worker["healthcheck"]["test"])


def test_producer_publishes_sample_files_that_exist(compose):
    producer = compose["services"]["producer"]
    assert producer["depends_on"]["worker"]["condition"] == "service_healthy"
    command = producer["command"]
    assert command[0] == "publish"
    for path in command[1:]:
        assert (REPO / path).is_file(), path


def test_prometheus_is_optional_and_scrapes_the_workers(compose):
    prometheus = compose["services"]["prometheus"]
    assert prometheus["profiles"] == ["metrics"]
    config = yaml.safe_load(compose["configs"]["prometheus"]["content"])
    sd = config["scrape_configs"][0]["dns_sd_configs"][0]
    assert sd["names"] == ["worker"] and sd["port"] == 6066


def test_every_service_names_an_image_or_a_build(compose):
    for name, service in compose["services"].items():
        assert "image" in service or "build" in service, name


def test_dockerfile_copies_paths_that_exist():
    dockerfile = (REPO / "Dockerfile").read_text()
    for line in dockerfile.splitlines():
        match = re.match(r"COPY (.+) \S+$", line)
        if match:
            for source in match.group(1).split():
                assert (REPO / source).exists(), source
    assert 'ENTRYPOINT ["wirestream"]' in dockerfile


def test_package_list_covers_every_package_directory():
    """A non-editable install (the Docker image) ships only the listed packages."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        "wirestream" + ".".join([""] + list(p.parent.relative_to(REPO / "services" / "wirestream").parts))
        for p in (REPO / "services" / "wirestream").rglob("__init__.py")
    }
    assert found - {"wirestream.schemas"} <= listed
    assert Path(REPO / config["package-dir"]["wirestream.schemas"], "__init__.py").exists()
