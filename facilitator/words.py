"""The words the screens show for stored values: each label table once."""

from __future__ import annotations

from facilitator.reports.follow_ups import FollowUpKind
from facilitator.store.records import (
    EnrollmentStatus,
    GoalStatus,
    GroupKind,
    GroupStatus,
    MeetingStatus,
    Review,
)

# A home assignment's review, as the participant and summary screens show it.
REVIEW_WORDS: dict[str, str] = {
    Review.DONE: "✓ done",
    Review.PARTLY: "◐ partly",
    Review.NOT_DONE: "✗ not done",
    Review.NOT_REVIEWED: "? not reviewed",
}

# A goal's status.
GOAL_STATUS_WORDS = {
    GoalStatus.ACTIVE: "▶ active",
    GoalStatus.ACHIEVED: "✓ achieved",
    GoalStatus.PAUSED: "‖ paused",
    GoalStatus.DROPPED: "✗ dropped",
}

# What a follow-up on Home is about.
FOLLOW_UP_WORDS = {
    FollowUpKind.MISSED_MEETINGS: "✗ missed",
    FollowUpKind.QUIET_GOAL: "◌ quiet goal",
    FollowUpKind.NOT_REVIEWED: "☐ not reviewed",
    FollowUpKind.NO_ATTENDANCE: "? no marks",
}

# An upcoming meeting's status, on the Group screen.
UPCOMING_WORDS = {
    MeetingStatus.PLANNED: "◷ planned",
    MeetingStatus.IN_PROGRESS: "▶ in progress",
    MeetingStatus.CANCELLED: "⊘ cancelled",
}

# A place in a group.
ENROLMENT_WORDS = {
    EnrollmentStatus.ACTIVE: "● active",
    EnrollmentStatus.COMPLETED: "✓ completed",
    EnrollmentStatus.WITHDRAWN: "↩ withdrawn",
    EnrollmentStatus.WAITLIST: "… waiting list",
}

# A group's status.
GROUP_STATUS_WORDS = {
    GroupStatus.PLANNED: "◷ planned",
    GroupStatus.RUNNING: "▶ running",
    GroupStatus.FINISHED: "✓ finished",
    GroupStatus.ARCHIVED: "▣ archived",
}

# Open or closed.
GROUP_KIND_WORDS = {
    GroupKind.OPEN: "open group (join any week)",
    GroupKind.CLOSED: "closed group (a cohort)",
}

# A goal check-in's rating, shown beside the rating field before anyone presses a digit.
RATING_WORDS = {
    1: "not going well",
    2: "a little",
    3: "some of the way",
    4: "going well",
    5: "going very well",
}


def rating_scale() -> str:
    """ "1 not going well · 2 a little · … · 5 going very well"."""
    return " · ".join(f"{n} {words}" for n, words in RATING_WORDS.items())
