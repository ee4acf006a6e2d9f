"""What the command groups share: argument types, JSON output and a failed command's sentence and exit code.

Its JSON output is a published interface: add keys, never rename.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

from analytics.core.i18n import t

if TYPE_CHECKING:
    from analytics.access.auth import Account
    from analytics.store.database import Database

EXIT_IO = 4  # the store or an output file could not be written (disk full, read-only): nothing half-written


def date(value: str) -> dt.date:
    """An argparse type: YYYY-MM-DD, refused in the catalogue's words."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.error.date", value=value)) from None


def print_json(document: dict) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def one_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def fail(args, code: int, message: str, **document) -> int:
    """A command that could not do its work: the Vietnamese sentence on stderr and, under --json, a document
    {..., "error", "exit_code"} on stdout too, so a script reading the JSON always gets one."""
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        print_json({**document, "error": message, "exit_code": code})
    return code


class NoSuchAccount(LookupError):
    """--user names no active account (once accounts exist); the message is the sentence to print."""


def acting_account(db: "Database", name: str | None) -> "Account | None":
    """The account a command acts as: --user once accounts exist, with its role and scope; None for this
    machine's operator (no --user, or no account yet)."""
    from analytics.access import auth

    if not name or not auth.account_count(db):
        return None
    account = auth.get_account(db, name)
    if account is None or not account.active:
        raise NoSuchAccount(t("ingest.cli.no_such_account", name=name))
    return account
