"""The README is part of the product: it must name every setting and command it promises."""

import re

from tests.conftest import REPO
from tests.unit.test_cli import all_commands
from wirestream.settings import Settings

README = (REPO / "README.md").read_text()


def test_every_setting_is_documented():
    for variable in Settings().masked():
        assert f"`{variable}`" in README or f"`{variable}`," in README or variable in README, variable


def test_every_documented_variable_exists():
    documented = set(re.findall(r"`((?:KAFKA|WIRESTREAM)_[A-Z_]+)`", README))
    assert documented <= set(Settings().masked()), documented - set(Settings().masked())


def test_every_command_is_documented():
    for command in all_commands():
        if command:
            assert f"wirestream {' '.join(command)}" in README or command[-1] in README, command


def test_the_two_commands_come_first():
    head = README[: README.index("## How it flows")]
    assert "make demo" in head and "make test" in head


def test_make_targets_named_in_the_readme_exist():
    makefile = (REPO / "Makefile").read_text()
    for target in set(re.findall(r"make ([a-z][a-z-]+)", README)):
        assert re.search(rf"^{target}:", makefile, re.M), target
