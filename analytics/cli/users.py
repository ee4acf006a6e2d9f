"""`python -m analytics users add|list|disable|enable|passwd`: accounts from the command line.

A password is read from standard input only (asked twice on a terminal, one line from a pipe), never from the
command line. The JSON keys of `users list --json` are a published interface.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from analytics.access import audit, auth
from analytics.context import open_context
from analytics.core.i18n import t


def _read_password() -> str:
    """From standard input, never from the command line: a TTY asks twice (hidden), a pipe gives one line."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(t("auth.cli.password_prompt"))
        second = getpass.getpass(t("auth.cli.password_again"))
        if first != second:
            raise auth.AuthError(t("auth.error.confirm"))
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise auth.AuthError(t("auth.cli.no_password"))
    return line.rstrip("\r\n")


def add_commands(sub) -> None:
    users = sub.add_parser("users", help=t("auth.cli.help"))
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help=t("auth.cli.add_help"))
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=auth.ROLES)
    add.add_argument("--unit", help=t("auth.cli.unit_help"))
    listing = actions.add_parser("list", help=t("auth.cli.list_help"))
    listing.add_argument("--json", action="store_true")
    for name in ("disable", "enable", "passwd"):
        action = actions.add_parser(name, help=t(f"auth.cli.{name}_help"))
        action.add_argument("name")
    for action in actions.choices.values():
        action.add_argument("--db", type=Path)


def run_users(args) -> int:
    settings = auth.load_auth_settings()
    ctx = open_context(args.db)
    try:
        command = args.users_command
        if command == "list":
            frame = auth.list_accounts(ctx.db)
            accounts = [
                {
                    "name": r.name,
                    "role": r.role,
                    "unit_code": r.unit_code if isinstance(r.unit_code, str) else None,
                    "unit_name": r.unit_name if isinstance(r.unit_name, str) else None,
                    "active": bool(r.active),
                    "created_at": _iso(r.created_at),
                    "last_sign_in_at": _iso(r.last_sign_in_at),
                    "locked_until": _iso(r.locked_until),
                }
                for r in frame.itertuples()
            ]
            if args.json:
                json.dump({"accounts": accounts}, sys.stdout, ensure_ascii=False, indent=2)
                sys.stdout.write("\n")
                return 0
            if not accounts:
                print(t("auth.cli.none", path=ctx.db.path))
            for a in accounts:
                state = t("auth.state.active") if a["active"] else t("auth.state.disabled")
                if a["locked_until"]:
                    state += " · " + t("auth.state.locked")
                unit = f"{a['unit_code']} {a['unit_name'] or ''}".strip() if a["unit_code"] else ""
                print(f"{a['name']:<24}{t('auth.role.' + a['role']):<18}{state:<22}{unit}")
            return 0
        actor = audit.cli_actor()
        if command == "add":
            auth.check_role(args.role, args.unit, ctx.units)  # before asking for a password
            auth.check_name(args.name)
            if auth.get_account(ctx.db, args.name):
                raise auth.AuthError(t("auth.error.exists", name=args.name))
            auth.add_account(ctx.db, args.name, _read_password(), args.role, args.unit, ctx.units, actor, settings)
            print(t("auth.cli.added", name=args.name, role=t("auth.role." + args.role)))
        elif command == "passwd":
            auth.require_account(ctx.db, args.name)
            auth.set_password(ctx.db, args.name, _read_password(), actor, settings)
            print(t("auth.cli.password_changed", name=args.name))
        else:
            auth.set_active(ctx.db, args.name, command == "enable", actor)
            print(t(f"auth.cli.{command}d", name=args.name))
        return 0
    except auth.AuthError as exc:
        print(t("cli.error", detail=exc), file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _iso(value) -> str | None:
    return value.isoformat(sep=" ", timespec="seconds") if value is not None and value == value else None


COMMANDS = {"users": run_users}
