"""The Group screen's roster actions: enrol someone, edit or end their place, and set their stage.

A mixin of `GroupScreen`, like `MeetingActions`: every change is one durable write, made while its dialog is
still open (see `saving.ask`), then the screen reloads.
"""

from __future__ import annotations

import dataclasses
from datetime import tzinfo
from typing import TYPE_CHECKING

from facilitator.screens.group_forms import (
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
        now = self.now()
        stamp = {"created_at": now, "updated_at": now}
        fields = {"group_id": self.group_id, "role": choice.role, "status": choice.status}
        if choice.participant_id is None:
            person = Participant(display_name=choice.new_name, **stamp)
            enrollment = Enrollment(participant_id=person.id, joined_on=choice.joined_on, **fields, **stamp)
            self.store.save_all([person, enrollment])  # one durable write: never a person without their place
            name, message = person.display_name, "is enrolled"
        else:
            person_id = choice.participant_id
            name = self.store.get(Participant, person_id).display_name  # type: ignore[union-attr]
            earlier = next(
                (e for e in self.store.enrollments_of(person_id) if e.group_id == self.group_id), None
            )
            if earlier is None:
                self.store.add(
                    Enrollment(participant_id=person_id, joined_on=choice.joined_on, **fields, **stamp)
                )
                message = "is enrolled"
            else:
                # Back in the group: keep the first joining date so their earlier meetings still count.
                self.store.update(earlier, role=choice.role, status=choice.status, left_on=None, reason="")
                message = (
                    f"is back in the group (first joined {earlier.joined_on.day} {earlier.joined_on:%b %Y})"
                )
        self.notify(f"{name} {message}.", markup=False)
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
