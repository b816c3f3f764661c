"""`facilitator hub init|grant|revoke` and `facilitator sync`: the agency hub from the command line.

Every refusal is one line on stderr, exit 1, with the database and the hub left as they were. The hub's
driver (psycopg) is loaded only here, and only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from facilitator.cli.paths import fail

# For the tests of a sync killed part way: the step to stop at ("push", "pushed" or "pull"), waiting on stdin.
PAUSE_ENV = "FACILITATOR_SYNC_PAUSE_AT"
DSN_HELP = "the hub: a PostgreSQL connection string or URI (credentials from pgpass, a service file or PG*)"


def add_hub_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    hub = commands.add_parser(
        "hub",
        help="set up the agency hub and assign groups to roles",
        description="Set up the agency hub in a PostgreSQL database, and say which roles sync which groups.",
    )
    actions = hub.add_subparsers(dest="hub_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create (or upgrade) the hub in an existing PostgreSQL database",
        description="Create the hub's tables, policies and views; running it again is harmless.",
    )
    init.add_argument("--dsn", required=True, metavar="DSN", help=DSN_HELP)
    for name, verb in (("grant", "let a role sync a group"), ("revoke", "take a group away from a role")):
        action = actions.add_parser(name, help=verb, description=f"{verb[0].upper()}{verb[1:]} on the hub.")
        action.add_argument("role", metavar="ROLE", help="an existing PostgreSQL role")
        what = action.add_mutually_exclusive_group(required=True)
        what.add_argument("--group", metavar="NAME|ID", help="a group's id, name or the start of its name")
        what.add_argument(
            "--supervisor", action="store_true", help="reading every group de-identified (no names)"
        )
        if name == "grant":
            what.add_argument(
                "--facilitator",
                action="store_true",
                help="syncing, with no group yet (a group it brings first is assigned to it)",
            )
        action.add_argument("--hub", required=True, metavar="DSN", help=DSN_HELP)
    sync = commands.add_parser(
        "sync",
        parents=[db_option],
        help="push this laptop's changes to the agency hub and pull the others'",
        description="Push what changed here since the last sync, pull what changed elsewhere in your groups, "
        "and merge as bundles do (where two laptops changed one record, one version goes to the conflict "
        "log). The first sync with --hub remembers the hub, without any password.",
    )
    sync.add_argument("--hub", metavar="DSN", help=DSN_HELP)


def run_hub(args: argparse.Namespace) -> int:
    from facilitator.display import one_line
    from facilitator.sync.hub.connection import HubError, where

    try:
        if args.hub_action == "init":
            from facilitator.sync.hub.schema import init_hub

            before, now = init_hub(args.dsn)
            if before == now:
                print(f"The hub at {one_line(where(args.dsn))} is set up already (hub schema {now}).")
            else:
                print(f"The hub at {one_line(where(args.dsn))} is ready (hub schema {now}).")
            return 0
        return _grant_or_revoke(args)
    except HubError as error:
        return fail(one_line(str(error)))


def _grant_or_revoke(args: argparse.Namespace) -> int:
    from facilitator.display import one_line
    from facilitator.sync.hub.access import grant, revoke

    role = one_line(args.role)
    if args.hub_action == "grant":
        found = grant(args.hub, args.role, group=args.group, supervisor=args.supervisor)
        if args.supervisor:
            print(f"{role} reads every group on the hub, de-identified.")
        elif found is None:
            print(f"{role} may sync with the hub; a group it brings first is assigned to it.")
        else:
            print(f"{role} syncs the group {_named(found.id, found.name)}.")
        return 0
    found = revoke(args.hub, args.role, group=args.group, supervisor=args.supervisor)
    if found is None:
        print(f"{role} no longer reads the groups de-identified.")
    else:
        print(
            f"{role} no longer syncs the group {_named(found.id, found.name)}; its laptop keeps what it has."
        )
    return 0


def _named(group_id: str, name: str) -> str:
    from facilitator.display import one_line

    return f"“{one_line(name)}” ({group_id})" if name else group_id


def run_sync(args: argparse.Namespace, *, db_path: Path) -> int:
    from facilitator.cli.app import open_store
    from facilitator.display import one_line
    from facilitator.store import StoreError
    from facilitator.sync.hub.connection import HubError, driver
    from facilitator.sync.hub.exchange import sync
    from facilitator.sync.hub.report import report_lines

    try:
        driver()  # before the database is opened: without the driver, nothing is touched
        with open_store(db_path) as store:
            report = sync(store, dsn=args.hub, now=datetime.now(UTC), step=_pause_for_tests())
    except (HubError, StoreError) as error:
        return fail(one_line(str(error)))
    for line in report_lines(report):
        print(one_line(line))
    return 0


def _pause_for_tests() -> Callable[[str], None] | None:
    wanted = os.environ.get(PAUSE_ENV)

    def pause(step: str) -> None:
        if step == wanted:
            print(f"facilitator: sync paused at {step}", file=sys.stderr, flush=True)
            sys.stdin.read()  # until the test kills the process (or closes stdin)

    return pause if wanted else None
