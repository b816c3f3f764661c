"""The Groups (2) and People (3) lists: `/` filters as you type, Enter opens."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Input, Static

from facilitator.course.calendar import course_progress
from facilitator.display import literal
from facilitator.messages import OpenConflicts, OpenGroup, OpenPerson
from facilitator.screens.base import AppScreen
from facilitator.screens.group.new import new_group
from facilitator.screens.person.forms import NewPerson, PersonForm
from facilitator.screens.saving import ask
from facilitator.store.records import EnrollmentStatus, Group, Participant
from facilitator.store.store import sort_key
from facilitator.widgets.record_list import ListedRecord, RecordList, listed
from facilitator.words import GROUP_STATUS_WORDS

Row = tuple[ListedRecord, str]  # a record as listed, and the text the filter searches


class ListScreen(AppScreen):
    """A filterable list of records; subclasses say which columns and rows.

    Typing in the filter shows the rows whose text holds what is typed: plain strings compared in Python, and
    a `RecordList` that draws only the lines on the screen, so a key costs about the same at 30 or 5,000.
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter the list", key_display="/"),
        Binding("escape", "clear_filter", "Clear the filter", show=False),
        Binding("enter", "open_selected", "Open", show=False),
    ]
    AUTO_FOCUS = "#list"
    COLUMNS: tuple[str, ...] = ()
    NOUN = "rows"
    ONE = "row"  # the noun for one ("1 group", not "1 groups")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def compose(self) -> ComposeResult:
        yield Header()
        # Anything typed is a fair filter: nothing to validate, so no restyling of the box as a key arrives.
        box = Input(
            placeholder="Filter: type part of a name (Escape clears)", id="list-filter", validate_on=()
        )
        box.display = False  # until `/`
        yield box
        yield Static("", id="list-count", classes="section-title")
        yield RecordList(self.COLUMNS, id="list")
        yield Footer()

    def on_mount(self) -> None:
        # The list follows the box's value as it changes, in the same turn as the key, rather than when the
        # box's Changed message comes round: the box and the list are then painted in one frame, not two.
        self.watch(self.query_one("#list-filter", Input), "value", self._filter_changed, init=False)

    def on_screen_resume(self) -> None:
        self.rows = self.load_rows()
        self.show_rows()

    def load_rows(self) -> list[Row]:
        raise NotImplementedError

    def show_rows(self) -> None:
        wanted = sort_key(self.query_one("#list-filter", Input).value.strip())
        shown = [row for row, text in self.rows if wanted in text]
        table = self.query_one("#list", RecordList)
        table.show(shown, keep=table.selected_key)
        noun = self.ONE if len(self.rows) == 1 else self.NOUN
        count = f"{len(shown)} of {len(self.rows)} {noun}" if wanted else f"{len(self.rows)} {noun}"
        # One line whatever it says: the count asks for no layout of its own.
        self.query_one("#list-count", Static).update(Text(count), layout=False)

    def _filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#list-filter")
    def _filter_done(self) -> None:
        self.query_one("#list", RecordList).focus()

    def action_filter(self) -> None:
        box = self.query_one("#list-filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#list-filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#list", RecordList).focus()

    @on(RecordList.Selected, "#list")
    def _row_chosen(self, event: RecordList.Selected) -> None:
        self.open(event.key)

    def action_open_selected(self) -> None:
        key = self.query_one("#list", RecordList).selected_key
        if key:
            self.open(key)

    def open(self, key: str) -> None:
        raise NotImplementedError


class GroupsScreen(ListScreen):
    """Every group, running or not; `n` starts a new one from a course pack."""

    TITLE = "Groups"
    BINDINGS = [
        *ListScreen.BINDINGS,
        Binding("n", "new_group", "New group from a pack"),
        Binding("i", "import_bundle", "Import a bundle", tooltip="Records from another laptop, merged"),
        Binding("C", "conflicts", "Conflicts", tooltip="Versions merges set aside; keep either"),
    ]
    EDITS = frozenset({"new_group", "import_bundle"})
    COLUMNS = ("Group", "Status", "Kind", "Pack", "Progress", "People")
    NOUN = "groups"
    ONE = "group"

    def load_rows(self) -> list[Row]:
        rows: list[Row] = []
        for group in self.store.groups():
            held, total = course_progress(self.store.group_meetings(group.id))
            roster = self.store.roster(group.id)
            active = sum(1 for e, _ in roster if e.status is EnrollmentStatus.ACTIVE)
            cells = (
                literal(group.name),
                GROUP_STATUS_WORDS[group.status],
                group.kind.value,
                literal(f"{group.pack_id} {group.pack_version}".strip()),
                f"session {held} of {total}",
                str(active),
            )
            rows.append((listed(group.id, cells), sort_key(group.name)))
        return rows

    def open(self, key: str) -> None:
        self.post_message(OpenGroup(key))

    def action_new_group(self) -> None:
        new_group(self.app)

    def action_import_bundle(self) -> None:
        if self.writable():
            from facilitator.screens.bundles.dialogs import import_bundle

            import_bundle(self.app, self.store, then=self.show_rows)

    def action_conflicts(self) -> None:
        self.post_message(OpenConflicts())


class PeopleScreen(ListScreen):
    """Everyone, with the groups they are in; `n` adds a person."""

    TITLE = "People"
    BINDINGS = [*ListScreen.BINDINGS, Binding("n", "add_person", "Add a person")]
    EDITS = frozenset({"add_person"})
    COLUMNS = ("Name", "Pronouns", "Groups")
    NOUN = "people"
    ONE = "person"

    def load_rows(self) -> list[Row]:
        groups = {g.id: g.name for g in self.store.all(Group)}
        people = sorted(self.store.all(Participant), key=lambda p: sort_key(p.display_name))
        rows: list[Row] = []
        for person in people:
            names = [
                groups[e.group_id] + ("" if e.status is EnrollmentStatus.ACTIVE else f" ({e.status.value})")
                for e in self.store.enrollments_of(person.id)
                if e.group_id in groups
            ]
            cells = (
                literal(person.display_name),
                literal(person.pronouns or ""),
                literal(", ".join(names) or "—"),
            )
            searched = sort_key(f"{person.display_name} {person.full_name or ''}")
            rows.append((listed(person.id, cells), searched))
        return rows

    def open(self, key: str) -> None:
        self.post_message(OpenPerson(key))

    def action_add_person(self) -> None:
        if not self.writable():
            return
        names = [p.display_name for p in self.store.all(Participant)]
        ask(self.app, PersonForm(names), self.save_person)

    def save_person(self, new: NewPerson) -> None:
        now = self.now()
        person = Participant(
            display_name=new.display_name,
            pronouns=new.pronouns or None,
            contact=new.contact or None,
            created_at=now,
            updated_at=now,
        )
        self.store.add(person)
        self.notify(
            f"Added {new.display_name.removesuffix('.')}. Enrol them from a group's screen (e).", markup=False
        )
        self.on_screen_resume()
