"""Dates, times and statuses as the printed documents say them."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from facilitator.store.records import AttendanceStatus, EnrollmentStatus, Group, Schedule

STATUS_WORDS = {
    AttendanceStatus.PRESENT: "present",
    AttendanceStatus.LATE: "late",
    AttendanceStatus.LEFT_EARLY: "left early",
    AttendanceStatus.ABSENT: "absent",
    AttendanceStatus.EXCUSED: "excused",
}
PLACE_WORDS = {
    EnrollmentStatus.ACTIVE: "in the group",
    EnrollmentStatus.COMPLETED: "completed",
    EnrollmentStatus.WITHDRAWN: "left",
    EnrollmentStatus.WAITLIST: "waiting list",
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def long_day(day: date) -> str:
    """ "Tuesday 3 March 2026"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day:%B %Y}"


def clock_time(moment: datetime, zone: tzinfo) -> str:
    """ "6:30 pm", where the group meets."""
    local = moment.astimezone(zone)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


def schedule_words(schedule: Schedule | None) -> str:
    if schedule is None:
        return "no schedule set"
    days = " and ".join(WEEKDAYS[d] + "s" for d in schedule.weekdays) or "no day set"
    return f"{days} at {schedule.start_time}, {schedule.minutes} minutes, {schedule.cadence.value}"


def facilitators(group: Group) -> str:
    return ", ".join(group.facilitators) or "not recorded"


def first_name_and_initial(name: str) -> str:
    """ "Amara Okafor" → "Amara O."; a one-word name stays as it is."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    return f"{words[0]} {words[-1][0]}."
