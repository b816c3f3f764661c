"""A new group from a course pack: the form on the Groups list (n), what it checks, and what it saves."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from curricula.format import Stage
from facilitator.app import make_app
from facilitator.course.calendar import course_sessions, planned_agenda
from facilitator.course.packs import bundled_pack
from facilitator.screens.group.new import NewGroupForm
from facilitator.screens.group.screen import GroupScreen
from facilitator.store import Store
from facilitator.store.records import Cadence, Group, GroupKind, GroupStatus, Meeting, MeetingStatus
from tests.app.screen_helpers import column, list_column, settle, shown, type_text


async def open_form(pilot: Pilot) -> NewGroupForm:
    """Groups (2), then n; the packs are read in a thread first."""
    await settle(pilot)
    await pilot.press("2", "n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, NewGroupForm)
    return pilot.app.screen


async def fill(pilot: Pilot, field_id: str, text: str) -> None:
    """Clear a field and type into it, as a person would."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    field.value = ""
    await type_text(pilot, text)


async def choose(pilot: Pilot, field_id: str, value: object) -> None:
    pilot.app.screen.query_one(f"#{field_id}", Select).value = value
    await pilot.pause()


def note(pilot: Pilot, field_id: str) -> str:
    return shown(pilot, f"#{field_id}-note")


def only_group(store: Store) -> Group:
    (group,) = store.groups()
    return group


