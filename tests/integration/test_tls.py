"""SASL_SSL on the real broker: with the CA file given, the worker and the CLI work over TLS;
without it, the handshake fails with one clear line."""

import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from tests.integration.kafka_support import Deployment, running_broker

PASSWORD = "correct-horse-battery-staple-tls"


def make_ca_and_server_keystore(folder: Path) -> tuple[Path, Path]:
    """A throwaway CA, and a PEM keystore (key + certificate) for 127.0.0.1 signed by it."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=wirestream test CA")  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"
    )
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", "2", "-extfile", "san.cnf")  # fmt: skip
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "server.key", "-out", "server.pk8")
    keystore = folder / "server.pem"
    keystore.write_bytes((folder / "server.pk8").read_bytes() + (folder / "server.crt").read_bytes())
    return folder / "ca.pem", keystore


@pytest.fixture(scope="module")
def tls_broker(tmp_path_factory):
    assert shutil.which("openssl"), "openssl makes the test certificates"
    ca, keystore = make_ca_and_server_keystore(tmp_path_factory.mktemp("tls"))
    home = tmp_path_factory.mktemp("kafka-tls")
    with running_broker(home, scram_users={"wire": PASSWORD}, tls_keystore=keystore) as broker:
        yield broker, ca


@pytest.fixture
def over_tls(tls_broker, tmp_path) -> Deployment:
    broker, ca = tls_broker
    return Deployment(
        bootstrap=broker.sasl_bootstrap,
        workdir=tmp_path,
        extra_env={
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_USERNAME": "wire",
            "KAFKA_SASL_PASSWORD": PASSWORD,
            "KAFKA_SSL_CAFILE": str(ca),
        },
    )


def test_worker_and_cli_over_tls_with_the_ca_file(over_tls, fixture_article):
    assert over_tls.cli("topics", "create").returncode == 0
    worker = over_tls.worker().wait_ready()
    try:
        assert over_tls.cli("publish", "-", input=fixture_article).returncode == 0
        tailed = over_tls.cli("tail", "--json", "--from-beginning", "--max", "1", "--timeout", "30")
    finally:
        worker.terminate()
    assert tailed.returncode == 0, tailed.stderr
    assert set(orjson.loads(tailed.stdout)["attribution"]["credited"]) == {"AFP", "dpa", "Reuters"}
    assert PASSWORD not in worker.logs


def test_without_the_ca_file_the_handshake_fails_clearly(over_tls):
    result = over_tls.cli("topics", "list", KAFKA_SSL_CAFILE="")
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines()[-1] == (
        f"error: TLS handshake with {over_tls.bootstrap} failed "
        "(check KAFKA_SSL_CAFILE, KAFKA_SSL_CHECK_HOSTNAME and KAFKA_SECURITY_PROTOCOL)"
    )


def test_a_missing_ca_file_is_a_configuration_error(over_tls):
    result = over_tls.cli("topics", "list", KAFKA_SSL_CAFILE="/nowhere/ca.pem")
    assert result.returncode == 1
    assert result.stderr.decode().startswith("error: cannot load TLS files (KAFKA_SSL_CAFILE / KAFKA_SSL_CERTFILE): ")
