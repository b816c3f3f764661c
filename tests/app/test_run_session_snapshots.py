"""Pictures of the Run Session screen at the start, in a segment's wrap-up minute and in overrun.

Fixed clocks, the demo with seed 7, 100×32. Update with `--snapshot-update` only after looking at the change.
"""

from __future__ import annotations

from facilitator.screens.run.screen import RunSessionScreen
from tests.app.run_fakes import demo_tonight, run_app

SIZE = (100, 32)


def picture(store, clock, snap_compare, **advance: float) -> bool:
    """The screen on tonight's meeting; with `advance`, started and run that long."""
    meeting = demo_tonight(store, clock)
    app = run_app(store, clock)

    async def run_before(pilot) -> None:
        await pilot.app.push_screen(RunSessionScreen(meeting.id))
        await pilot.pause()
        screen = pilot.app.screen
        if advance:
            await pilot.press("space")
            clock.advance(**advance)
            screen.tick()
        await pilot.pause()

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_at_the_start(store, clock, snap_compare) -> None:
    assert picture(store, clock, snap_compare)


def test_in_the_wrap_up_minute(store, clock, snap_compare) -> None:
    assert picture(store, clock, snap_compare, minutes=4, seconds=20)


def test_in_overrun(store, clock, snap_compare) -> None:
    assert picture(store, clock, snap_compare, minutes=6, seconds=5)
