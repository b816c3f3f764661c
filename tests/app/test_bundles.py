"""Bundles in the app: `b` on a group exports its bundle, `i` on Groups imports one after a preview, and `C`
opens the conflict log, where `k` or `l` keeps either version."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from curricula.registry import Registry
from facilitator.app import make_app
from facilitator.screens.bundles.conflicts import ConflictsScreen
from facilitator.screens.bundles.dialogs import BundleFileForm, ImportPreviewDialog
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.lists import GroupsScreen
from facilitator.store import Store
from facilitator.store.records import Conflict, Group, Participant
from facilitator.sync.exchange import apply_import, make_bundle, prepare_import, read_bundle, write_bundle
from tests.app.screen_helpers import demo_app, group_named, list_column, quiet, settle, shown
from tests.conftest import FakeClock

TUESDAY = "Tuesday Recovery Group"


async def fill_bundle_form(pilot: Pilot, path: Path, passphrase: str = "") -> None:
    form = pilot.app.screen
    assert isinstance(form, BundleFileForm)
    form.query_one("#bundle-file", Input).value = str(path)
    form.query_one("#bundle-passphrase", Input).value = passphrase
    if form.exporting:
        form.query_one("#bundle-again", Input).value = passphrase
    await pilot.pause()
    await pilot.press("ctrl+s")
    await quiet(pilot)


def hand_over(giver: Store, taker: Store, path: Path) -> None:
    registry = Registry.load(None)
    write_bundle(path, make_bundle(giver, registry, group=None, now=giver.clock()))
    preview = prepare_import(taker, registry, read_bundle(path, passphrase=None), now=taker.clock())
    apply_import(taker, preview, taker.path.parent / "packs")


async def test_b_on_a_group_writes_its_bundle_encrypted_when_given_a_passphrase(
    store, clock, tmp_path
) -> None:
    target = tmp_path / "tuesday.bundle"
    async with demo_app(store, clock).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        group = group_named(store, TUESDAY)
        pilot.app.push_screen(GroupScreen(group.id))
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await fill_bundle_form(pilot, target, passphrase="river walk")
        assert isinstance(pilot.app.screen, GroupScreen)
    bundle = read_bundle(target, passphrase="river walk")
    assert bundle.group is not None and bundle.group.id == group.id
    assert list(bundle.tables["groups"]) == [group.id]
    assert target.read_bytes().startswith(b"facilitator-sealed\n") and target.stat().st_mode & 0o777 == 0o600


async def test_the_bundle_form_refuses_a_file_that_is_there_and_two_passphrases_that_differ(
    store, clock, tmp_path
) -> None:
    there = tmp_path / "there.bundle"
    there.write_bytes(b"someone's")
    async with demo_app(store, clock).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        pilot.app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await fill_bundle_form(pilot, there)
        assert isinstance(pilot.app.screen, BundleFileForm)
        assert "A file is there already" in shown(pilot, "#bundle-file-note")
        form = pilot.app.screen
        form.query_one("#bundle-file", Input).value = str(tmp_path / "new.bundle")
        form.query_one("#bundle-passphrase", Input).value = "one"
        form.query_one("#bundle-again", Input).value = "two"
        await pilot.press("ctrl+s")
        await quiet(pilot)
        assert isinstance(pilot.app.screen, BundleFileForm)
        assert "differ" in shown(pilot, "#bundle-again-note")
    assert there.read_bytes() == b"someone's" and not (tmp_path / "new.bundle").exists()


async def test_i_on_groups_previews_the_import_then_writes_it(store, clock, tmp_path) -> None:
    other = Store.open(tmp_path / "other" / "facilitator.json", clock=FakeClock(), backup=False)
    with other:
        other.save_all([Group(name="Thursday family class"), Participant(display_name="Rae")])
        path = tmp_path / "thursday.bundle"
        write_bundle(path, make_bundle(other, Registry.load(None), group=None, now=other.clock()))
    async with make_app(store, clock=clock).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await quiet(pilot)
        assert isinstance(pilot.app.screen, GroupsScreen)
        await pilot.press("i")
        await pilot.pause()
        await fill_bundle_form(pilot, path)
        assert isinstance(pilot.app.screen, ImportPreviewDialog)
        preview = shown(pilot, "#bundle-preview")
        assert "added 2, updated 0, unchanged 0, conflicts 0" in preview
        assert [g.name for g in store.groups()] == []  # nothing written before Import
        await pilot.press("enter")
        await quiet(pilot)
        assert isinstance(pilot.app.screen, GroupsScreen)
        assert [g.name for g in store.groups()] == ["Thursday family class"]
        assert list_column(pilot, 0) == ["Thursday family class"]


async def test_escape_on_the_preview_writes_nothing(store, clock, tmp_path) -> None:
    other = Store.open(tmp_path / "other" / "facilitator.json", clock=FakeClock(), backup=False)
    with other:
        other.add(Group(name="Saturday drop-in"))
        path = tmp_path / "saturday.bundle"
        write_bundle(path, make_bundle(other, Registry.load(None), group=None, now=other.clock()))
    before = store.holding()
    async with make_app(store, clock=clock).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2", "i")
        await pilot.pause()
        await fill_bundle_form(pilot, path)
        assert isinstance(pilot.app.screen, ImportPreviewDialog)
        await pilot.press("escape")
        await quiet(pilot)
        assert store.holding() == before


async def test_conflicts_show_both_versions_and_l_keeps_the_one_from_the_log(store, clock, tmp_path) -> None:
    person = Participant(display_name="Sam")
    store.add(person)
    other = Store.open(tmp_path / "other" / "facilitator.json", clock=FakeClock(clock()), backup=False)
    with other:
        hand_over(store, other, tmp_path / "one.bundle")
        clock.advance(minutes=1)
        store.update(store.get(Participant, person.id), display_name="Sam K.")
        other.clock.advance(minutes=2)  # type: ignore[attr-defined]
        other.update(other.get(Participant, person.id), display_name="Samuel")
        hand_over(other, store, tmp_path / "two.bundle")
    assert store.get(Participant, person.id).display_name == "Samuel"  # the later edit is in place
    async with make_app(store, clock=clock).run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        await pilot.press("2", "C")
        await quiet(pilot)
        assert isinstance(pilot.app.screen, ConflictsScreen)
        table = pilot.app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "Samuel" in shown(pilot, "#conflict-kept") and "Sam K." in shown(pilot, "#conflict-lost")
        await pilot.press("l")
        await quiet(pilot)
        assert store.get(Participant, person.id).display_name == "Sam K."
        assert store.all(Conflict) == [] and table.row_count == 0
        assert "No conflicts" in shown(pilot, "#conflicts-count")
