"""Row-level security: a facilitator sees and writes only their groups, by `facilitator sync` and by hand;
a supervisor reads every group de-identified; grant and revoke from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from facilitator.store import Store
from facilitator.store.records import AttendanceStatus, Group, Participant
from facilitator.sync.hub.access import grant
from facilitator.sync.hub.connection import HubError
from facilitator.sync.hub.exchange import sync
from facilitator.sync.hub.schema import init_hub
from tests.conftest import FIXED_NOW, run_facilitator
from tests.sync.hub.conftest import Hub
from tests.sync.hub.laptops import Course, open_laptop, start_course


def two_groups(hub: Hub, tmp_path: Path) -> tuple[Course, Course, dict[str, str]]:
    """Ana's group and Cai's group on the hub, each brought from its own laptop."""
    roles = {name: hub.cluster.new_role(name) for name in ("ana", "ben", "cai")}
    courses = []
    for name, group, people in (("ana", "Tuesday", ("Ana", "Ben")), ("cai", "Thursday", ("Dee", "Eli"))):
        grant(hub.admin_dsn, roles[name], group=None)
        with open_laptop(tmp_path, name) as laptop:
            courses.append(start_course(laptop, group, people))
            sync(laptop, dsn=hub.dsn(roles[name]), now=FIXED_NOW)
    return courses[0], courses[1], roles


def test_sync_brings_only_the_groups_granted_and_a_revoked_group_stays_as_it_was(
    hub: Hub, tmp_path: Path
) -> None:
    tuesday, thursday, roles = two_groups(hub, tmp_path)
    db = str(tmp_path / "ben" / "facilitator.json")
    granted = run_facilitator("hub", "grant", roles["ben"], "--group", "tues", "--hub", hub.admin_dsn)
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == f"{roles['ben']} syncs the group “Tuesday” ({tuesday.group.id})."
    first = run_facilitator("sync", "--db", db, "--hub", hub.dsn(roles["ben"]))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"Synced with the hub at 127.0.0.1:{hub.cluster.port}/{hub.database}")
    with Store.open(db, backup=False) as ben:
        assert [g.name for g in ben.groups()] == ["Tuesday"]
        names = sorted(p.display_name for p in ben.all(Participant))
        assert names == ["Ana", "Ben"]  # nobody from Thursday
        assert ben.get(Group, thursday.group.id) is None

    revoked = run_facilitator(
        "hub", "revoke", roles["ben"], "--group", tuesday.group.id, "--hub", hub.admin_dsn
    )
    assert revoked.returncode == 0, revoked.stderr
    with Store.open(db, backup=False) as ben:
        ben.mark_attendance(tuesday.meetings[1].id, tuesday.people[0].id, AttendanceStatus.ABSENT)
    after = run_facilitator("sync", "--db", db)  # the hub is remembered
    assert after.returncode == 0, after.stderr
    assert "1 change(s) in groups not assigned to" in after.stdout
    with Store.open(db, backup=False) as ben:
        assert [g.name for g in ben.groups()] == ["Tuesday"]  # kept on the laptop, as it was
    with psycopg.connect(hub.admin_dsn) as admin:
        marks = admin.execute(
            "SELECT count(*) FROM facilitator.marks WHERE group_id = %s", (tuesday.group.id,)
        )
        assert marks.fetchone() == (2,)  # the mark made after the revoke never reached the hub


def test_a_facilitator_writing_sql_with_their_own_role_sees_and_changes_nothing_of_another_group(
    hub: Hub, tmp_path: Path
) -> None:
    tuesday, thursday, roles = two_groups(hub, tmp_path)
    grant(hub.admin_dsn, roles["ben"], group=tuesday.group.id)
    with psycopg.connect(hub.dsn(roles["ben"]), autocommit=True) as ben:
        seen = {row[0] for row in ben.execute("SELECT DISTINCT group_id FROM facilitator.participants")}
        assert seen == {tuesday.group.id}
        hidden = ben.execute(
            "SELECT count(*) FROM facilitator.marks WHERE group_id = %s", (thursday.group.id,)
        )
        assert hidden.fetchone() == (0,)
        assert ben.execute("SELECT group_id FROM facilitator.grants").fetchall() == [(tuesday.group.id,)]
        assert ben.execute("SELECT facilitator.claim_group(%s)", (thursday.group.id,)).fetchone() == (False,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ben.execute(
                "INSERT INTO facilitator.groups (id, stamp, group_id, body) VALUES (%s, 'x', %s, '{}')",
                (thursday.group.id, thursday.group.id),
            )
        for statement in (
            "UPDATE facilitator.groups SET body = '{}'",
            "DELETE FROM facilitator.marks",
            "INSERT INTO facilitator.grants VALUES (current_user, 'any')",
            "SELECT * FROM facilitator.supervised_attendance",
            "SELECT * FROM facilitator.secret",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                ben.execute(statement)
    with psycopg.connect(hub.admin_dsn) as admin:
        rows = admin.execute(
            "SELECT count(*) FROM facilitator.groups WHERE group_id = %s", (thursday.group.id,)
        )
        assert rows.fetchone() == (1,)  # as Cai pushed it


def test_a_supervisor_reads_every_group_with_pseudonyms_and_no_names(hub: Hub, tmp_path: Path) -> None:
    tuesday, thursday, _ = two_groups(hub, tmp_path)
    supervisor = hub.cluster.new_role("sam")
    made = run_facilitator("hub", "grant", supervisor, "--supervisor", "--hub", hub.admin_dsn)
    assert made.returncode == 0, made.stderr
    with psycopg.connect(hub.dsn(supervisor), autocommit=True) as sam:
        everything = ""
        for view in ("groups", "enrollments", "meetings", "attendance", "goals"):
            rows = sam.execute(f"SELECT * FROM facilitator.supervised_{view}").fetchall()
            assert rows, view
            everything += repr(rows)
        for course in (tuesday, thursday):
            for person in course.people:
                assert person.display_name not in everything and str(person.full_name) not in everything
            assert course.goal.title not in everything and "a good week" not in everything
        attendance = sam.execute(
            "SELECT group_id, meeting_number, course_week, pseudonym, status "
            "FROM facilitator.supervised_attendance"
        ).fetchall()
        assert len(attendance) == 4 and {row[2] for row in attendance} == {"week 1"}
        assert all(re.fullmatch(r"P\d{3}", str(row[3])) for row in attendance)
        assert len({row[3] for row in attendance}) == 4
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            sam.execute("SELECT * FROM facilitator.participants")
    # Granted a group, the supervisor reads its names too (and only its own).
    grant(hub.admin_dsn, supervisor, group=thursday.group.id)
    with psycopg.connect(hub.dsn(supervisor), autocommit=True) as sam:
        names = sam.execute(
            "SELECT DISTINCT body ->> 'display_name' FROM facilitator.participants"
        ).fetchall()
        assert sorted(n for (n,) in names) == ["Dee", "Eli"]


def test_grant_refuses_a_role_or_a_group_that_does_not_exist_in_one_line(hub: Hub) -> None:
    ghost = run_facilitator("hub", "grant", "nobody_here", "--facilitator", "--hub", hub.admin_dsn)
    assert ghost.returncode == 1 and ghost.stderr.count("\n") == 1
    assert "there is no PostgreSQL role “nobody_here”" in ghost.stderr
    role = hub.cluster.new_role("ana")
    unknown = run_facilitator("hub", "grant", role, "--group", "Saturday", "--hub", hub.admin_dsn)
    assert unknown.returncode == 1 and "there is no group called “Saturday” on the hub" in unknown.stderr
    again = run_facilitator("hub", "init", "--dsn", hub.admin_dsn)
    assert again.returncode == 0 and "is set up already (hub schema 1)" in again.stdout


def test_a_role_not_yet_granted_and_a_newer_hub_are_refused_in_one_line(hub: Hub, tmp_path: Path) -> None:
    role = hub.cluster.new_role("ana")
    with open_laptop(tmp_path, "a") as laptop:
        start_course(laptop)
        with pytest.raises(HubError, match=f"the role {role} may not sync with this hub yet"):
            sync(laptop, dsn=hub.dsn(role), now=FIXED_NOW)
        grant(hub.admin_dsn, role, group=None)
        with psycopg.connect(hub.admin_dsn) as admin:
            admin.execute("UPDATE facilitator.hub SET value = '99' WHERE key = 'schema_version'")
        with pytest.raises(HubError, match="set up by a newer Facilitator"):
            sync(laptop, dsn=hub.dsn(role), now=FIXED_NOW)
        with pytest.raises(HubError, match="set up by a newer Facilitator"):
            init_hub(hub.admin_dsn)
        assert laptop.meta.hub is None
