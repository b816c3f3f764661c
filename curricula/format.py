"""The curriculum pack format: what a pack's TOML file holds, as msgspec Structs.

`curricula/FORMAT.md` documents every field for pack authors; keep the two in step.
"""

from __future__ import annotations

import enum
from typing import Annotated

import msgspec

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
Version = Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+\.\d+$")]
Title = Annotated[str, msgspec.Meta(max_length=200)]
Minutes = Annotated[int, msgspec.Meta(ge=1, le=600)]


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
    prompts: str = ""
    techniques: list[Technique] = []
    stage_prompts: dict[Stage, str] = {}
    slot: bool = False


class Template(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The agenda every session follows unless it gives its own."""

    agenda: list[Segment] = []


class Session(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One meeting's worth of the course."""

    number: Annotated[int, msgspec.Meta(ge=1, le=999)]
    title: Title
    minutes: Minutes | None = None
    objectives: list[str] = []
    agenda: list[Segment] = []
    use_template: bool = True
    handouts: list[str] = []
    home_assignments: list[str] = []
    facilitator_notes: str = ""


class Unit(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A module of the course: a run of numbered sessions on one topic."""

    id: Slug
    title: Title
    summary: str = ""
    sessions: list[Session] = []


class Pack(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A whole curriculum pack, as read from one TOML file."""

    id: Slug
    title: Title
    version: Version
    format: Annotated[int, msgspec.Meta(ge=1, le=1)] = 1
    audience: str = ""
    description: str = ""
    source: str = ""
    licence: str = ""
    session_minutes: Minutes = 90
    facilitators: Annotated[int, msgspec.Meta(ge=1, le=6)] = 1
    template: Template | None = None
    units: list[Unit] = []
