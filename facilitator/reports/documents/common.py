"""What every document of a group says: the group's facts, the period, and the footer on privacy."""

from __future__ import annotations

from datetime import date

from facilitator.reports.document import Block, Facts
from facilitator.reports.documents.words import facilitators, schedule_words
from facilitator.reports.period import Period
from facilitator.reports.privacy import Privacy
from facilitator.store.records import Group

PRIVATE = "Private: this document holds information about people in a recovery group. Keep it safe."
DEIDENTIFIED = (
    "De-identified: people appear as pseudonyms (new ones in each export), dates as weeks of the course, and "
    "notes, goal wording, places and names are left out."
)


def period_words(period: Period, privacy: Privacy) -> str:
    if period.whole:
        return "the whole course"
    start, end = privacy.day(period.start), privacy.day(period.end)
    if start and end:
        return f"{start} to {end}"
    return f"from {start}" if start else f"up to {end}"


def group_facts(group: Group, privacy: Privacy) -> list[Block]:
    pairs = [
        ("Course pack", f"{group.pack_id} {group.pack_version}".strip() or "none"),
        ("Kind", f"{group.kind.value} group, {group.status.value}"),
    ]
    if not privacy.deidentify:
        pairs += [
            ("Meets", schedule_words(group.schedule)),
            ("Place", group.location or "not recorded"),
            ("Facilitators", facilitators(group)),
        ]
    return [Facts(tuple(pairs))]


def footer(privacy: Privacy, made_on: date) -> str:
    when = str(made_on.year) if privacy.deidentify else made_on.isoformat()
    made = f"Made with Facilitator on {when}."
    if privacy.deidentify:
        extra = (
            f" Counts below {privacy.suppress_under} are shown as <{privacy.suppress_under}."
            if privacy.suppress_under
            else ""
        )
        return f"{DEIDENTIFIED}{extra} {made}"
    return f"{PRIVATE} {made}"
