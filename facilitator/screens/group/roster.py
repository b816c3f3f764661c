"""The Group screen's roster actions: enrol someone, edit or end their place, and set their stage.

A mixin of `GroupScreen`, like `MeetingActions`: every change is one durable write, made while its dialog is
still open (see `saving.ask`), then the screen reloads.
"""

from __future__ import annotations

import dataclasses
from datetime import tzinfo
from typing import TYPE_CHECKING

from facilitator.course.roster import enrol
from facilitator.screens.group.forms import (
    EditEnrolmentForm,
    EnrolForm,
    Enrolment,
    EnrolmentChange,
    Withdrawal,
    WithdrawForm,
)
from facilitator.screens.saving import ask
from facilitator.screens.stages import ask_stage
from facilitator.store.records import Enrollment, EnrollmentRole, EnrollmentStatus, Group, Participant

if TYPE_CHECKING:
    from facilitator.store import Store

ENROLMENT_WORDS = {
    EnrollmentStatus.ACTIVE: "● active",
    EnrollmentStatus.COMPLETED: "✓ completed",
    EnrollmentStatus.WITHDRAWN: "↩ withdrawn",
    EnrollmentStatus.WAITLIST: "… waiting list",
}


class RosterActions:
    """Actions on a group's roster; mixed into GroupScreen."""

    # Given by GroupScreen (and Textual's Screen: app, notify): the group, its zone, the store, the roster,
    # `now()`, `writable()`, `reload()` and `selected_person()`.
    group: Group
    group_id: str
    zone: tzinfo
    store: Store
    roster: list[tuple[Enrollment, Participant]]

    def action_enrol(self) -> None:
        if not self.writable():
            return
        on_roster = {
            p.id for e, p in self.roster if e.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.WAITLIST)
        }
        people = [(p.id, p.display_name) for p in self.store.all(Participant) if p.id not in on_roster]
        people.sort(key=lambda pair: pair[1].casefold())
        roles = [e.role for e, _ in self.roster]
        role = max(set(roles), key=roles.count) if roles else EnrollmentRole.PARTICIPANT
        ask(self.app, EnrolForm(self.group.name, people, self.zone, role), self.save_enrolment)

    def save_enrolment(self, choice: Enrolment) -> None:
        person = self.store.get(Participant, choice.participant_id) if choice.participant_id else None
        enrolled = enrol(
            self.store,
            self.group_id,
            joined_on=choice.joined_on,
            now=self.now(),
            person=person,
            new_name=choice.new_name,
            role=choice.role,
            status=choice.status,
        )
        self.notify(enrolled.words(), markup=False)
        self.reload()

    def action_withdraw(self) -> None:
        found = self.selected_person()
        if found is None or not self.writable():
            return
        enrollment, person = found
        if enrollment.status is EnrollmentStatus.WITHDRAWN:
            self.notify(f"{person.display_name} is already withdrawn.", markup=False)
            return

        def save(withdrawal: Withdrawal) -> None:
            self.store.update(
                enrollment,
                status=EnrollmentStatus.WITHDRAWN,
                left_on=withdrawal.left_on,
                reason=withdrawal.reason,
            )
            self.notify(f"{person.display_name} is withdrawn; their records stay.", markup=False)
            self.reload()

        ask(self.app, WithdrawForm(person.display_name, self.group.name, self.zone), save)

    def action_edit_enrolment(self) -> None:
        found = self.selected_person()
        if found is None or not self.writable():
            return
        enrollment, person = found

        def save(change: EnrolmentChange) -> None:
            current = self.store.get(Enrollment, enrollment.id) or enrollment
            self.store.update(current, **dataclasses.asdict(change))
            self.notify(f"{person.display_name}: {ENROLMENT_WORDS[change.status]}.", markup=False)
            self.reload()

        ask(self.app, EditEnrolmentForm(person.display_name, self.group.name, enrollment, self.zone), save)

    def action_stage(self) -> None:
        found = self.selected_person()
        if found is None or not self.writable():
            return
        enrollment, person = found
        ask_stage(self, enrollment, person.display_name, self.zone, self.reload)
