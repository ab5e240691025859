"""The CLI's help and its answers to the usual mistakes: one clear line with a hint, no traceback."""

from __future__ import annotations

import gzip

import click
import pytest
from click.testing import CliRunner

from tests.conftest import FIXTURES
from wirestream.cli import cli
from wirestream.localbroker import free_port


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()):
    yield prefix
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


@pytest.mark.parametrize("command", list(all_commands()), ids=lambda c: " ".join(c) or "wirestream")
def test_every_command_has_help(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")
    assert len(result.output.splitlines()) > 3


def test_the_commands_the_readme_promises_exist():
    names = {" ".join(c) for c in all_commands()}
    for expected in ("worker", "publish", "tail", "enrich", "topics create", "topics list", "dlq list",
                     "dlq replay", "config", "broker up", "broker down", "broker status"):  # fmt: skip
        assert expected in names


@pytest.fixture
def unreachable(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("WIRESTREAM_BROKER_WAIT_S", "0")


def run(*args: str, input: bytes | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["publish", str(FIXTURES / "rferl-us-iraq-withdrawal.txt")],
        ["tail", "--timeout", "1"],
        ["topics", "list"],
        ["topics", "create"],
        ["dlq", "list"],
        ["dlq", "replay"],
        ["worker"],
    ],  # fmt: skip
    ids=" ".join,
)
def test_broker_unreachable(unreachable, args):
    result = run(*args)
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("error: cannot reach Kafka at 127.0.0.1:")
    assert "make kafka-up" in last and "KAFKA_BOOTSTRAP_SERVERS" in last


def test_missing_file():
    result = run("publish", "/no/such/article.txt")
    assert result.exit_code == 1
    assert result.output == "error: /no/such/article.txt: no such file or folder\n"


def test_folder_without_articles(tmp_path):
    (tmp_path / "LICENSE").write_text("MIT")
    result = run("enrich", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {tmp_path}: folder has no article files (.htm, .html")


def test_unreadable_file(tmp_path):
    broken = tmp_path / "story.txt.gz"
    broken.write_bytes(gzip.compress(b"An article.")[:-6])
    result = run("enrich", str(broken))
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {broken}: cannot read: ")


def test_enrich_reports_inputs_it_would_dead_letter_and_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "good.txt").write_bytes((FIXTURES / "rferl-us-iraq-withdrawal.txt").read_bytes())
    result = CliRunner().invoke(cli, ["enrich", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'empty.txt'}: EmptyArticleError: value is empty or whitespace only" in result.output
    assert '"id":"good.txt"' in result.output  # the path relative to the folder given


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tail", "--bogus"], "No such option: --bogus"),
        (["tail", "--max", "0"], "Invalid value for '--max': 0 is not in the range x>=1."),
        (["publish"], "Missing argument 'PATH...|-'."),
        (["topics", "drop"], "No such command 'drop'."),
    ],
)
def test_bad_options(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "-h' for help." in result.output


def test_invalid_configuration(monkeypatch):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "just-a-hostname")
    result = run("topics", "list")
    assert result.exit_code == 1
    assert result.output.startswith("error: invalid configuration: KAFKA_BOOTSTRAP_SERVERS: ")
    assert "host:port" in result.output


def test_invalid_protocol_names_the_variable(monkeypatch):
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL")
    result = run("config")
    assert result.exit_code == 1
    assert "KAFKA_SECURITY_PROTOCOL" in result.output


def test_sasl_without_credentials(monkeypatch):
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    result = run("topics", "list")
    assert result.exit_code == 1
    assert result.output == (
        "error: KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD\n"
    )


def test_config_masks_secrets(monkeypatch):
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "hunter2-but-longer")
    monkeypatch.setenv("WIRESTREAM_TOPIC_RAW", "news.in")
    result = run("config")
    assert result.exit_code == 0
    assert "hunter2" not in result.output
    assert "KAFKA_SASL_PASSWORD=**********\t# env" in result.output
    assert "WIRESTREAM_TOPIC_RAW=news.in\t# env" in result.output
    assert "WIRESTREAM_TOPIC_ENRICHED=articles.enriched\t# default" in result.output


def test_pretty_record_lists_credits_first_then_the_start_of_the_body():
    from wirestream.cli.articles import pretty

    record = {
        "id": "a1", "title": "Port traffic rises", "language": "en", "word_count": 120,
        "body": "First paragraph.\n\nSecond.\n\nThird.\n\nFourth.",
        "attribution": {"agencies": [
            {"code": "INA", "role": "cited", "evidence": [{"kind": "source"}]},
            {"code": "AP", "role": "photo", "evidence": [{"kind": "photo_credit"}]},
            {"code": "dpa", "role": "credited", "evidence": [{"kind": "trailer"}, {"kind": "dateline"}]},
        ]},
    }  # fmt: skip
    lines = click.unstyle(pretty(record)).splitlines()
    assert lines[:5] == [
        "Port traffic rises",
        "id a1 · en · 120 words",
        "credited dpa (dateline, trailer)",
        "   cited INA (source)",
        "   photo AP (photo_credit)",
    ]
    assert lines[5:] == ["  First paragraph.", "  Second.", "  Third.", "  … 1 more paragraph"]
