"""The Group screen's roster actions: enrol someone, edit or end their place, and set their stage.

`GroupScreen` holds one, like its `MeetingActions`: every change is one durable write, made while its dialog
is still open (see `saving.ask`), then the screen reloads.
"""

from __future__ import annotations

import dataclasses

from facilitator.course.roster import enrol
from facilitator.screens.group.forms import (
    EditEnrolmentForm,
    EnrolChoice,
    EnrolForm,
    EnrolmentChange,
    Withdrawal,
    WithdrawForm,
)
from facilitator.screens.group.page import GroupPage
from facilitator.screens.saving import ask
from facilitator.screens.stages import ask_stage
from facilitator.store.records import Enrollment, EnrollmentRole, EnrollmentStatus, Participant
from facilitator.words import ENROLMENT_WORDS


class RosterActions:
    """Actions on a group's roster, on the person picked in the Group screen's showing view."""

    def __init__(self, page: GroupPage) -> None:
        self.page = page

    def enrol(self) -> None:
        if not self.page.writable():
            return
        on_roster = {
            p.id
            for e, p in self.page.roster
            if e.status in (EnrollmentStatus.ACTIVE, EnrollmentStatus.WAITLIST)
        }
        people = [(p.id, p.display_name) for p in self.page.store.all(Participant) if p.id not in on_roster]
        people.sort(key=lambda pair: pair[1].casefold())
        roles = [e.role for e, _ in self.page.roster]
        role = max(set(roles), key=roles.count) if roles else EnrollmentRole.PARTICIPANT
        ask(self.page.app, EnrolForm(self.page.group.name, people, self.page.zone, role), self.save_enrolment)

    def save_enrolment(self, choice: EnrolChoice) -> None:
        person = self.page.store.get(Participant, choice.participant_id) if choice.participant_id else None
        enrolled = enrol(
            self.page.store,
            self.page.group_id,
            joined_on=choice.joined_on,
            now=self.page.now(),
            person=person,
            new_name=choice.new_name,
            role=choice.role,
            status=choice.status,
        )
        self.page.notify(enrolled.words(), markup=False)
        self.page.reload()

    def withdraw(self) -> None:
        found = self.page.selected_person()
        if found is None or not self.page.writable():
            return
        enrollment, person = found
        if enrollment.status is EnrollmentStatus.WITHDRAWN:
            self.page.notify(f"{person.display_name} is already withdrawn.", markup=False)
            return

        def save(withdrawal: Withdrawal) -> None:
            self.page.store.update(
                enrollment,
                status=EnrollmentStatus.WITHDRAWN,
                left_on=withdrawal.left_on,
                reason=withdrawal.reason,
            )
            self.page.notify(f"{person.display_name} is withdrawn; their records stay.", markup=False)
            self.page.reload()

        ask(self.page.app, WithdrawForm(person.display_name, self.page.group.name, self.page.zone), save)

    def edit_enrolment(self) -> None:
        found = self.page.selected_person()
        if found is None or not self.page.writable():
            return
        enrollment, person = found

        def save(change: EnrolmentChange) -> None:
            current = self.page.store.get(Enrollment, enrollment.id) or enrollment
            self.page.store.update(current, **dataclasses.asdict(change))
            self.page.notify(f"{person.display_name}: {ENROLMENT_WORDS[change.status]}.", markup=False)
            self.page.reload()

        ask(
            self.page.app,
            EditEnrolmentForm(person.display_name, self.page.group.name, enrollment, self.page.zone),
            save,
        )

    def stage(self) -> None:
        found = self.page.selected_person()
        if found is None or not self.page.writable():
            return
        enrollment, person = found
        ask_stage(self.page, enrollment, person.display_name, self.page.zone, self.page.reload)
