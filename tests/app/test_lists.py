"""The Groups and People lists: what the filter lets through, the cursor, Enter and a click to open, and names
shown as typed. Each test reads what the screen paints as well as what the list holds."""

from __future__ import annotations

from textual.pilot import Pilot

from facilitator.screens.lists import PeopleScreen
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.store.records import Participant
from facilitator.store.store import sort_key
from facilitator.widgets.record_list import RecordList
from tests.app.run_fakes import screen_text
from tests.app.screen_helpers import demo_app, list_column, person_named, settle, shown, type_text
from tests.app.test_stored_text import HOSTILE, obeyed_in, sent_to_terminal

SIZE = (80, 24)


def the_list(pilot: Pilot) -> RecordList:
    return pilot.app.screen.query_one("#list", RecordList)


async def open_people(pilot: Pilot) -> RecordList:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PeopleScreen)
    return the_list(pilot)


async def test_the_filter_narrows_and_widens_and_the_screen_follows(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        people = await open_people(pilot)
        everyone = list_column(pilot)
        assert len(everyone) == 30 and everyone == sorted(everyone, key=sort_key)
        await pilot.press("slash")
        await type_text(pilot, "an")
        assert list_column(pilot) == ["Hana J.", "Ivan E."]
        assert shown(pilot, "#list-count") == "2 of 30 people"
        text = screen_text(pilot.app)
        assert "Hana J." in text and "Ivan E." in text and "Amara H." not in text
        assert not people.show_vertical_scrollbar  # two rows fit: no scrollbar left behind
        await pilot.press("backspace")  # "a" again: wider
        widened = list_column(pilot)
        assert len(widened) > 2 and {"Hana J.", "Ivan E."} < set(widened)
        with_a = {p.display_name for p in store.all(Participant) if "a" in sort_key(p.display_name)}
        assert with_a <= set(widened)
        assert shown(pilot, "#list-count") == f"{len(widened)} of 30 people"
        await pilot.press("backspace")
        assert list_column(pilot) == everyone and shown(pilot, "#list-count") == "30 people"
        assert people.show_vertical_scrollbar  # 30 rows do not fit in 24 lines
        await type_text(pilot, "zzz")
        assert people.row_count == 0 and people.selected_key is None
        assert shown(pilot, "#list-count") == "0 of 30 people"
        await pilot.press("escape")
        assert list_column(pilot) == everyone and not pilot.app.screen.query_one("#list-filter").display
        assert people.has_focus


async def test_cursor_keys_move_and_scroll_and_enter_opens_the_chosen_person(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        people = await open_people(pilot)
        everyone = list_column(pilot)
        await pilot.press("down", "down", "down", "up")
        assert people.cursor_row == 2 and people.selected_key == person_named(store, everyone[2]).id
        await pilot.press("ctrl+end")
        assert people.selected_key == person_named(store, everyone[-1]).id
        assert everyone[-1] in screen_text(pilot.app) and everyone[0] not in screen_text(pilot.app)
        await pilot.press("ctrl+home")
        assert people.cursor_row == 0 and everyone[0] in screen_text(pilot.app)
        await pilot.press("pagedown")
        assert people.cursor_row > 10 and everyone[people.cursor_row] in screen_text(pilot.app)
        await pilot.press("pageup", "down", "down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ParticipantScreen)
        assert pilot.app.screen.participant_id == person_named(store, everyone[2]).id
        assert everyone[2] in screen_text(pilot.app)


async def test_the_cursor_stays_on_its_person_while_the_filter_still_shows_them(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        people = await open_people(pilot)
        ivan = person_named(store, "Ivan E.").id
        while people.selected_key != ivan:
            await pilot.press("down")
        await pilot.press("slash")
        await type_text(pilot, "an")
        assert people.selected_key == ivan and people.cursor_row == 1
        await type_text(pilot, "a")  # "ana": Ivan is gone, the cursor goes to the first row shown
        assert people.selected_key == person_named(store, list_column(pilot)[0]).id
        await pilot.press("enter")  # in the box: back to the list, nothing opened
        assert isinstance(pilot.app.screen, PeopleScreen) and people.has_focus


async def test_a_click_moves_the_cursor_and_a_second_click_opens(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        people = await open_people(pilot)
        everyone = list_column(pilot)
        await pilot.click(RecordList, offset=(4, 3))  # the header, then the rows from 0: the third row
        assert people.cursor_row == 2 and isinstance(pilot.app.screen, PeopleScreen)
        await pilot.click(RecordList, offset=(4, 3))
        await settle(pilot)
        assert isinstance(pilot.app.screen, ParticipantScreen)
        assert pilot.app.screen.participant_id == person_named(store, everyone[2]).id


async def test_names_are_shown_as_typed_never_as_markup_or_terminal_codes(store, clock) -> None:
    store.add(Participant(display_name="[bold]Zed[/bold] Q.", pronouns="[red]they[/red]"))
    store.add(Participant(display_name=HOSTILE))
    async with demo_app(store, clock).run_test(size=(100, 30)) as pilot:
        await open_people(pilot)
        await pilot.press("slash")
        await type_text(pilot, "zed")
        assert list_column(pilot) == ["[bold]Zed[/bold] Q."]
        assert "[bold]Zed[/bold] Q.  [red]they[/red]" in screen_text(pilot.app)
        await pilot.press("escape", "slash")
        await type_text(pilot, "owned")
        assert list_column(pilot) == ["Sam␛]0;owned␇ K.�31m Lee second line"]
        assert "Sam␛]0;owned␇ K.�31m Lee second line" in screen_text(pilot.app)
        assert obeyed_in(sent_to_terminal(pilot.app)) == []


async def test_at_80_columns_a_wide_list_scrolls_sideways_with_end_and_home(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        header = next(line for line in screen_text(pilot.app).splitlines() if "Status" in line)
        assert header.split()[:2] == ["Group", "Status"] and "People" not in header
        await pilot.press("end")
        header = next(line for line in screen_text(pilot.app).splitlines() if "Status" in line)
        assert header.split()[-2:] == ["Progress", "People"] and "Group " not in header
        assert the_list(pilot).cursor_row == 0  # sideways only
        await pilot.press("home")
        header = next(line for line in screen_text(pilot.app).splitlines() if "Status" in line)
        assert header.split()[0] == "Group"
