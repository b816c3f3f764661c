"""What a new facilitator trips over on a first evening at 80 × 24: where the attendance cursor starts when
someone arrives late, tables sized by their placeholder row, and the Run Session keys under the palette."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from facilitator.app import make_app
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.run.attendance import AttendanceDialog
from facilitator.store.records import AttendanceStatus, EnrollmentStatus, Group, Participant
from facilitator.widgets.attendance_panel import AttendancePanel
from facilitator.widgets.tables import fill_table
from tests.app.run_fakes import demo_tonight, run_app, screen_text
from tests.app.screen_helpers import settle, shown, type_text
from tests.app.test_run_session import open_screen


async def test_attendance_opened_again_starts_on_the_first_person_with_no_mark(store, clock) -> None:
    """Two marked at the start; someone walks in later: `a` then `l` marks the late one, not the first row."""
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space", "a", "p", "p", "escape")
        await pilot.pause()
        roster = [person for _, person in pilot.app.screen.run.roster()]
        clock.advance(minutes=10)
        await pilot.press("a")
        dialog = pilot.app.screen
        assert isinstance(dialog, AttendanceDialog)
        panel = dialog.query_one(AttendancePanel)
        late = roster[2]
        assert panel.highlighted_participant == late.id
        said = str(dialog.query_one("#attendance-last", Static).render())
        assert said == f"next: {late.display_name} (the first with no mark yet)"
        await pilot.press("l")
        marks = store.meeting_marks(meeting.id)
        assert marks[late.id].status is AttendanceStatus.LATE and marks[late.id].at == clock()
        assert [marks[p.id].status for p in roster[:2]] == [AttendanceStatus.PRESENT] * 2


async def test_attendance_opened_first_starts_at_the_top_and_says_nothing(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("a")
        dialog = pilot.app.screen
        first = dialog.run.roster()[0][1]
        assert dialog.query_one(AttendancePanel).highlighted_participant == first.id
        assert str(dialog.query_one("#attendance-last", Static).render()) == ""


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(id="table")


async def test_a_placeholder_row_does_not_keep_its_column_wide() -> None:
    """ "Nobody yet: press e to enrol someone" sized the roster's Name column; the names that replace it
    must bring it back to their width, or the last columns leave an 80-column screen."""
    async with OneTable().run_test(size=(80, 24)) as pilot:
        table = pilot.app.query_one(DataTable)
        table.add_columns("Name", "Role", "Came")
        fill_table(table, [("", ("Nobody yet: press e to enrol someone", "", ""))])
        await pilot.pause()
        fill_table(
            table, [("ana", ("Ana B.", "participant", "100%")), ("ben", ("Ben C.", "participant", "—"))]
        )
        await pilot.pause()
        assert [column.content_width for column in table.ordered_columns] == [6, 11, 4]


async def test_the_palette_key_gives_way_to_the_session_keys_on_a_narrow_screen(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    for width, palette_shown in ((80, False), (120, True)):
        async with run_app(store, clock).run_test(size=(width, 24)) as pilot:
            screen = await open_screen(pilot, meeting.id)
            await pilot.pause()
            palette = screen.query_one("Footer").query_one(".-command-palette")
            assert palette.display is palette_shown, width


async def test_the_enrol_form_takes_the_new_name_first(store, clock) -> None:
    """On a new group nobody is in Facilitator yet: `e`, then the name typed at once, enrols them."""
    group = Group(name="Tuesday IMR", pack_id="imr-style", pack_version="1.1.0")
    store.add(group)
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(GroupScreen(group.id))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await type_text(pilot, "Ana B.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [(enrolment, person)] = store.roster(group.id)
        assert person.display_name == "Ana B." and enrolment.status is EnrollmentStatus.ACTIVE
        assert enrolment.joined_on == clock().date()


async def test_the_lists_count_one_in_the_singular(store, clock) -> None:
    store.add(Group(name="Tuesday IMR"), Participant(display_name="Ana B."))
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert shown(pilot, "#list-count") == "1 group"
        await pilot.press("3")
        await pilot.pause()
        assert shown(pilot, "#list-count") == "1 person"


async def test_home_on_an_empty_database_offers_no_keys_for_lists_it_does_not_show(store, clock) -> None:
    def footer_words(pilot) -> str:
        return " ".join(str(key.render()) for key in pilot.app.screen.query_one("Footer").query("FooterKey"))

    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Welcome to Facilitator." in shown(pilot, "#welcome")
        words = footer_words(pilot)
        assert "Goal filter" not in words and "To groups" not in words and "To follow-ups" not in words
        store.add(Group(name="Tuesday IMR"))
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")
        await settle(pilot)
        assert "Goal filter" in footer_words(pilot) and "To groups" in footer_words(pilot)


async def test_the_summary_shows_the_notes_on_an_80_by_24_screen_without_scrolling(store, clock) -> None:
    meeting = demo_tonight(store, clock)
    async with run_app(store, clock).run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, meeting.id)
        await pilot.press("space", "a", "asterisk", "escape", "o")
        await type_text(pilot, "Jo led the round")
        await pilot.press("ctrl+s", "e", "y")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "SummaryScreen"
        seen = screen_text(pilot.app)
        assert "Notes" in seen and "Jo led the round" in seen and "Goal check-ins" in seen
