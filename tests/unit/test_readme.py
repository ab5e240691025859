"""The README is part of the product: it must name every setting and command it promises."""

import re

from tests.conftest import REPO
from tests.unit.test_cli import all_commands
from wirestream.settings import Settings

README = (REPO / "README.md").read_text()


def test_every_setting_is_documented():
    undocumented = [v for v in Settings().masked() if f"`{v}`" not in README]
    assert not undocumented


def test_every_documented_variable_exists():
    documented = set(re.findall(r"`((?:KAFKA|WIRESTREAM)_[A-Z_]+)`", README))
    assert documented <= set(Settings().masked()), documented - set(Settings().masked())


def documented_commands(readme: str) -> set[tuple[str, ...]]:
    """Commands shown as `wirestream <command> [<subcommand>]`; `wirestream broker up | down`
    shows two subcommands."""
    found: set[tuple[str, ...]] = set()
    for first, second, more in re.findall(
        r"wirestream ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?((?: \| [a-z][a-z-]*)*)", readme
    ):
        found.add((first,))
        if second:
            found.update((first, sub) for sub in [second, *re.findall(r"[a-z][a-z-]*", more)])
    return found


def test_every_command_is_documented():
    undocumented = [command for command in all_commands() if command and command not in documented_commands(README)]
    assert not undocumented


def test_documented_commands_are_read_whole():
    found = documented_commands("wirestream broker up | down\nwirestream topics list\nwirestream worker  # run")
    assert found == {("broker",), ("broker", "up"), ("broker", "down"), ("topics",), ("topics", "list"), ("worker",)}
    assert ("topics", "create") not in documented_commands("wirestream topics list  # not topics create")


def test_the_two_commands_come_first():
    head = README[: README.index("## How it flows")]
    assert "make demo" in head and "make test" in head


def test_make_targets_named_in_the_readme_exist():
    makefile = (REPO / "Makefile").read_text()
    for target in set(re.findall(r"make ([a-z][a-z-]+)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target
