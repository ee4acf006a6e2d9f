"""The README stays complete: every command-line sub-command and every page is documented."""

import re

from analytics.cli.main import COMMANDS
from analytics.core.i18n import t
from tests.fixtures import ROOT
from ui.navigation import PAGES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme():
    documented = set(re.findall(r"python -m analytics (\w+)", README))
    missing = sorted(set(COMMANDS) - documented)
    assert not missing, f"README lacks: {missing}"


def test_the_two_commands_are_in_the_readme_and_ci_runs_the_test_one():
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_page_is_named_in_the_readme():
    missing = [
        t(spec.title_key, "vi")
        for spec in PAGES
        if (ROOT / spec.path).exists() and t(spec.title_key, "vi") not in README
    ]
    assert not missing, f"README never names: {missing}"
