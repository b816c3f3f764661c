"""Stored text reaches the terminal shown, never obeyed: in prefilled fields, the note, headers and prompts.

Textual passes an Input's value, a TextArea's text and a screen's sub-title to the terminal as they are (the
first test shows it), so the app neutralises stored text before handing it over. What the terminal would be
sent is read from the screen's compositor: the bytes a real driver writes.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from curricula.format import Stage
from facilitator.display import multi_line, one_line
from facilitator.screens.person.forms import PersonForm
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.screens.run.dialogs import NoteDialog
from facilitator.screens.run.screen import RunSessionScreen, prompts_markdown
from facilitator.store.records import Meeting, Participant
from sessions import PlannedSegment
from tests.app.run_fakes import demo_tonight, run_app
from tests.app.screen_helpers import demo_app, person_named, settle
from tests.fault_figures import count

# A name that would set the terminal's title, ring its bell, turn what follows red and reverse the text.
HOSTILE = "Sam\x1b]0;owned\x07 K.\u202e\x9b31m\tLee\nsecond line"
OBEYED = ("\x1b]0;", "\x07", "\x9b", "\u202e")


def sent_to_terminal(app: App) -> str:
    """Everything the terminal would be sent to draw the current screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def obeyed_in(output: str) -> list[str]:
    return [sequence for sequence in OBEYED if sequence in output]


class Prefilled(App[None]):
    """Bare Textual widgets given the hostile text as it is."""

    def compose(self) -> ComposeResult:
        yield Input(HOSTILE)
        yield TextArea(HOSTILE)


async def test_textual_itself_sends_an_input_value_and_a_text_area_raw() -> None:
    app = Prefilled()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        assert obeyed_in(sent_to_terminal(app)) == ["\x1b]0;", "\x9b", "\u202e"]  # Rich drops only the bell


async def test_the_details_form_is_prefilled_with_the_name_shown_not_obeyed(store, clock) -> None:
    count("bad inputs tried")
    app = demo_app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        person = store.update(person_named(store, "Quinn L."), display_name=HOSTILE, notes=HOSTILE)
        await app.push_screen(ParticipantScreen(person.id))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ParticipantScreen)
        assert screen.sub_title == one_line(HOSTILE)
        assert obeyed_in(sent_to_terminal(app)) == []
        await pilot.press("d")
        form = app.screen
        assert isinstance(form, PersonForm)
        assert form.query_one("#name", Input).value == "Sam␛]0;owned␇ K.�31m Lee second line"
        assert form.query_one("#notes", Input).value == one_line(HOSTILE)
        assert obeyed_in(sent_to_terminal(app)) == []
        await pilot.press("ctrl+s")  # saving as shown keeps the words and loses the escapes
        saved = store.get(Participant, person.id)
        assert saved is not None and saved.display_name == saved.notes == one_line(HOSTILE)


async def test_the_meeting_note_keeps_its_lines_and_loses_its_escapes(store, clock) -> None:
    count("bad inputs tried")
    meeting = demo_tonight(store, clock)
    store.update(meeting, notes=HOSTILE)
    app = run_app(store, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.push_screen(RunSessionScreen(meeting.id))
        await pilot.pause()
        await pilot.press("o")
        assert isinstance(app.screen, NoteDialog)
        area = app.screen.query_one(TextArea)
        assert area.text == "Sam␛]0;owned␇ K.�31m\tLee\nsecond line" == multi_line(HOSTILE)
        assert obeyed_in(sent_to_terminal(app)) == []
        await pilot.press("ctrl+s")
        assert store.get(Meeting, meeting.id).notes == multi_line(HOSTILE)


def test_run_session_prompts_from_a_pack_are_shown_not_obeyed() -> None:
    count("bad inputs tried")
    segment = PlannedSegment(
        title="Talk",
        kind="discussion",
        planned_seconds=600,
        prompts=f"Ask:\n\n{HOSTILE}",
        stage_prompts={"engagement": HOSTILE},
    )
    markdown = prompts_markdown(segment, {Stage.ENGAGEMENT: 2})
    assert obeyed_in(markdown) == []
    assert "Ask:\n\nSam␛]0;owned␇ K.�31m\tLee\nsecond line" in markdown


async def test_a_notification_naming_someone_shows_the_name_not_obeyed(store, clock) -> None:
    count("bad inputs tried")
    app = demo_app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.notify(f"Added {HOSTILE}.", title=HOSTILE, markup=False)
        await settle(pilot)
        [shown] = [n for n in app._notifications if n.message.startswith("Added")]
        assert obeyed_in(shown.message + shown.title) == []
        assert shown.message == f"Added {multi_line(HOSTILE)}."
        assert obeyed_in(sent_to_terminal(app)) == []
