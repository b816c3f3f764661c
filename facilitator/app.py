"""The Textual app: screens, global keys and theme. Screens ask the store; widgets only display."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from facilitator.messages import (
    OpenConflicts,
    OpenGroup,
    OpenPerson,
    OpenReports,
    OpenRoomDisplay,
    StartMeeting,
)
from facilitator.store import Store, StoreError
from facilitator.store.records import Group, utc_now

if TYPE_CHECKING:
    from facilitator.course.room import RoomFollower
    from facilitator.course.run import MeetingRun

from facilitator.themes import DARK_THEME, HIGH_CONTRAST, THEME_WORDS, next_theme


class FacilitatorApp(App[object]):
    """Facilitator in the terminal."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "Facilitator"
    BINDINGS = [
        Binding("q", "back_or_quit", "Back/quit"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+t", "toggle_theme", "Theme: dark, light, high contrast", show=False),
        # A priority key, so it locks from a dialog too (a dialog's keys stop at the dialog).
        Binding("ctrl+l", "lock", "Lock now (hide every name)", show=False, priority=True),
        Binding("1", "go('home')", "Home", show=False),
        Binding("2", "go('groups')", "Groups", show=False),
        Binding("3", "go('people')", "People", show=False),
        Binding("4", "go('packs')", "Packs", show=False),
        Binding("5", "go('reports')", "Reports", show=False),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        opening_note: str = "",
    ) -> None:
        super().__init__()
        self.store = store
        self.opening_note = opening_note  # said on the first screen (the demo: where its file is)
        self.clock = clock
        # Session timers count from this clock (tests pass a fake one); `clock` dates what is saved.
        self.monotonic = monotonic
        # Sessions under way in this process, by meeting id: leaving the Run Session screen keeps them going.
        self.live_runs: dict[str, MeetingRun] = {}
        self.register_theme(HIGH_CONTRAST)
        # A theme this Textual does not know (a newer app's, a typo in the file) falls back to the dark one.
        saved = store.meta.settings.theme
        self.theme = saved if saved in self.available_themes else DARK_THEME
        self.rest_loaded = False
        self.warnings_shown = 0  # how many of the store's warnings are already on the screen
        self.quit_warned = False  # q was pressed once with a session's changes unsaved
        from facilitator.screens.lock import IdleWatch

        self.idle = IdleWatch(monotonic)

    def on_mount(self) -> None:
        from facilitator.screens.home import HomeScreen

        if self.store.read_only:
            self.sub_title = "read-only"
        else:
            # Marks go to the journal at once; the whole-file rewrite runs in a worker, never in a keypress.
            self.store.auto_fold = False
            self.set_interval(15, self.fold_if_due)
            self.set_interval(5, self.retry_live_runs)
        from facilitator.screens.lock import IDLE_CHECK_SECONDS

        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.push_screen(HomeScreen())
        if self.opening_note:
            self.notify(self.opening_note, title="Note", timeout=30, markup=False)
        self.show_warnings()
        self.offer_resume()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification from any screen: plain text (names in it too) is shown, never obeyed."""
        from facilitator.display import multi_line, one_line

        if not markup:
            message, title = multi_line(message), one_line(title)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def show_warnings(self) -> None:
        """What the store noticed on opening (a file made private, an unfinished write), one line each."""
        from facilitator.screens.saving import sentence

        for warning in self.store.warnings[self.warnings_shown :]:
            self.notify(sentence(warning), title="Note", severity="warning", timeout=20, markup=False)
        self.warnings_shown = len(self.store.warnings)

    def on_ready(self) -> None:
        """Home is on the screen: now load the big tables, off the event loop."""
        if not gc.isenabled():  # paused while starting (`run_app`): what was made lives as long as the app
            gc.freeze()
            gc.enable()
        self.run_worker(self.load_rest, thread=True, group="store", exit_on_error=False)

    def offer_resume(self) -> None:
        """A meeting left in progress (the app was closed or killed mid-session): offer to carry on."""
        in_progress = [] if self.store.read_only else self.store.meetings_in_progress()
        if not in_progress:
            return
        from facilitator.screens.run.dialogs import ResumeDialog
        from facilitator.screens.run.screen import RunSessionScreen

        # Every meeting left in progress is offered, the most recent first; "not now" offers the next. Once
        # one is resumed the rest wait on Home, marked "in progress", where Enter resumes them.
        waiting = sorted(in_progress, key=lambda m: m.started_at or m.scheduled_start, reverse=True)

        def offer(index: int) -> None:
            meeting = waiting[index]

            def resume(kept_running: bool | None) -> None:
                if kept_running is not None:
                    self.push_screen(RunSessionScreen(meeting.id, kept_running=kept_running))
                    others = len(waiting) - index - 1
                    if others:
                        more = "1 other session is" if others == 1 else f"{others} other sessions are"
                        self.notify(f"{more} in progress too: on Home, Enter on one resumes it.")
                elif index + 1 < len(waiting):
                    offer(index + 1)

            group = self.store.get(Group, meeting.group_id)
            self.push_screen(ResumeDialog(meeting, group, self.clock()), resume)

        offer(0)

    def fold_if_due(self) -> None:
        from facilitator.store.store import FOLD_JOURNAL_BYTES

        if self.store.journal_bytes > FOLD_JOURNAL_BYTES or self.store.fold_error:
            self.run_worker(self.fold_in_worker, thread=True, group="fold", exit_on_error=False)

    def fold_in_worker(self) -> None:
        """Fold the journal into the file; a failure is told once (the changes are safe in the journal)."""
        told = self.store.fold_error is not None
        try:
            self.store.fold(blocking=False)
        except StoreError as error:
            if not told:
                self.call_from_thread(self.tell_fold_failed, str(error))
            return
        if told:
            self.call_from_thread(self.notify, "The journal is folded into the file again.", markup=False)

    def tell_fold_failed(self, line: str) -> None:
        from facilitator.screens.saving import sentence

        self.notify(sentence(line), title="Note", severity="warning", timeout=20, markup=False)

    def retry_live_runs(self) -> None:
        """Save what a session left waiting when the store refused it, while its screen is not open."""
        open_runs = {getattr(screen, "run", None) for screen in self.screen_stack}  # those retry themselves
        for meeting_id, run in list(self.live_runs.items()):
            if not run.unsaved or run in open_runs:
                continue
            run.retry_if_due()
            if run.unsaved:
                continue
            self.notify("Saved: the session that was waiting is on disk now.")
            if run.ended:
                del self.live_runs[meeting_id]  # held now: its summary opens from the group

    def load_rest(self) -> None:
        """Load the rest of the store, then tell the screens; Home stops "checking…" whatever happens."""
        from facilitator.store import CorruptDatabase
        from facilitator.store.errors import describe_os_error

        problem = ""
        try:
            self.store.load_rest()
        except CorruptDatabase as error:
            # A damaged table: nothing may be written over it, so close and say what to do (see `run_app`).
            self.call_from_thread(self.exit, error, 1)
            return
        except StoreError as error:
            # Every table is read before the backup is taken (or the version noted): the records are all here.
            problem = str(error)
        except OSError as error:
            problem = f"the backup could not be taken ({describe_os_error(error)}); your records are loaded"
        except Exception as error:  # a bug: better closed with one line than carrying on half-loaded
            self.call_from_thread(self.exit, StoreError(f"could not finish reading the database: {error}"), 1)
            return
        self.read_packs()
        # The loaded records live as long as the app: keep the collector from walking them on every full pass
        # (at ten years of records a full pass otherwise stalls the screen for tens of milliseconds).
        gc.freeze()
        self.rest_loaded = True
        self.call_from_thread(self.rest_ready, problem)

    def read_packs(self) -> None:
        """Read the installed packs here, in the worker, so the first Run Session does not wait for them.

        A pack that cannot be read is left to the screen that needs it, which says so as it always has.
        """
        from facilitator.course.packs import PackLibrary
        from facilitator.store.files import packs_folder

        try:
            PackLibrary.of(packs_folder(self.store.path)).registry()
        except Exception:  # told by the screen that reads it, not here
            return

    def rest_ready(self, problem: str) -> None:
        """Every table is loaded: say what went wrong on the way, if anything, and let the screens know."""
        from facilitator.messages import StoreLoaded
        from facilitator.screens.saving import sentence

        if problem:
            self.notify(sentence(problem), severity="warning", timeout=20, markup=False)
        self.show_warnings()
        self.screen.post_message(StoreLoaded())

    def action_back_or_quit(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.quit_after_warning()

    async def action_quit(self) -> None:
        """ctrl+q: quit from anywhere, with the same warning as q on Home."""
        self.quit_after_warning()

    def quit_after_warning(self) -> None:
        """Quit, after one warning when a session is running or has changes not saved yet."""
        if not self.quit_warning():
            self.exit()

    def quit_warning(self) -> bool:
        """With a session running or its changes unsaved, say so once (quitting again quits)."""
        runs = [run for run in self.live_runs.values() if not run.ended]
        unsaved = any(run.unsaved for run in self.live_runs.values())
        if not (runs or unsaved) or self.quit_warned:
            return False
        self.quit_warned = True
        if unsaved:
            line = "A session has changes that are not saved yet (Facilitator keeps trying). "
            line += "Press q again to quit without them."
        else:
            names = ", ".join(self.run_words(run) for run in runs)
            line = f"Still running: {names}. Quitting keeps its place, offered for resume when you open "
            line += "Facilitator again. Press q again to quit."
        self.notify(line, severity="error" if unsaved else "warning", timeout=10, markup=False)
        return True

    def run_words(self, run: MeetingRun) -> str:
        group = run.group
        return f"meeting {run.meeting.number} of {group.name if group else 'a group'}"

    def action_help(self) -> None:
        from facilitator.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """Go on to the next theme: dark, light, high contrast (kept in the database, see `watch_theme`)."""
        self.theme = next_theme(self.theme, dark=self.current_theme.dark)
        self.notify(f"Theme: {THEME_WORDS[self.theme]}.", timeout=3)

    def watch_theme(self, theme: str) -> None:
        """Keep the facilitator's choice, however it was made (ctrl+t or the palette's "Change theme")."""
        store = self.store
        settings = store.meta.settings
        if store.read_only or theme == settings.theme:
            return
        from facilitator.screens.saving import save_or_say

        changed = msgspec.structs.replace(settings, theme=theme)
        save_or_say(self, lambda: store.update(store.meta, settings=changed), what="The theme")

    def on_open_group(self, message: OpenGroup) -> None:
        from facilitator.screens.navigation import open_group

        open_group(self, message.group_id, message.meeting_id)

    def on_open_person(self, message: OpenPerson) -> None:
        from facilitator.screens.navigation import open_participant

        open_participant(self, message.participant_id)

    def on_open_reports(self, message: OpenReports) -> None:
        from facilitator.screens.navigation import open_reports

        open_reports(self, message.group_id, message.participant_id)

    def on_open_conflicts(self, message: OpenConflicts) -> None:
        from facilitator.screens.navigation import open_conflicts

        open_conflicts(self)

    def on_start_meeting(self, message: StartMeeting) -> None:
        from facilitator.screens.navigation import start_meeting

        start_meeting(self, message.meeting_id)

    def on_open_room_display(self, message: OpenRoomDisplay) -> None:
        from facilitator.course.room import LiveRoom
        from facilitator.screens.room.screen import RoomScreen

        run = self.live_runs.get(message.meeting_id)
        if run is not None:
            self.push_screen(RoomScreen(LiveRoom(run)))

    def action_go(self, place: str) -> None:
        """Keys 1–5: Home, Groups, People, Packs, Reports."""
        from facilitator.screens.navigation import go

        go(self, place)

    # --- the idle lock (screens/lock.py) ------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent) and not event.is_forwarded:
            self.idle.touched()
        await super().on_event(event)

    @property
    def locked(self) -> bool:
        from facilitator.screens.lock import LockScreen

        return any(isinstance(screen, LockScreen) for screen in self.screen_stack)

    def lock_if_idle(self) -> None:
        """Lock once the setting's minutes have gone by without a key (checked every few seconds)."""
        if not self.locked and self.idle.due(self.store.meta.settings.idle_lock_minutes):
            self.action_lock()

    def action_lock(self) -> None:
        """Hide every name now; a key (or the passphrase) brings the app back."""
        from facilitator.screens.lock import LockScreen

        if self.locked:
            return
        self.clear_notifications()  # a toast may name someone
        self.push_screen(LockScreen(self.store.storage), lambda _: self.idle.touched())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While locked, no key of the app's reaches past the lock (quitting is still allowed)."""
        return not self.locked or action in {"quit", "help_quit"}

    def set_idle_lock(self, minutes: int | None) -> None:
        from facilitator.screens.lock import describe
        from facilitator.screens.saving import save_or_say

        store = self.store
        changed = msgspec.structs.replace(store.meta.settings, idle_lock_minutes=minutes)
        if save_or_say(self, lambda: store.update(store.meta, settings=changed), what="The idle lock"):
            self.notify(f"Idle lock: {describe(minutes)}.")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, the numbered places, and every key of the current screen.

        Textual's "Screenshot" is left out: it would write people's records, unencrypted, to the shared
        downloads folder.
        """
        from facilitator.screens.navigation import palette_commands

        yield from (
            command for command in super().get_system_commands(screen) if command.title != "Screenshot"
        )
        yield SystemCommand(
            "Theme: dark, light, high contrast", "the next theme (key ctrl+t)", self.action_toggle_theme
        )
        yield from self.idle_lock_commands()
        yield from palette_commands(self, screen)

    def idle_lock_commands(self) -> Iterable[SystemCommand]:
        from functools import partial

        from facilitator.screens.lock import IDLE_LOCK_CHOICES, describe

        yield SystemCommand(
            "Lock now", "hide every name until a key is pressed (key ctrl+l)", self.action_lock
        )
        if self.store.read_only:
            return
        now = self.store.meta.settings.idle_lock_minutes
        for minutes in (*IDLE_LOCK_CHOICES, None):
            if minutes != now:
                title = f"Idle lock: {describe(minutes)}"
                yield SystemCommand(title, f"now {describe(now)}", partial(self.set_idle_lock, minutes))


def make_app(
    store: Store,
    *,
    clock: Callable[[], datetime] = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
    opening_note: str = "",
) -> FacilitatorApp:
    """The one factory used by the command and the tests."""
    return FacilitatorApp(store, clock=clock, monotonic=monotonic, opening_note=opening_note)


class RoomApp(App[object]):
    """`facilitator room`: the room display alone, following a database another window writes."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "Facilitator room display"
    BINDINGS = [Binding("ctrl+t", "toggle_theme", "Theme: dark, light, high contrast", show=False)]

    def __init__(self, follower: RoomFollower) -> None:
        super().__init__()
        self.follower = follower
        self.register_theme(HIGH_CONTRAST)
        follower.poll()
        self.theme = follower.theme if follower.theme in self.available_themes else DARK_THEME

    def on_mount(self) -> None:
        from facilitator.screens.room.screen import RoomScreen

        self.push_screen(RoomScreen(self.follower, closes_app=True))

    def action_toggle_theme(self) -> None:
        """The next theme, for this display only (it never writes to the database)."""
        self.theme = next_theme(self.theme, dark=self.current_theme.dark)


def make_room_app(
    path: Path,
    *,
    meeting_id: str | None = None,
    clock: Callable[[], datetime] = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
) -> RoomApp:
    """The room display on the database at `path` (the command and the tests)."""
    from facilitator.course.room import RoomFollower

    return RoomApp(RoomFollower(path, meeting_id=meeting_id, monotonic=monotonic, wall_clock=clock))
