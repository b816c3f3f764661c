"""The database sizes of SPEC section 9."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    groups: int
    participants: int
    meetings: int
    marks: int
    goals: int


SIZES = {
    "S": Size("S", groups=5, participants=60, meetings=150, marks=2_000, goals=100),
    "M": Size("M", groups=40, participants=800, meetings=4_000, marks=50_000, goals=3_000),
    "L": Size("L", groups=200, participants=5_000, meetings=30_000, marks=400_000, goals=20_000),
}
