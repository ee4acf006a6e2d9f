"""`python -m analytics`: the parser, the dispatch and the exit codes every command shares.

A command imports what it uses when it runs (pandas, openpyxl, python-docx, argon2 cost a command that does not
need them up to a second): keep module-level imports here and in the command groups light.
"""

from __future__ import annotations

import argparse
import sys

from analytics.cli import demo, export, intake, reports, status, users
from analytics.cli.common import EXIT_IO, fail, one_line
from analytics.core.i18n import t
from analytics.reference.plan import PlanError
from analytics.store import database as store
from analytics.store.database import StoreError, StoreLockedError, StoreWriteError, is_write_failure

GROUPS = (demo, status, users, export, intake, reports)  # the order of `--help`
COMMANDS = {name: run for group in GROUPS for name, run in group.COMMANDS.items()}


def _argparse_words(text: str) -> str:
    """argparse's own messages (usage, errors, help headings) through the catalogue ("argparse.<English>")."""
    worded = t(f"argparse.{text}")
    return text if worded == f"argparse.{text}" else worded


def build_parser() -> argparse.ArgumentParser:
    argparse._ = _argparse_words  # argparse looks its messages up through its module-level gettext alias
    parser = argparse.ArgumentParser(prog="python -m analytics", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.add_commands(sub)
    return parser


def _say_busy(seconds: float) -> None:
    print(t("store.busy_wait", seconds=f"{seconds:g}"), file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store.default_on_busy = _say_busy  # a command waiting for the dashboard to let the file go says so
    try:
        return COMMANDS[args.command](args)
    except StoreLockedError as exc:
        return fail(args, 3, str(exc))
    except (StoreError, PlanError) as exc:
        return fail(args, 2, t("cli.error", detail=exc))
    except BrokenPipeError:  # the reader (head, a pager) stopped early: not an error of ours
        sys.stderr.close()
        return 0
    except StoreWriteError as exc:
        return fail(args, EXIT_IO, t("cli.error", detail=exc))
    except OSError as exc:  # disk full, read-only folder... while writing a file of ours
        return fail(args, EXIT_IO, t("cli.error", detail=t("cli.error.io", detail=exc.strerror or exc)))
    except Exception as exc:
        if not is_write_failure(exc):
            raise
        return fail(args, EXIT_IO, t("cli.error", detail=t("cli.error.io", detail=one_line(exc))))
