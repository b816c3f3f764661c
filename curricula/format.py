"""The curriculum pack format: what a pack's TOML file holds, as msgspec Structs.

`curricula/FORMAT.md` documents every field for pack authors; keep the two in step.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Version = Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]
# The language a pack is written in, as a short language tag ("en", "es", "es-MX").
Language = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", max_length=35)]

# Text is one line unless it is `Prose`, and never holds control characters or the invisible characters
# that reorder or hide text (checks.py says which): a pack's words are shown in a terminal.
Title = Annotated[str, msgspec.Meta(max_length=200)]
Line = Annotated[str, msgspec.Meta(max_length=500)]
# Markdown that may run over several lines (prompts, notes, descriptions): newlines and tabs allowed.
Prose = Annotated[str, msgspec.Meta(max_length=10_000, extra={"lines": True})]

# How big a pack may be. The largest bundled pack has 44 sessions of at most 10 segments; these leave room
# for any real course, and keep a pack small enough to read in a moment every time the app starts.
MAX_SESSIONS = 200
MAX_UNITS = 100
MAX_SEGMENTS = 40
MAX_ITEMS = 30


class SegmentKind(enum.StrEnum):
    """What a segment of the agenda is for; shown beside its title on the Run Session screen."""

    WELCOME = "welcome"
    CHECK_IN = "check-in"
    REVIEW = "review"
    HOME_ASSIGNMENT_REVIEW = "home-assignment-review"
    GOAL_FOLLOW_UP = "goal-follow-up"
    AGENDA = "agenda"
    TEACHING = "teaching"
    PRACTICE = "practice"
    DISCUSSION = "discussion"
    MINDFULNESS = "mindfulness"
    SKILL_REVIEW = "skill-review"
    BREAK = "break"
    SUMMARY = "summary"
    HOME_ASSIGNMENT = "home-assignment"
    CLOSING = "closing"
    OTHER = "other"


class Enrolment(enum.StrEnum):
    """How groups on a pack usually take people: anyone any week, or a cohort that starts together."""

    OPEN = "open"
    CLOSED = "closed"


class CheckInStyle(enum.StrEnum):
    """How a template's check-in is asked: its own prompts, or the recovery-areas round (checkins.py)."""

    OWN = "own"
    CHIME = "chime"


class Technique(enum.StrEnum):
    """Techniques a segment uses, counted by the fidelity self-check."""

    EDUCATIONAL = "educational"
    MOTIVATIONAL = "motivational"
    COGNITIVE_BEHAVIOURAL = "cognitive-behavioural"
    COPING_SKILLS = "coping-skills"
    RELAPSE_PREVENTION = "relapse-prevention"
    BEHAVIOURAL_TAILORING = "behavioural-tailoring"
    SIGNIFICANT_OTHERS = "significant-others"


class Stage(enum.StrEnum):
    """Stages of treatment in integrated dual-recovery work."""

    ENGAGEMENT = "engagement"
    PERSUASION = "persuasion"
    ACTIVE_TREATMENT = "active_treatment"
    RELAPSE_PREVENTION = "relapse_prevention"


class Segment(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One timed part of a session's agenda."""

    title: Title
    kind: SegmentKind = SegmentKind.OTHER
    minutes: Minutes
    prompts: Prose = ""
    techniques: Annotated[list[Technique], msgspec.Meta(max_length=len(Technique))] = []
    stage_prompts: dict[Stage, Prose] = {}
    slot: bool = False


class Template(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The agenda every session follows unless it gives its own."""

    agenda: Annotated[list[Segment], msgspec.Meta(max_length=MAX_SEGMENTS)] = []
    # "chime" asks every check-in segment with the recovery-areas round instead of its own prompts.
    check_in: CheckInStyle = CheckInStyle.OWN


class Session(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One meeting's worth of the course."""

    number: Annotated[int, msgspec.Meta(ge=1, le=999)]
    title: Title
    minutes: Minutes | None = None
    objectives: Annotated[list[Line], msgspec.Meta(max_length=MAX_ITEMS)] = []
    agenda: Annotated[list[Segment], msgspec.Meta(max_length=MAX_SEGMENTS)] = []
    use_template: bool = True
    handouts: Annotated[list[Line], msgspec.Meta(max_length=MAX_ITEMS)] = []
    # Ids of the pack's blank sheets (`[[sheets]]`) to print for this session.
    sheets: Annotated[list[Slug], msgspec.Meta(max_length=MAX_ITEMS)] = []
    home_assignments: Annotated[list[Line], msgspec.Meta(max_length=MAX_ITEMS)] = []
    facilitator_notes: Prose = ""


class Unit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A module of the course: a run of numbered sessions on one topic."""

    id: Slug
    title: Title
    summary: Prose = ""
    sessions: Annotated[list[Session], msgspec.Meta(max_length=MAX_SESSIONS)] = []


class Sheet(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A blank sheet of the pack's own design (a goal chart, a crisis card) printed for people to fill in."""

    id: Slug
    title: Title
    purpose: Line = ""
    # Each item is a heading with room to write under it.
    rows: Annotated[list[Line], msgspec.Meta(min_length=1, max_length=MAX_ITEMS)]


class Change(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What one version of a pack changed, so a supervisor can see why a group might swap to it."""

    version: Version
    changes: Annotated[list[Line], msgspec.Meta(min_length=1, max_length=MAX_ITEMS)]


class Pack(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A whole curriculum pack, as read from one TOML file."""

    id: Slug
    title: Title
    version: Version
    format: Annotated[int, msgspec.Meta(ge=1, le=1)] = 1
    language: Language = "en"
    audience: Line = ""
    description: Prose = ""
    source: Prose = ""
    licence: Prose = ""
    session_minutes: Minutes = 90
    facilitators: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1
    # The most people the course is designed for in one room (IMR fidelity rates 8 or fewer highest).
    group_size: Annotated[int, msgspec.Meta(ge=1, le=200)] | None = None
    # What a new group on this pack starts as (the facilitator can still choose the other).
    enrolment: Enrolment | None = None
    template: Template | None = None
    # What to have ready on the day, for everyone to take part: large print, reading aloud, interpreters.
    accessibility: Annotated[list[Line], msgspec.Meta(max_length=MAX_ITEMS)] = []
    sheets: Annotated[list[Sheet], msgspec.Meta(max_length=MAX_ITEMS)] = []
    # Newest first: what each version changed.
    changelog: Annotated[list[Change], msgspec.Meta(max_length=MAX_ITEMS)] = []
    # At most MAX_SESSIONS sessions in all units together (a rule between fields, in checks.py).
    units: Annotated[list[Unit], msgspec.Meta(max_length=MAX_UNITS)] = []
