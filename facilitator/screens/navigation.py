"""Going places: the numbered screens (1–5), a group, a person, a meeting; and the palette's commands.

Screens are imported when first needed, so starting the app imports only Home.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import partial

from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Static

from facilitator.widgets.keys_footer import KeysFooter

# place -> (module, screen class, title); Packs and Reports are written elsewhere and may not exist yet.
PLACES = {
    "home": ("facilitator.screens.home", "HomeScreen", "Home"),
    "groups": ("facilitator.screens.lists", "GroupsScreen", "Groups"),
    "people": ("facilitator.screens.lists", "PeopleScreen", "People"),
    "packs": ("facilitator.screens.packs.screen", "PacksScreen", "Packs"),
    "reports": ("facilitator.screens.reports.screen", "ReportsScreen", "Reports"),
}
RUN_SESSION = ("facilitator.screens.run.screen", "RunSessionScreen")


class ComingSoonScreen(Screen[None]):
    """A place that is not built yet, said plainly."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            f"{self.title} is coming soon.\n\nPress 1 for Home, 2 for Groups, 3 for People, or q to go back.",
            id="coming-soon",
        )
        yield KeysFooter()


def screen_class(module: str, name: str) -> type[Screen] | None:
    """A screen class by module and name, or None if that module is not there yet."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise  # the module is there but something it imports is not: a real bug, so let it show
        return None
    return getattr(loaded, name, None)


def go(app: App, place: str) -> None:
    """Show a numbered place on top of Home (so `q` always comes back to Home)."""
    if isinstance(app.screen, ModalScreen):
        return  # a dialog is open: it has the keys until it is closed
    from facilitator.screens.home import HomeScreen

    home = next((s for s in app.screen_stack if isinstance(s, HomeScreen)), None)
    if home is not None:
        while app.screen is not home:
            app.pop_screen()
    if place == "home":
        return
    module, name, title = PLACES[place]
    found = screen_class(module, name)
    app.push_screen(found() if found is not None else ComingSoonScreen(title))


def open_group(app: App, group_id: str, meeting_id: str | None = None) -> None:
    """The Group screen; with a held meeting, its attendance grid opens on that meeting."""
    from facilitator.screens.group.screen import GroupScreen

    app.push_screen(GroupScreen(group_id, meeting_id))


def open_conflicts(app: App) -> None:
    from facilitator.screens.bundles.conflicts import ConflictsScreen

    app.push_screen(ConflictsScreen())


def open_participant(app: App, participant_id: str) -> None:
    from facilitator.screens.person.screen import ParticipantScreen

    app.push_screen(ParticipantScreen(participant_id))


def open_reports(app: App, group_id: str | None = None, participant_id: str | None = None) -> None:
    """The Reports screen on a group's or a person's report."""
    from facilitator.screens.reports.screen import ReportsScreen

    app.push_screen(ReportsScreen(group_id, participant_id))


def start_meeting(app: App, meeting_id: str) -> None:
    """Open the Run Session screen on a meeting, or say plainly that it is not there yet."""
    found = screen_class(*RUN_SESSION)
    if found is None:
        app.notify("The Run Session screen is not in this build yet.", title="Cannot start the meeting")
        return
    app.push_screen(found(meeting_id))


def new_group(app: App) -> None:
    """The form for a new group from a pack (imported when first used)."""
    from facilitator.screens.group.new import new_group as ask

    ask(app)


def palette_commands(app: App, screen: Screen) -> Iterable[SystemCommand]:
    """The numbered places and every described key of the current screen, for the command palette."""
    for number, (place, (_, _, title)) in enumerate(PLACES.items(), start=1):
        yield SystemCommand(f"Go to {title}", f"key {number}", partial(go, app, place))
    if not any(isinstance(b, Binding) and b.action == "new_group" for b in screen.BINDINGS):
        help_text = "a group and its planned meetings (key n on Groups)"
        yield SystemCommand("New group from a pack", help_text, partial(new_group, app))
    seen = set()
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
            continue
        if screen.check_action(binding.action, ()) is False:
            continue  # e.g. an edit on a read-only database
        seen.add(binding.action)
        key = binding.key_display or binding.key.split(",")[0]
        help_text = f"{binding.tooltip} (key {key})" if binding.tooltip else f"key {key}"
        yield SystemCommand(binding.description, help_text, partial(screen.run_action, binding.action))