async def test_n_on_groups_saves_the_group_pinned_to_the_pack_with_all_its_meetings(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        await type_text(pilot, "Wednesday WRAP")
        await choose(pilot, "pack", "wrap-style@1.1.0")
        assert form.query_one("#minutes", Input).value == "150"  # the pack's usual length
        await fill(pilot, "start", "11 Mar")
        assert note(pilot, "start") == "→ Wed 11 Mar 2026 · in 8 days"
        await fill(pilot, "time", "6:30pm")
        assert note(pilot, "time") == "→ 6:30 pm"
        await fill(pilot, "location", "Northside Centre")
        await fill(pilot, "facilitators", "Alex Kim, Jo Bell")
        assert note(pilot, "facilitators") == "→ Alex Kim and Jo Bell"
        plan = shown(pilot, "#new-group-plan")
        assert plan.startswith("8 meetings, Wed 11 Mar 2026 to Wed 29 Apr 2026, at 6:30 pm (Europe/London)")
        assert "◷ planned" in plan
        await pilot.press("ctrl+s")
        await pilot.pause()

        group = only_group(store)
        assert (group.name, group.pack_id, group.pack_version) == ("Wednesday WRAP", "wrap-style", "1.1.0")
        assert (group.kind, group.status) == (GroupKind.CLOSED, GroupStatus.PLANNED)
        assert group.location == "Northside Centre" and group.facilitators == ["Alex Kim", "Jo Bell"]
        schedule = group.schedule
        assert schedule is not None
        assert (schedule.start_date, schedule.weekdays, schedule.start_time) == (
            date(2026, 3, 11),
            [2],
            "18:30",
        )
        assert (schedule.minutes, schedule.cadence, schedule.timezone) == (
            150,
            Cadence.WEEKLY,
            "Europe/London",
        )

        meetings = store.group_meetings(group.id)
        pack = bundled_pack("wrap-style")
        assert len(meetings) == 8 and [m.number for m in meetings] == list(range(1, 9))
        assert [m.covers for m in meetings] == course_sessions(pack)
        assert all(m.covers and m.covers.unit_title for m in meetings)
        assert {m.status for m in meetings} == {MeetingStatus.PLANNED}
        first = meetings[0]
        assert first.covers is not None
        assert first.agenda == planned_agenda(pack, first.covers.unit_id, first.covers.session_number)
        local = first.scheduled_start.astimezone(ZoneInfo("Europe/London"))
        assert (local.date(), local.hour, local.minute) == (date(2026, 3, 11), 18, 30)
        assert first.scheduled_start == datetime(2026, 3, 11, 18, 30, tzinfo=UTC)  # GMT in March
        assert meetings[4].scheduled_start == datetime(2026, 4, 8, 17, 30, tzinfo=UTC)  # 6:30 pm BST

        # The new group opens, its meetings upcoming.
        assert isinstance(pilot.app.screen, GroupScreen)
        assert "Wednesday WRAP" in shown(pilot, "#group-header")
        assert any(
            "Created Wednesday WRAP with 8 planned meetings" in n.message for n in pilot.app._notifications
        )
        await pilot.press("m")
        upcoming = pilot.app.screen.query_one("#meetings-table", DataTable)
        assert upcoming.row_count == 8
        await pilot.press("q")
        assert list_column(pilot, 0) == ["Wednesday WRAP"]


async def test_a_course_that_already_started_is_running_and_can_meet_fortnightly(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Open circle")
        await choose(pilot, "pack", "open-group@1.1.0")
        await choose(pilot, "kind", GroupKind.OPEN)
        await fill(pilot, "start", "2026-02-20")  # a Friday, before today
        await choose(pilot, "weekday", 3)  # but the group meets on Thursdays
        await choose(pilot, "cadence", Cadence.FORTNIGHTLY)
        await fill(pilot, "minutes", "60")
        assert "▶ running" in shown(pilot, "#new-group-plan")
        await pilot.press("ctrl+s")
        await pilot.pause()
        group = only_group(store)
        assert (group.kind, group.status) == (GroupKind.OPEN, GroupStatus.RUNNING)
        days = [m.scheduled_start.date() for m in store.group_meetings(group.id)]
        assert days == [date(2026, 2, 26), date(2026, 3, 12), date(2026, 3, 26), date(2026, 4, 9)]
        assert {m.minutes for m in store.all(Meeting)} == {60}


async def test_each_field_says_what_is_wrong_as_you_type_and_nothing_is_saved(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        form = await open_form(pilot)
        await fill(pilot, "start", "31 Feb")
        assert note(pilot, "start").startswith("Can't read “31 feb” as a date")
        await fill(pilot, "time", "teatime")
        assert note(pilot, "time") == "Type a time such as 6:30pm or 18:30"
        await fill(pilot, "minutes", "ninety")
        assert note(pilot, "minutes").startswith("Type the length in whole minutes")
        await fill(pilot, "zone", "Mars/Olympus")
        assert note(pilot, "zone").startswith("Not a time zone Facilitator knows")
        assert "type when the group starts" in shown(pilot, "#new-group-plan")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pilot.app.screen is form
        assert shown(pilot, "#group-name-note") == "Type a name for the group"
        assert shown(pilot, "#form-problem") == "Nothing saved yet: fix the field marked in red."
        assert store.groups() == [] and store.all(Meeting) == []
        # A length typed by hand stays when another pack is chosen; the pack's own length follows otherwise.
        await fill(pilot, "minutes", "75")
        await choose(pilot, "pack", "wrap-style@1.1.0")
        assert form.query_one("#minutes", Input).value == "75"


async def test_escape_cancels_with_nothing_written(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Not today")
        await fill(pilot, "start", "tomorrow")
        await pilot.press("escape")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "GroupsScreen"
        assert store.groups() == [] and store.all(Meeting) == []


async def test_an_empty_database_points_to_the_form_and_the_palette_opens_it(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "press 2 then n to create a group from a pack" in shown(pilot, "#welcome")
        await pilot.press("ctrl+p")
        await type_text(pilot, "New group from a pack")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NewGroupForm)


async def test_a_dual_recovery_group_tracks_each_persons_stage(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(120, 40)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Thursday Dual Recovery")
        await choose(pilot, "pack", "dual-recovery-style@1.1.0")
        await fill(pilot, "start", "next thu")
        await pilot.press("ctrl+s")
        await pilot.pause()
        group = only_group(store)
        assert (group.pack_id, group.pack_version) == ("dual-recovery-style", "1.1.0")
        assert len(store.group_meetings(group.id)) == 16

        assert isinstance(pilot.app.screen, GroupScreen)
        await pilot.press("e")  # enrol someone new
        await pilot.pause()
        await fill(pilot, "new-name", "Rae T.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r", "s")  # the roster, then the stage of the person under the cursor
        await pilot.pause()
        await pilot.press("down", "enter")  # persuasion
        await pilot.pause()
        ((enrollment, person),) = store.roster(group.id)
        assert person.display_name == "Rae T." and enrollment.stage is Stage.PERSUASION
        roster = pilot.app.screen.query_one("#roster-table", DataTable)
        assert column(roster, 0) == ["Rae T."]
        assert column(roster, 4) == ["persuasion since 3 Mar"]


async def test_a_read_only_database_says_so_instead_of_opening_the_form(store, db_path, clock) -> None:
    looking = Store.open(db_path, read_only=True, clock=clock)
    try:
        async with make_app(looking, clock=clock).run_test(size=(100, 32)) as pilot:
            await settle(pilot)
            await pilot.press("2", "n")
            await settle(pilot)
            assert type(pilot.app.screen).__name__ == "GroupsScreen"
            assert any("read-only" in n.message for n in pilot.app._notifications)
    finally:
        looking.close()


async def test_a_course_that_began_before_it_was_entered_keeps_its_past_meetings_as_held(
    store, clock
) -> None:
    """Three meetings already happened: they are held, and Home asks for who came to each."""
    async with make_app(store, clock=clock).run_test(size=(100, 32)) as pilot:
        await open_form(pilot)
        await type_text(pilot, "Late entry")
        await choose(pilot, "pack", "wrap-style@1.1.0")
        await fill(pilot, "start", "2026-02-10")
        await fill(pilot, "time", "6pm")
        plan = shown(pilot, "#new-group-plan")
        assert "▶ running" in plan and "3 of them already happened" in plan
        await pilot.press("ctrl+s")
        await settle(pilot)
        meetings = store.group_meetings(only_group(store).id)
        assert [m.status for m in meetings[:4]] == [MeetingStatus.HELD] * 3 + [MeetingStatus.PLANNED]
        await pilot.press("1")
        await settle(pilot)
        follow_ups = pilot.app.screen.query_one("#follow-ups", DataTable)
        assert sum("no attendance taken" in why for why in column(follow_ups, 3)) == 3


async def test_a_pack_written_for_drop_ins_starts_the_group_open_unless_the_kind_was_chosen(
    store, clock
) -> None:
    async with make_app(store, clock=clock).run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot)
        kind = form.query_one("#kind", Select)
        await choose(pilot, "pack", "wrap-style@1.1.0")
        assert kind.value == GroupKind.CLOSED
        await choose(pilot, "pack", "imr-open-style@1.0.0")
        assert kind.value == GroupKind.OPEN  # the open IMR-style drop-in
        await choose(pilot, "pack", "family-to-family-style@1.1.0")
        assert kind.value == GroupKind.CLOSED
        await choose(pilot, "kind", GroupKind.OPEN)  # the facilitator's own choice stays
        await choose(pilot, "pack", "dual-recovery-style@1.1.0")
        await choose(pilot, "pack", "wrap-style@1.1.0")
        assert kind.value == GroupKind.OPEN
        await choose(pilot, "pack", "dual-recovery-style@1.1.0")
        await fill(pilot, "group-name", "Thursday Drop-in")
        await fill(pilot, "start", "next thu")
        await pilot.press("ctrl+s")
        await pilot.pause()
        group = only_group(store)
        assert (group.pack_id, group.kind) == ("dual-recovery-style", GroupKind.OPEN)
