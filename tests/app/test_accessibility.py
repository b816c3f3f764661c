"""Usable by everyone: a high-contrast theme, no state told by colour alone, NO_COLOR, keys for everything,
and a read-only footer that offers only what can be done."""

from __future__ import annotations

import pytest
from textual.binding import Binding
from textual.filter import Monochrome, NoColor
from textual.widgets import Button

from facilitator.app import make_app
from facilitator.screens.group.screen import VIEWS as GROUP_VIEWS
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.lists import GroupsScreen, PeopleScreen
from facilitator.screens.person.screen import VIEWS as PERSON_VIEWS
from facilitator.screens.person.screen import ParticipantScreen
from facilitator.store.records import Participant
from facilitator.widgets.countdown import PHASE_WORDS, Phase
from tests.app.run_fakes import screen_text
from tests.app.screen_helpers import demo_app, group_named, read_only_demo, settle

SIZE = (120, 40)


def footer_keys(screen) -> set[str]:
    """The actions the footer offers on `screen` (what Textual's Footer draws: the active, shown bindings)."""
    return {b.binding.action for b in screen.active_bindings.values() if b.binding.show and b.enabled}


async def open_each(pilot, store) -> dict[str, object]:
    """The screens with editing keys, opened one after another; each is kept to look at."""
    screens = {}
    for name, screen in (
        ("group", GroupScreen(group_named(store, "Tuesday Recovery Group").id)),
        (
            "person",
            ParticipantScreen(next(p for p in store.all(Participant) if p.display_name == "Dev L.").id),
        ),
        ("groups", GroupsScreen()),
        ("people", PeopleScreen()),
    ):
        await pilot.app.push_screen(screen)
        await settle(pilot)
        palette = {command.title for command in pilot.app.get_system_commands(screen)}
        screens[name] = (footer_keys(screen), screen_text(pilot.app), palette, type(screen).EDITS)
        pilot.app.pop_screen()
        await pilot.pause()
    return screens


async def test_the_read_only_footer_and_palette_offer_no_editing_keys(store, db_path, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        await settle(pilot)
        writable = await open_each(pilot, store)
    with read_only_demo(store, db_path, clock) as looking:
        async with make_app(looking, clock=clock).run_test(size=SIZE) as pilot:
            await settle(pilot)
            looking_only = await open_each(pilot, looking)
    edits = {
        "group": ("enrol", "Enrol"),
        "person": ("add_goal", "New goal"),
        "groups": ("new_group", "New group from a pack"),
        "people": ("add_person", "Add a person"),
    }
    for name, (action, words) in edits.items():
        keys, text, palette, _ = writable[name]
        assert action in keys and words in text and words in palette  # offered when it can be done
        keys, text, palette, screen_edits = looking_only[name]
        assert not keys & screen_edits and words not in text  # and not when it cannot
        assert words not in palette


async def test_the_high_contrast_theme_is_black_and_white_and_kept(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t", "ctrl+t")
        theme = pilot.app.current_theme
        assert pilot.app.theme == "facilitator-high-contrast" == store.meta.settings.theme
        assert (theme.background, theme.foreground) == ("#000000", "#FFFFFF")
        assert any("high contrast" in n.message for n in pilot.app._notifications)


async def test_no_color_is_respected_and_every_state_still_reads(store, clock, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.no_color and any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
        await pilot.app.push_screen(GroupScreen(group_named(store, "Tuesday Recovery Group").id))
        await settle(pilot)
        legend = screen_text(pilot.app)
        for glyph in ("● present", "◐ late", "✗ absent", "○ excused", "⊘ cancelled"):
            assert glyph in legend
    # Every phase of the countdown has its glyph as well as its colour.
    assert all(words[0] in "○●◔▲‖■" for words in PHASE_WORDS.values()) and len(PHASE_WORDS) == len(Phase)


@pytest.mark.parametrize(("screen", "views"), [(GroupScreen, GROUP_VIEWS), (ParticipantScreen, PERSON_VIEWS)])
def test_every_view_a_click_opens_has_its_key(screen, views) -> None:
    keys = {
        b.key: b.action
        for b in screen.BINDINGS
        if isinstance(b, Binding) and b.action.startswith("show_view")
    }
    for view, _, key in views:
        assert keys.get(key) == f"show_view('{view}')"


async def test_every_button_of_a_form_can_be_reached_by_keys(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=SIZE) as pilot:
        await pilot.app.push_screen(GroupScreen(group_named(store, "Tuesday Recovery Group").id))
        await settle(pilot)
        await pilot.press("g")  # the Edit group form
        await pilot.pause()
        form = pilot.app.screen
        buttons = list(form.query(Button))
        assert buttons and all(b.focusable for b in buttons)
        assert {"ctrl+s", "escape"} <= {b.key for b in form.BINDINGS if isinstance(b, Binding)}
