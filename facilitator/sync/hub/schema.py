"""The hub's tables, policies and views, versioned like the file: `init_hub` runs what is missing, in order.

Every record type has a table of versions: one row per (id, stamp, group), the record's body as `jsonb`,
its tombstone time, and `seq`, the hub's change sequence, so a laptop pulls what came after the last
number it saw. Inserts take one lock for the rest of their transaction, and `seq` is given under it, so
changes become visible in the order of their numbers and a pull never skips one still being written.

Who sees what is row-level security: a role in `facilitator_member` reads and adds rows only of the groups
`grants` assigns to it; nobody may change or remove a row (a deletion is a tombstone, a newer version).
`facilitator_supervisor` reads the `supervised_*` views: every group, with pseudonyms instead of people,
no free text, and course weeks instead of dates (the rules of the de-identified exports).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from facilitator.sync.hub.connection import HubError, connect, describe, driver
from facilitator.sync.merge import RECORD_TABLES

if TYPE_CHECKING:
    import psycopg

HUB_SCHEMA_VERSION = 1
SCHEMA = "facilitator"
MEMBER_ROLE = "facilitator_member"
SUPERVISOR_ROLE = "facilitator_supervisor"
PUSH_LOCK = 7_314_159  # the advisory lock every insert holds until it commits (see the module docstring)

_ROLES = f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{MEMBER_ROLE}') THEN
    CREATE ROLE {MEMBER_ROLE} NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SUPERVISOR_ROLE}') THEN
    CREATE ROLE {SUPERVISOR_ROLE} NOLOGIN;
  END IF;
END
$$;
"""

_MINE = f"group_id IN (SELECT g.group_id FROM {SCHEMA}.grants g WHERE g.role = current_user)"


def _version_table(table: str) -> str:
    return f"""
CREATE TABLE {SCHEMA}.{table} (
  id text NOT NULL,
  stamp text NOT NULL,
  group_id text NOT NULL,
  deleted_at timestamptz,
  body jsonb NOT NULL,
  seq bigint NOT NULL DEFAULT nextval('{SCHEMA}.changes'),
  pushed_from text NOT NULL DEFAULT '',
  pushed_by name NOT NULL DEFAULT current_user,
  PRIMARY KEY (id, stamp, group_id)
);
CREATE INDEX ON {SCHEMA}.{table} (seq);
CREATE INDEX ON {SCHEMA}.{table} (group_id, seq);
CREATE TRIGGER in_order BEFORE INSERT ON {SCHEMA}.{table}
  FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.take_push_lock();
ALTER TABLE {SCHEMA}.{table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON {SCHEMA}.{table} FOR SELECT TO {MEMBER_ROLE} USING ({_MINE});
CREATE POLICY members_add ON {SCHEMA}.{table} FOR INSERT TO {MEMBER_ROLE} WITH CHECK ({_MINE});
GRANT SELECT, INSERT ON {SCHEMA}.{table} TO {MEMBER_ROLE};
CREATE VIEW {SCHEMA}.latest_{table} AS
  SELECT DISTINCT ON (id, group_id) id, group_id, body, deleted_at
  FROM {SCHEMA}.{table} ORDER BY id, group_id, stamp DESC;
"""


