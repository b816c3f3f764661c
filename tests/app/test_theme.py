"""The theme is the facilitator's choice, kept in the database: ctrl+t, the palette, read-only, bad names."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import make_app
from facilitator.store import Store
from facilitator.store.records import Settings
from tests.app.screen_helpers import settle


def files_of(db_path: Path) -> dict[str, bytes]:
    """The database and its journal, as they are on disk."""
    return {p.name: p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)}


async def test_ctrl_t_switches_the_theme_and_keeps_it(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "textual-light" and not pilot.app.current_theme.dark
        assert store.meta.settings.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "facilitator-high-contrast"
        assert store.meta.settings.theme == "facilitator-high-contrast"
        assert pilot.app.current_theme.background == "#000000"
        await pilot.press("ctrl+t")
        assert pilot.app.theme == "textual-dark"
        assert store.meta.settings.theme == "textual-dark"


async def test_reopening_the_database_gives_the_theme_back(store, clock, db_path) -> None:
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+t")
    store.close()
    reopened = Store.open(db_path, clock=clock)
    try:
        before = reopened.meta
        async with make_app(reopened, clock=clock).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert pilot.app.theme == "textual-light"
        assert reopened.meta == before  # opening in the kept theme writes nothing
    finally:
        reopened.close()


async def test_a_theme_from_the_palette_is_kept_too_and_the_same_one_is_not_rewritten(store, clock) -> None:
    async with make_app(store, clock=clock).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in pilot.app.get_system_commands(pilot.app.screen)]
        assert "Theme: dark, light, high contrast" in titles and "Theme" in titles
        pilot.app.theme = "nord"  # what Textual's "Change theme" list does on a pick
        await pilot.pause()
        assert store.meta.settings.theme == "nord"
        saved = store.meta
        pilot.app.theme = "nord"
        await pilot.pause()
        assert store.meta is saved
        await pilot.press("ctrl+t")  # nord is dark: ctrl+t goes to the light theme
        assert store.meta.settings.theme == "textual-light"


async def test_read_only_changes_the_theme_on_screen_and_writes_nothing(store, clock, db_path) -> None:
    store.fold()
    reader = Store.open(db_path, read_only=True, clock=clock)
    try:
        before = files_of(db_path)
        async with make_app(reader, clock=clock).run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+t")
            assert pilot.app.theme == "textual-light"
            assert reader.meta.settings.theme == "textual-dark"
        assert files_of(db_path) == before
    finally:
        reader.close()


async def test_an_unknown_theme_in_the_file_falls_back_to_dark(store, clock) -> None:
    store.update(store.meta, settings=Settings(theme="no-such-theme"))
    saved = store.meta
    app = make_app(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "textual-dark"
        assert store.meta is saved  # the name is left as it was (a newer app may know it)
        await pilot.press("ctrl+t")
        assert store.meta.settings.theme == "textual-light"
