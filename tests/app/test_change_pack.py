"""Changing a group's pack on the Group screen (p): pick a version, read the preview, then apply or cancel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from curricula.registry import Registry
from facilitator.course.calendar import course_sessions
from facilitator.course.packs import bundled_pack
from facilitator.course.swap import preview_swap
from facilitator.screens.group.screen import GroupScreen
from facilitator.screens.packs.dialogs import PackPicker, SwapPreview
from facilitator.store import Store
from facilitator.store.records import MeetingStatus
from tests.app.screen_helpers import demo_app, group_named, settle, shown

TUESDAY = "Tuesday Recovery Group"
NEW_TITLE = "Keeping well, looking ahead"


def install_imr_1_1(store: Store) -> Path:
    """A user pack imr-style 1.1.0 beside the database: the same course with its last session renamed."""
    text = (resources.files("curricula") / "packs" / "imr-style.toml").read_text(encoding="utf-8")
    last = course_sessions(bundled_pack("imr-style"))[-1].title
    assert text.count(f'title = "{last}"') == 1
    text = text.replace('version = "1.0.0"', 'version = "1.1.0"', 1).replace(last, NEW_TITLE)
    folder = store.path.parent / "packs"
    folder.mkdir(exist_ok=True)
    path = folder / "imr-style@1.1.0.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def open_picker(pilot: Pilot, store: Store) -> PackPicker:
    await settle(pilot)
    pilot.app.push_screen(GroupScreen(group_named(store, TUESDAY).id))
    await pilot.pause()
    await pilot.press("p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PackPicker)
    return pilot.app.screen


async def test_p_previews_the_change_and_apply_moves_the_group(store, clock) -> None:
    install_imr_1_1(store)
    async with demo_app(store, clock).run_test(size=(100, 32)) as pilot:
        picker = await open_picker(pilot, store)
        options = picker.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        current = labels[options.highlighted or 0]
        assert "imr-style 1.0.0" in current and "← now" in current  # the cursor starts on the group's own
        assert any("imr-style 1.1.0" in label and "(user)" in label for label in labels)
        assert any("wrap-style 1.0.0" in label for label in labels)

        group = group_named(store, TUESDAY)
        before = store.group_meetings(group.id)
        await pilot.press("up", "enter")  # newest first: 1.1.0 is just above 1.0.0
        await pilot.pause()
        assert isinstance(pilot.app.screen, SwapPreview)
        target = Registry.load(store.path.parent / "packs").get("imr-style", "1.1.0")
        assert target is not None and target.pack is not None
        expected = preview_swap(store, group, target.pack).summary_lines()
        assert shown(pilot, "#swap-preview") == "\n".join(expected)
        assert "1 upcoming meeting gets a new title:" in shown(pilot, "#swap-preview")
        assert store.group_meetings(group.id) == before  # a preview writes nothing

        await pilot.press("enter")  # Apply
        await pilot.pause()
        assert isinstance(pilot.app.screen, GroupScreen)
        moved = group_named(store, TUESDAY)
        assert (moved.pack_id, moved.pack_version) == ("imr-style", "1.1.0")
        after = store.group_meetings(group.id)
        assert after[-1].covers is not None and after[-1].covers.title == NEW_TITLE
        held = [m for m in before if m.status is MeetingStatus.HELD]
        assert held == [m for m in after if m.status is MeetingStatus.HELD]  # what was held stays
        assert "imr-style 1.1.0" in shown(pilot, "#group-header")


async def test_cancel_or_escape_in_the_preview_changes_nothing(store, clock) -> None:
    install_imr_1_1(store)
    async with demo_app(store, clock).run_test(size=(100, 32)) as pilot:
        await open_picker(pilot, store)
        group = group_named(store, TUESDAY)
        before = store.group_meetings(group.id)
        await pilot.press("up", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, GroupScreen)
        assert group_named(store, TUESDAY) == group and store.group_meetings(group.id) == before
        # Picking the version the group is already on says so and opens no preview.
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, GroupScreen)
        assert any("already on imr-style 1.0.0" in n.message for n in pilot.app._notifications)


async def test_sessions_a_bigger_pack_adds_get_meetings_with_shift_g(store, clock) -> None:
    async with demo_app(store, clock).run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        group = group_named(store, "Thursday WRAP Workshop")
        pilot.app.push_screen(GroupScreen(group.id))
        await pilot.pause()
        await pilot.press("p")
        await settle(pilot)
        options = pilot.app.screen.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        options.highlighted = next(i for i, label in enumerate(labels) if "dbt-skills-style" in label)
        await pilot.press("enter")
        await pilot.pause()
        preview = shown(pilot, "#swap-preview")
        assert "24 sessions of the new pack have no meeting yet:" in preview
        assert preview.endswith(
            "Once applied, G gives each of those sessions a meeting on the group's schedule."
        )
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("G")
        await settle(pilot)
        plan = shown(pilot, "#swap-preview")
        assert (
            "24 sessions have no meeting yet" in plan and plan.count("already planned, with no session") == 8
        )
        await pilot.press("enter")
        await pilot.pause()
        meetings = store.group_meetings(group.id)
        covered = [m for m in meetings if m.covers is not None]
        assert len(meetings) == 24 and len(covered) == 24  # the 8 bare meetings took the first 8 sessions
        assert {m.covers.unit_id for m in covered} <= {u.id for u in bundled_pack("dbt-skills-style").units}
        assert [m.number for m in meetings] == list(range(1, 25))