_FIRST = (
    f"""
CREATE TABLE {SCHEMA}.grants (
  role name NOT NULL,
  group_id text NOT NULL,
  PRIMARY KEY (role, group_id)
);
ALTER TABLE {SCHEMA}.grants ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_grants ON {SCHEMA}.grants FOR SELECT TO {MEMBER_ROLE} USING (role = current_user);
GRANT USAGE ON SCHEMA {SCHEMA} TO {MEMBER_ROLE}, {SUPERVISOR_ROLE};
GRANT SELECT ON {SCHEMA}.grants TO {MEMBER_ROLE};
GRANT SELECT ON {SCHEMA}.hub TO {MEMBER_ROLE}, {SUPERVISOR_ROLE};
CREATE TABLE {SCHEMA}.secret (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO {SCHEMA}.secret (key, value) VALUES ('salt', gen_random_uuid()::text || gen_random_uuid()::text);
CREATE SEQUENCE {SCHEMA}.changes;
GRANT USAGE ON SEQUENCE {SCHEMA}.changes TO {MEMBER_ROLE};
CREATE FUNCTION {SCHEMA}.take_push_lock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({PUSH_LOCK});
  RETURN NULL;
END
$$;
"""
    + "".join(_version_table(table) for table in RECORD_TABLES)
    + f"""
-- A group that is on no laptop's hub yet is assigned to the role that first brings it.
CREATE FUNCTION {SCHEMA}.claim_group(wanted text) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock({PUSH_LOCK});
  IF EXISTS (SELECT FROM {SCHEMA}.grants WHERE group_id = wanted)
     OR EXISTS (SELECT FROM {SCHEMA}.groups WHERE group_id = wanted) THEN
    RETURN EXISTS (SELECT FROM {SCHEMA}.grants WHERE group_id = wanted AND role = session_user);
  END IF;
  INSERT INTO {SCHEMA}.grants (role, group_id) VALUES (session_user, wanted);
  RETURN true;
END
$$;
REVOKE ALL ON FUNCTION {SCHEMA}.claim_group(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {SCHEMA}.claim_group(text) TO {MEMBER_ROLE};

-- Pseudonyms: one per person on the hub, in an order drawn from a secret the supervisors cannot read.
CREATE VIEW {SCHEMA}.pseudonyms AS
  SELECT id AS participant_id,
         'P' || lpad((row_number() OVER (ORDER BY md5(salt.value || id)))::text, 3, '0') AS pseudonym
  FROM (SELECT DISTINCT id FROM {SCHEMA}.participants) people,
       (SELECT value FROM {SCHEMA}.secret WHERE key = 'salt') salt;

CREATE VIEW {SCHEMA}.course_starts AS
  SELECT id AS group_id, (body #>> '{{schedule,start_date}}')::date AS start_date
  FROM {SCHEMA}.latest_groups WHERE id = group_id;

CREATE FUNCTION {SCHEMA}.course_week(moment timestamptz, start_date date) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN moment IS NULL THEN NULL
      WHEN start_date IS NULL THEN extract(year FROM moment)::int::text
      WHEN moment::date < start_date THEN 'before the course (' || extract(year FROM moment)::int || ')'
      ELSE 'week ' || ((moment::date - start_date) / 7 + 1)
    END
  $$;

CREATE VIEW {SCHEMA}.supervised_groups AS
  SELECT g.id AS group_id, g.body ->> 'name' AS name, g.body ->> 'pack_id' AS pack_id,
         g.body ->> 'pack_version' AS pack_version, g.body ->> 'kind' AS kind,
         g.body ->> 'status' AS status
  FROM {SCHEMA}.latest_groups g WHERE g.id = g.group_id AND g.deleted_at IS NULL;

CREATE VIEW {SCHEMA}.supervised_enrollments AS
  SELECT e.group_id, p.pseudonym, e.body ->> 'role' AS role, e.body ->> 'status' AS status,
         e.body ->> 'stage' AS stage
  FROM {SCHEMA}.latest_enrollments e
  JOIN {SCHEMA}.pseudonyms p ON p.participant_id = e.body ->> 'participant_id'
  WHERE e.deleted_at IS NULL;

CREATE VIEW {SCHEMA}.supervised_meetings AS
  SELECT m.group_id, (m.body ->> 'number')::int AS number, m.body ->> 'status' AS status,
         {SCHEMA}.course_week((m.body ->> 'scheduled_start')::timestamptz, c.start_date) AS course_week,
         (m.body ->> 'minutes')::int AS minutes
  FROM {SCHEMA}.latest_meetings m LEFT JOIN {SCHEMA}.course_starts c ON c.group_id = m.group_id
  WHERE m.deleted_at IS NULL;

CREATE VIEW {SCHEMA}.supervised_attendance AS
  SELECT DISTINCT ON (a.body ->> 'meeting_id', a.body ->> 'participant_id')
         a.group_id, (m.body ->> 'number')::int AS meeting_number,
         {SCHEMA}.course_week((m.body ->> 'scheduled_start')::timestamptz, c.start_date) AS course_week,
         p.pseudonym, a.body ->> 'status' AS status
  FROM {SCHEMA}.marks a
  JOIN {SCHEMA}.latest_meetings m ON m.id = a.body ->> 'meeting_id' AND m.group_id = a.group_id
  JOIN {SCHEMA}.pseudonyms p ON p.participant_id = a.body ->> 'participant_id'
  LEFT JOIN {SCHEMA}.course_starts c ON c.group_id = a.group_id
  WHERE a.stamp = (SELECT max(b.stamp) FROM {SCHEMA}.marks b WHERE b.id = a.id) AND a.deleted_at IS NULL
  ORDER BY a.body ->> 'meeting_id', a.body ->> 'participant_id', a.stamp DESC;

CREATE VIEW {SCHEMA}.supervised_goals AS
  SELECT g.group_id, p.pseudonym, g.body ->> 'dimension' AS dimension, g.body ->> 'horizon' AS horizon,
         g.body ->> 'serves' AS serves, g.body ->> 'status' AS status,
         jsonb_array_length(g.body -> 'check_ins') AS check_ins,
         (g.body -> 'check_ins' -> -1 ->> 'rating')::int AS latest_rating
  FROM {SCHEMA}.latest_goals g JOIN {SCHEMA}.pseudonyms p ON p.participant_id = g.body ->> 'participant_id'
  WHERE g.deleted_at IS NULL;

GRANT SELECT ON {SCHEMA}.supervised_groups, {SCHEMA}.supervised_enrollments, {SCHEMA}.supervised_meetings,
  {SCHEMA}.supervised_attendance, {SCHEMA}.supervised_goals TO {SUPERVISOR_ROLE};
"""
)

