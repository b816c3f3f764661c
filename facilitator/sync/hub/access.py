"""Assigning groups to roles: `facilitator hub grant` and `hub revoke`, run by whoever looks after the hub.

Agencies make their PostgreSQL roles themselves (with passwords, certificates or whatever they use); here a
role is only given what the hub lets it see. A facilitator role is a member of `facilitator_member` with
rows in `grants` naming its groups; a supervisor is a member of `facilitator_supervisor`, and reads names
only in groups granted to it as well.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitator.sync.hub.connection import HubError, connect, describe, driver
from facilitator.sync.hub.schema import MEMBER_ROLE, SCHEMA, SUPERVISOR_ROLE, check_version, hub_version

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class GroupOnHub:
    id: str
    name: str  # empty for a group no laptop has brought yet


def find_hub_group(cursor: psycopg.Cursor[tuple[object, ...]], wanted: str) -> GroupOnHub:
    """A group by id, by name, or by the start of its name (ignoring case), as the latest version names it.

    The start of a name is taken as the other commands take it (`--group tues`) when only one group fits.
    An id that is on no laptop's hub yet is taken as it is: the group can be assigned before it is synced.
    """
    text = wanted.strip()
    start = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cursor.execute(
        f"SELECT id, body ->> 'name' FROM {SCHEMA}.latest_groups "
        "WHERE id = group_id AND deleted_at IS NULL "
        "AND (id = %(w)s OR lower(body ->> 'name') LIKE lower(%(start)s))",
        {"w": text, "start": start},
    )
    fits = [GroupOnHub(str(i), str(n)) for i, n in cursor.fetchall()]
    by_id = [g for g in fits if g.id == text]
    if by_id:
        return by_id[0]
    named = [g for g in fits if g.name.casefold() == text.casefold()]
    found = named or fits
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(f"“{g.name}”" for g in found[:5])
        raise HubError(
            f"{len(found)} groups on the hub fit “{wanted}” ({names}): give more of the name, or the id"
        )
    try:
        return GroupOnHub(str(uuid.UUID(text)), "")
    except ValueError:
        raise HubError(f"there is no group called “{wanted}” on the hub (give its name or id)") from None


def _role_exists(cursor: psycopg.Cursor[tuple[object, ...]], role: str) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
    if cursor.fetchone() is None:
        raise HubError(
            f"there is no PostgreSQL role “{role}”: create it first (CREATE ROLE … LOGIN), then assign groups"
        )


@contextmanager
def _changing(dsn: str, role: str, doing: str) -> Iterator[psycopg.Cursor[tuple[object, ...]]]:
    """One transaction on a hub of this version about `role`, which must exist; a database error is one
    line saying what could not be done, and nothing is changed."""
    psycopg_module = driver()
    with connect(dsn) as connection:
        try:
            with connection.transaction(), connection.cursor() as cursor:
                check_version(hub_version(cursor))
                _role_exists(cursor, role)
                yield cursor
        except psycopg_module.Error as error:
            raise HubError(f"could not {doing}: {describe(error)}; nothing was changed") from None


def _sql_name(name: str) -> psycopg.sql.Identifier:
    from psycopg import sql

    return sql.Identifier(name)


def grant(dsn: str, role: str, *, group: str | None, supervisor: bool = False) -> GroupOnHub | None:
    """Let `role` sync `group` (or, without one, bring new groups; as `supervisor`, read every group)."""
    from psycopg import sql

    with _changing(dsn, role, "assign it") as cursor:
        found = find_hub_group(cursor, group) if group is not None else None
        joined = SUPERVISOR_ROLE if supervisor else MEMBER_ROLE
        cursor.execute(sql.SQL("GRANT {} TO {}").format(_sql_name(joined), _sql_name(role)))
        if found is not None:
            cursor.execute(sql.SQL("GRANT {} TO {}").format(_sql_name(MEMBER_ROLE), _sql_name(role)))
            cursor.execute(
                f"INSERT INTO {SCHEMA}.grants (role, group_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (role, found.id),
            )
        return found


def revoke(dsn: str, role: str, *, group: str | None, supervisor: bool = False) -> GroupOnHub | None:
    """Take `group` (or being a supervisor) away from `role`; its laptop keeps what it already has."""
    from psycopg import sql

    with _changing(dsn, role, "take it away") as cursor:
        if supervisor:
            cursor.execute(sql.SQL("REVOKE {} FROM {}").format(_sql_name(SUPERVISOR_ROLE), _sql_name(role)))
        if group is None:
            return None
        found = find_hub_group(cursor, group)
        cursor.execute(f"DELETE FROM {SCHEMA}.grants WHERE role = %s AND group_id = %s", (role, found.id))
        if cursor.rowcount == 0:
            raise HubError(f"“{role}” was not assigned that group; nothing was changed")
        return found
