"""The footer of Home and the Group screen: the keys are there from the screen's first frame, and are made
again only when what they say changes (not on a focus move, nor on coming back to the screen)."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets._footer import FooterKey

from facilitator.app import FacilitatorApp
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.home import HomeScreen
from facilitator.store.records import HubLink
from facilitator.widgets.keys_footer import KeysFooter
from tests.app.screen_helpers import demo_app, group_named, settle
from tests.app.test_group_screen import TUESDAY

GROUP_KEYS = ["e Enrol", "s Stage", "n New meeting", "g Edit group", "q Back/quit", "? Help", "^p palette"]


def footer_keys(screen: Screen[object]) -> list[str]:
    """What the screen's footer says, key by key ("e Enrol")."""
    return [f"{key.key_display} {key.description}".strip() for key in screen.query(FooterKey)]


def on_every_frame(app: FacilitatorApp, look: Callable[[Screen[object]], object]) -> list[object]:
    """What `look` sees on the screen on top each time a frame is painted, from now on."""
    seen: list[object] = []
    app.post_display_hook = lambda: seen.append(look(app.screen))  # type: ignore[method-assign]
    return seen


async def test_the_group_screens_first_frame_has_its_keys(store, clock) -> None:
    app = demo_app(store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        seen = on_every_frame(app, lambda screen: (type(screen), footer_keys(screen)))
        app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
        await pilot.pause()
        painted = [keys for kind, keys in seen if kind is GroupScreen]
        assert painted and painted[0] == GROUP_KEYS
        assert all(keys == GROUP_KEYS for keys in painted)


async def test_moving_focus_and_coming_back_keep_the_same_keys(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = pilot.app.screen
        assert isinstance(home, HomeScreen)
        before = list(home.query(FooterKey))
        await pilot.press("g", "u")  # to the groups, then to the follow-ups
        assert list(home.query(FooterKey)) == before  # the very same keys: not made again
        pilot.app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
        await pilot.pause()
        group = pilot.app.screen
        on_group = list(group.query(FooterKey))
        await pilot.press("r", "m", "a")  # the roster, the meetings, back to the grid
        assert list(group.query(FooterKey)) == on_group
        await pilot.press("q")
        assert pilot.app.screen is home
        assert list(home.query(FooterKey)) == before
        assert footer_keys(home)[:3] == ["f Goal filter", "g To groups", "u To follow-ups"]


async def test_a_key_offered_while_home_was_under_another_screen_shows_on_return(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = pilot.app.screen
        assert "y Sync" not in footer_keys(home)  # no hub for this database
        pilot.app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
        await pilot.pause()
        store.update(store.meta, hub=HubLink(dsn="host=127.0.0.1 port=1 dbname=agency"))
        home.refresh_bindings()  # asked while under: nothing to show there yet
        await pilot.pause()
        assert "y Sync" not in footer_keys(home)
        await pilot.press("q")
        await settle(pilot)
        assert pilot.app.screen is home
        assert "y Sync" in footer_keys(home)
        assert isinstance(home.query_one(KeysFooter), KeysFooter)


async def test_the_footer_is_textuals_own_look(store, clock) -> None:
    """Every key styled as Textual's footer styles it: the compact look set before mounting, not after."""
    async with demo_app(store, clock).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
        await pilot.pause()
        keys = list(pilot.app.screen.query(FooterKey))
        palette = [key for key in keys if key.has_class("-command-palette")]
        assert len(palette) == 1 and palette[0].compact and palette[0].has_class("-compact")
        others = [key for key in keys if key not in palette]
        assert others and not any(key.compact or key.has_class("-compact") for key in others)