# version -> what turns the version before it into this one
MIGRATIONS: dict[int, str] = {1: _FIRST}
SUPERVISED_VIEWS = ("groups", "enrollments", "meetings", "attendance", "goals")


def hub_version(cursor: psycopg.Cursor[tuple[object, ...]]) -> int:
    """The hub schema's version in the connected database (0: none yet)."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.hub",))
    row = cursor.fetchone()
    if row is None or not row[0]:
        return 0
    cursor.execute(f"SELECT value FROM {SCHEMA}.hub WHERE key = 'schema_version'")
    found = cursor.fetchone()
    return int(str(found[0])) if found else 0


def check_version(version: int) -> None:
    """Refuse a hub this Facilitator cannot use; one line saying what to do."""
    if version == 0:
        raise HubError("that database has no Facilitator hub yet: run `facilitator hub init --dsn DSN`")
    if version > HUB_SCHEMA_VERSION:
        raise HubError(
            f"the hub was set up by a newer Facilitator (hub schema {version}; this one knows up to "
            f"{HUB_SCHEMA_VERSION}): update Facilitator to sync with it"
        )
    if version < HUB_SCHEMA_VERSION:
        raise HubError(
            f"the hub needs an upgrade (hub schema {version} → {HUB_SCHEMA_VERSION}): whoever looks after "
            "it runs `facilitator hub init --dsn DSN` again"
        )


def init_hub(dsn: str) -> tuple[int, int]:
    """Create or upgrade the hub schema in one transaction; returns (version before, version now)."""
    psycopg_module = driver()
    with connect(dsn) as connection:
        try:
            with connection.transaction(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
                before = hub_version(cursor)
                if before > HUB_SCHEMA_VERSION:
                    check_version(before)
                if before == HUB_SCHEMA_VERSION:
                    return before, before
                cursor.execute(_ROLES)
                cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {SCHEMA}.hub (key text PRIMARY KEY, value text NOT NULL)"
                )
                cursor.execute(
                    f"INSERT INTO {SCHEMA}.hub (key, value) VALUES ('hub_id', %s) "
                    "ON CONFLICT (key) DO NOTHING",
                    (str(uuid.uuid4()),),
                )
                for version in range(before + 1, HUB_SCHEMA_VERSION + 1):
                    cursor.execute(MIGRATIONS[version].encode())
                cursor.execute(
                    f"INSERT INTO {SCHEMA}.hub (key, value) VALUES ('schema_version', %s) "
                    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (str(HUB_SCHEMA_VERSION),),
                )
        except psycopg_module.Error as error:
            raise HubError(f"could not set up the hub: {describe(error)}; nothing was changed") from None
    return before, HUB_SCHEMA_VERSION
