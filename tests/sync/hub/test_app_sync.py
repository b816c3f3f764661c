"""The y key on Home syncs through the app's own store, in a worker; the status line says how things stand."""

from __future__ import annotations

from pathlib import Path

import psycopg
from textual.widgets import Static

from facilitator.app import make_app
from facilitator.store.records import AttendanceStatus, HubLink
from facilitator.sync.hub.access import grant
from facilitator.sync.hub.exchange import sync
from facilitator.sync.merge import canonical_bytes
from tests.app.screen_helpers import quiet
from tests.conftest import FakeClock
from tests.sync.hub.cluster import free_port
from tests.sync.hub.conftest import Hub
from tests.sync.hub.laptops import open_laptop, start_course


def status(app: object) -> Static:
    return app.screen.query_one("#hub-status", Static)  # type: ignore[attr-defined]


async def test_y_pushes_and_pulls_and_the_status_line_follows(hub: Hub, tmp_path: Path) -> None:
    ana, ben = hub.cluster.new_role("ana"), hub.cluster.new_role("ben")
    grant(hub.admin_dsn, ana, group=None)
    clock = FakeClock()
    a, b = open_laptop(tmp_path, "a", clock), open_laptop(tmp_path, "b")
    try:
        course = start_course(a)
        sync(a, dsn=hub.dsn(ana), now=clock())
        grant(hub.admin_dsn, ben, group=course.group.id)
        sync(b, dsn=hub.dsn(ben), now=clock())
        b.mark_attendance(course.meetings[1].id, course.people[0].id, AttendanceStatus.LATE)
        sync(b, dsn=None, now=clock())
        a.mark_attendance(course.meetings[1].id, course.people[1].id, AttendanceStatus.PRESENT)
        clock.advance(minutes=5)
        async with make_app(a, clock=clock).run_test(size=(100, 30)) as pilot:
            await quiet(pilot)
            # 17:00 UTC is 17:00 in London (the tests' zone) in March.
            assert str(status(pilot.app).render()) == "Hub: last sync 17:00 · 1 change waiting"
            assert pilot.app.screen.check_action("sync_hub", ()) is True
            await pilot.press("y")
            await quiet(pilot)
            assert str(status(pilot.app).render()) == "Hub: last sync 17:05 · nothing waiting"
            (note,) = [n.message for n in pilot.app._notifications]
            assert (
                note.startswith("Synced with the hub at 127.0.0.1:") and "pushed 1 change, pulled 1" in note
            )
        marks = a.meeting_marks(course.meetings[1].id)
        assert marks[course.people[0].id].status is AttendanceStatus.LATE  # Ben's mark, pulled
        with psycopg.connect(hub.admin_dsn) as admin:
            row = admin.execute(
                "SELECT count(*) FROM facilitator.marks WHERE body ->> 'participant_id' = %s",
                (course.people[1].id,),
            ).fetchone()
        assert row == (2,)  # Ana's new mark is on the hub beside the first meeting's
    finally:
        a.close()
        b.close()


async def test_a_hub_that_is_down_is_one_line_and_the_app_keeps_working(tmp_path: Path) -> None:
    clock = FakeClock()
    a = open_laptop(tmp_path, "a", clock)
    try:
        course = start_course(a)
        a.update(a.meta, hub=HubLink(dsn=f"host=127.0.0.1 port={free_port()} dbname=agency"))
        before = canonical_bytes(a.holding())
        async with make_app(a, clock=clock).run_test(size=(100, 30)) as pilot:
            await quiet(pilot)
            assert "not synced yet" in str(status(pilot.app).render())
            await pilot.press("y")
            await quiet(pilot)
            (note,) = list(pilot.app._notifications)
            assert note.severity == "error" and note.message.startswith(
                "could not reach the hub at 127.0.0.1"
            )
            assert "\n" not in note.message
            assert canonical_bytes(a.holding()) == before
            a.mark_attendance(course.meetings[1].id, course.people[0].id, AttendanceStatus.PRESENT)
    finally:
        a.close()


async def test_without_a_hub_home_shows_no_status_and_offers_no_sync(tmp_path: Path) -> None:
    a = open_laptop(tmp_path, "a")
    try:
        start_course(a)
        async with make_app(a, clock=FakeClock()).run_test(size=(100, 30)) as pilot:
            await quiet(pilot)
            assert not status(pilot.app).display
            assert pilot.app.screen.check_action("sync_hub", ()) is False
            await pilot.press("y")
            await quiet(pilot)
            assert a.meta.hub is None and not list(pilot.app._notifications)
    finally:
        a.close()
