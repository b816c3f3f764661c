"""Browsing one pack: its units and sessions in a tree, and the highlighted one's page as Markdown.

A session's page is its agenda with minutes and the facilitator prompts (Markdown, as the pack gives them).
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, Tree

from curricula.agenda import session_agenda, session_length
from curricula.format import Pack, Segment, Session, Unit
from curricula.registry import PackEntry
from facilitator.display import literal, multi_line, one_line
from facilitator.widgets.keys_footer import KeysFooter

# Markdown punctuation in titles and names is shown as typed, not obeyed.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")

Place = tuple[int, int] | tuple[int] | tuple[()]  # (unit, session) indexes: a session, a unit, the pack


def plain(text: str) -> str:
    """Pack text for a heading or a table cell: control characters visible, Markdown punctuation escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(" ".join(text.split())))


def prose(text: str) -> str:
    """Pack Markdown (prompts, notes, summaries) as written, with control characters made visible."""
    return multi_line(text.strip())


def bullets(heading: str, items: list[str]) -> list[str]:
    return [f"### {heading}", *(f"- {plain(item)}" for item in items)] if items else []


def pack_page(pack: Pack) -> str:
    parts = [f"# {plain(pack.title)}", f"`{pack.id}` {pack.version} · usually {pack.session_minutes} min"]
    for label, value in (("For", pack.audience), ("Source", pack.source), ("Licence", pack.licence)):
        if value:
            parts.append(f"**{label}:** {prose(value)}")
    if pack.description:
        parts.append(prose(pack.description))
    parts.append("### Units")
    parts += [f"{n}. {plain(u.title)} ({len(u.sessions)} sessions)" for n, u in enumerate(pack.units, 1)]
    return "\n\n".join(parts)


def unit_page(pack: Pack, number: int, unit: Unit) -> str:
    parts = [f"# {number}. {plain(unit.title)}"]
    if unit.summary:
        parts.append(prose(unit.summary))
    parts.append("### Sessions")
    parts += [f"{number}.{s.number} {plain(s.title)} ({session_length(pack, s)} min)" for s in unit.sessions]
    return "\n\n".join(parts)


def session_page(pack: Pack, number: int, unit: Unit, session: Session) -> str:
    """The session's objectives, agenda with minutes, each segment's prompts, handouts and assignments."""
    segments = session_agenda(pack, session)
    planned = sum(segment.minutes for segment in segments)
    length = session_length(pack, session)
    parts = [
        f"# {number}.{session.number} {plain(session.title)}",
        f"{plain(unit.title)} · {length} min · the agenda adds up to {planned} min",
    ]
    parts += bullets("Objectives", session.objectives)
    parts.append("### Agenda")
    # A list rather than a table: a table's columns get too narrow to read beside the tree at 80 columns.
    parts.append("\n".join(f"- **{s.minutes} min** · {plain(s.title)} · *{s.kind}*" for s in segments))
    for index, segment in enumerate(segments, start=1):
        parts += segment_part(index, segment)
    parts += bullets("Handouts (bring your own copies)", session.handouts)
    parts += bullets("Suggested home assignments", session.home_assignments)
    if session.facilitator_notes:
        parts += ["### Notes for the facilitator", prose(session.facilitator_notes)]
    return "\n\n".join(parts)


def segment_part(index: int, segment: Segment) -> list[str]:
    parts = [f"### {index}. {plain(segment.title)}", f"*{segment.minutes} min · {segment.kind}*"]
    parts.append(prose(segment.prompts) if segment.prompts.strip() else "*No prompts for this segment.*")
    for stage, prompts in segment.stage_prompts.items():
        parts += [f"**For people in {stage.value.replace('_', ' ')}:**", prose(prompts)]
    return parts


class PackBrowser(Screen[None]):
    """One pack: units and sessions on the left, the highlighted one's page on the right."""

    TITLE = "Pack"
    BINDINGS = [
        Binding("tab", "switch_pane", "Tree / page", show=False),
        Binding("escape", "focus_tree", "Back to the tree", show=False),
    ]
    AUTO_FOCUS = "#pack-tree"

    def __init__(self, entry: PackEntry) -> None:
        super().__init__()
        assert entry.pack is not None  # only a usable pack is browsed
        self.entry = entry
        self.pack: Pack = entry.pack

    def compose(self) -> ComposeResult:
        yield Header()
        tree: Tree[Place] = Tree(literal(self.pack.title), data=(), id="pack-tree")
        tree.root.expand()
        for u, unit in enumerate(self.pack.units):
            branch = tree.root.add(literal(f"{u + 1}. {unit.title}"), data=(u,))
            for s, session in enumerate(unit.sessions):
                branch.add_leaf(literal(f"{u + 1}.{session.number} {session.title}"), data=(u, s))
        with Horizontal(id="browser-body"):
            yield tree
            with VerticalScroll(id="pack-page-box"):
                yield Markdown(pack_page(self.pack), id="pack-page", open_links=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.entry.id} {self.entry.version}"

    def page(self, place: Place) -> str:
        if len(place) == 2:
            u, s = place
            unit = self.pack.units[u]
            return session_page(self.pack, u + 1, unit, unit.sessions[s])
        if len(place) == 1:
            return unit_page(self.pack, place[0] + 1, self.pack.units[place[0]])
        return pack_page(self.pack)

    @on(Tree.NodeHighlighted)
    def show_page(self, event: Tree.NodeHighlighted[Place]) -> None:
        place = event.node.data if event.node.data is not None else ()
        self.query_one("#pack-page", Markdown).update(self.page(place))
        self.query_one("#pack-page-box").scroll_home(animate=False)

    @on(Tree.NodeSelected)
    def read_page(self, event: Tree.NodeSelected[Place]) -> None:
        """Enter on a session: move to its page to read (and scroll) it."""
        if event.node.data is not None and len(event.node.data) == 2:
            self.query_one("#pack-page-box").focus()

    def action_switch_pane(self) -> None:
        tree = self.query_one("#pack-tree")
        (self.query_one("#pack-page-box") if tree.has_focus else tree).focus()

    def action_focus_tree(self) -> None:
        self.query_one("#pack-tree").focus()
