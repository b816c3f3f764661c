"""The words the screens show for stored values: each label table once."""

from __future__ import annotations

from facilitator.store.records import Review

# A home assignment's review, as the participant and summary screens show it.
REVIEW_WORDS: dict[str, str] = {
    Review.DONE: "✓ done",
    Review.PARTLY: "◐ partly",
    Review.NOT_DONE: "✗ not done",
    Review.NOT_REVIEWED: "? not reviewed",
}
