"""A group's report for a supervisor or a funder: attendance, completion, goal progress and, for IMR-style
groups, the fidelity self-check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from curricula.format import Pack
from facilitator.reports.attendance_report import GroupAttendanceReport, group_attendance_report
from facilitator.reports.completion import CompletionReport, Standing, completion_report
from facilitator.reports.document import Block, Document, Heading, Paragraph, Table
from facilitator.reports.documents.attendance import PEOPLE_LEFT_OUT, attendance_blocks
from facilitator.reports.documents.common import footer, group_facts, period_words
from facilitator.reports.fidelity import FidelityCheck, fidelity_check, is_imr_style
from facilitator.reports.goal_progress import DIMENSION_WORDS, STAGE_WORDS, GoalProgress, group_goal_progress
from facilitator.reports.period import Period
from facilitator.reports.privacy import Privacy
from facilitator.store import Store
from facilitator.store.records import GoalStatus


@dataclass(frozen=True, slots=True)
class GroupReport:
    """Everything the report shows, computed once (in a worker, on the Reports screen)."""

    attendance: GroupAttendanceReport
    completion: CompletionReport
    goals: GoalProgress
    fidelity: FidelityCheck | None


def mean_words(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def completion_blocks(report: CompletionReport, privacy: Privacy) -> list[Block]:
    privacy.assign(r.participant_id for r in report.rows)
    counts = tuple((str(s), privacy.count(len(report.with_standing(s)))) for s in Standing)
    blocks: list[Block] = [
        Heading("Completion"),
        Paragraph(f"Completing takes {report.rule()}."),
        Table(("Standing", "People"), counts, widths=(3, 1)),
    ]
    if privacy.suppress_under:
        return [*blocks, Paragraph(PEOPLE_LEFT_OUT.format(n=privacy.suppress_under), small=True)]
    rows = sorted(
        (
            (privacy.person(r.participant_id, r.name), str(r.attended), str(r.left_ahead), str(r.standing))
            for r in report.rows
        ),
        key=lambda row: row[0],
    )
    return [
        *blocks,
        Table(("Person", "Came", "Meetings ahead", "Standing"), tuple(rows), widths=(4, 2, 2, 3)),
    ]


def goal_blocks(progress: GoalProgress, privacy: Privacy) -> list[Block]:
    privacy.assign(g.participant_id for g in progress.goals)
    statuses = list(GoalStatus)
    rows = tuple(
        (
            DIMENSION_WORDS[d.dimension],
            privacy.count(d.goals),
            *(privacy.count(d.count(s)) for s in statuses),
            mean_words(d.first_mean),
            mean_words(d.latest_mean),
        )
        for d in progress.dimensions
    )
    blocks: list[Block] = [
        Heading("Goal progress"),
        Paragraph(
            "Goals by SAMHSA's four dimensions of recovery. Ratings are the check-ins' 1–5; the means are of "
            "the first and the latest rating of goals with two check-ins or more."
        ),
        Table(
            ("Dimension", "Goals", *(s.value for s in statuses), "First rating", "Latest rating"),
            rows,
            widths=(4, 2, 2, 2, 2, 2, 3, 3),
        ),
    ]
    if not privacy.suppress_under:
        numbers: dict[str, int] = {}
        goal_rows = []
        for goal in sorted(progress.goals, key=lambda g: privacy.person(g.participant_id, g.name)):
            person = privacy.person(goal.participant_id, goal.name)
            numbers[person] = numbers.get(person, 0) + 1
            title = f"goal {numbers[person]}" if privacy.deidentify else goal.title
            ratings = " → ".join(str(r) for _, r in goal.ratings) or "no check-in yet"
            steps = f"{goal.steps_done} of {goal.steps}"
            goal_rows.append(
                (person, title, DIMENSION_WORDS[goal.dimension], goal.status.value, ratings, steps)
            )
        if goal_rows:
            blocks.append(
                Table(
                    ("Person", "Goal", "Dimension", "Status", "Ratings over time", "Steps done"),
                    tuple(goal_rows),
                    widths=(4, 8, 3, 3, 5, 3),
                )
            )
    if progress.stages:
        moves = [m.direction for m in progress.stages]

        def counted(direction: str) -> str:
            return privacy.count(moves.count(direction))

        blocks += [
            Heading("Stages of treatment", 3),
            Paragraph(
                f"From each person's first recorded stage to their latest: {counted('forward')} moved "
                f"forward, {counted('same')} stayed, {counted('back')} moved back."
            ),
        ]
        if not privacy.suppress_under:
            stage_rows = sorted(
                (
                    privacy.person(m.participant_id, m.name),
                    STAGE_WORDS[m.first],
                    STAGE_WORDS[m.latest],
                    m.direction,
                )
                for m in progress.stages
            )
            blocks.append(Table(("Person", "First stage", "Latest stage", "Movement"), tuple(stage_rows)))
    return blocks


def fidelity_blocks(check: FidelityCheck) -> list[Block]:
    rows = tuple((line.topic, line.value, line.source, line.item, line.note) for line in check.lines)
    return [
        Heading("IMR fidelity self-check"),
        Paragraph(check.heading),
        Table(("What", "Value", "Computed from", "Scale item", "Note"), rows, widths=(5, 7, 7, 7, 6)),
    ]


def group_report_document(report: GroupReport, privacy: Privacy, made_on: date) -> Document:
    group = report.attendance.group
    blocks = [
        *group_facts(group, privacy),
        *attendance_blocks(report.attendance, privacy),
        *completion_blocks(report.completion, privacy),
        *goal_blocks(report.goals, privacy),
    ]
    if report.fidelity is not None:
        blocks += fidelity_blocks(report.fidelity)
    return Document(
        title=f"{group.name}: group report",
        subtitle=period_words(report.attendance.period, privacy).capitalize(),
        blocks=tuple(blocks),
        footer=footer(privacy, made_on),
    )


def build_group_report(
    store: Store, group_id: str, period: Period, today: date, pack: Pack | None
) -> GroupReport:
    """Compute every part of a group's report (the fidelity self-check for IMR-style groups only)."""
    attendance = group_attendance_report(store, group_id, period)
    group = attendance.group
    return GroupReport(
        attendance=attendance,
        completion=completion_report(store, group_id, today),
        goals=group_goal_progress(store, group_id),
        fidelity=fidelity_check(store, group_id, pack) if is_imr_style(group) else None,
    )
