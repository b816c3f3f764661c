"""A session's agenda: composed from the pack (FORMAT.md, "How a session's agenda is made") and timed."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import msgspec

from curricula.format import Segment

# The shortest a segment is planned, unless the session is too short to give every segment this much.
MIN_SEGMENT_SECONDS = 60


class PlannedSegment(msgspec.Struct, frozen=True, kw_only=True):
    """One segment as the live session runs it: the pack's segment with its planned length in seconds."""

    title: str
    kind: str
    planned_seconds: int
    prompts: str = ""
    techniques: list[str] = []
    stage_prompts: dict[str, str] = {}


def plan_agenda(segments: Sequence[Segment], session_minutes: int | None) -> list[PlannedSegment]:
    """Time each segment, scaled in proportion to last `session_minutes` in all (None: as the pack says)."""
    weights = [segment.minutes * 60 for segment in segments]
    if session_minutes is None or not segments:
        seconds = weights
    else:
        if session_minutes < 1:
            raise ValueError(f"a session lasts at least one minute, not {session_minutes}")
        seconds = _scale(weights, session_minutes * 60)
    return [_planned(segment, planned) for segment, planned in zip(segments, seconds, strict=True)]


def _planned(segment: Segment, planned_seconds: int) -> PlannedSegment:
    """The live-session view of one pack segment."""
    return PlannedSegment(
        title=segment.title,
        kind=str(segment.kind),
        planned_seconds=planned_seconds,
        prompts=segment.prompts,
        techniques=[str(technique) for technique in segment.techniques],
        stage_prompts={str(stage): text for stage, text in segment.stage_prompts.items()},
    )


def _scale(weights: list[int], total: int) -> list[int]:
    """Whole seconds in proportion to `weights`, summing exactly to `total`, none below the floor."""
    # When the session is too short for a minute each, the floor drops to the most every segment can have.
    floor = min(MIN_SEGMENT_SECONDS, total // len(weights))
    if sum(weights) <= 0:
        # Segments built in code may skip validation; zero minutes everywhere means equal shares.
        weights = [1] * len(weights)
    fixed: set[int] = set()
    while True:
        free_total = total - floor * len(fixed)
        free = {i: weight for i, weight in enumerate(weights) if i not in fixed}
        free_weight = sum(free.values())
        shares = {i: Fraction(free_total * weight, free_weight) for i, weight in free.items()}
        # Segments whose share falls under the floor get the floor; the rest share what is left, again.
        short = {i for i, share in shares.items() if share < floor}
        if not short:
            break
        fixed |= short
    # Largest remainder: round down, then give the leftover seconds to the biggest fractions, earliest first.
    seconds = [floor if i in fixed else int(shares[i]) for i in range(len(weights))]
    leftover = total - sum(seconds)
    by_fraction = sorted(shares, key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_fraction[:leftover]:
        seconds[i] += 1
    return seconds
