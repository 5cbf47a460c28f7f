"""Every verb that changes anything appends exactly one audit entry: who, which object, what, before and after.

One row per verb: set the scene, run the verb, and compare the one new entry with the row. A verb that
forgets its audit line, or logs twice, fails its row.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.audit.models import AuditEntry
from committee.directory.models import seoul_today
from policies import services
from policies.models import AgendaItem, Attendance, Decision, DigestPreference, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
S = ProposalState


@dataclass
class Scene:
    committee: Any
    secretariat: Any
    liaison: Any
    other_liaison: Any
    member: Any
    mohw: Any
    build: Any  # proposal_in_state

    def meeting(self, **fields):
        return cast.make_meeting(self.committee, self.secretariat, **fields)

    def scheduled_item(self):
        proposal = self.build(S.ACCEPTED)
        meeting = self.meeting()
        return services.add_agenda_item(meeting, by=self.secretariat, proposal=proposal)

    def published_meeting(self):
        item = self.scheduled_item()
        return services.publish_agenda(item.meeting, by=self.secretariat)

    def decision(self):
        return Decision.objects.get(agenda_item__proposal=self.build(S.DECIDED))

    def follow_up(self):
        return services.assign_follow_up_action(
            self.decision(),
            by=self.secretariat,
            agency=self.liaison.profile.agency,
            title="Build it",
            due_date=seoul_today() + datetime.timedelta(days=30),
        )

    def consultation(self):
        proposal = self.build(S.SUBMITTED)
        return services.request_consultations(proposal, by=self.secretariat, agencies=[self.mohw], working_days=5)[0]

    def pdf(self):
        return SimpleUploadedFile("paper.pdf", b"%PDF-1.4 pilot plants", content_type="application/pdf")


def _created_proposal(s):
    return lambda: cast.make_proposal(s.committee, s.liaison, co_sponsors=[s.mohw], title="Pilot plants")


def _reorder(s):
    meeting = s.meeting()
    first = services.add_agenda_item(meeting, by=s.secretariat, kind=AgendaItem.Kind.REPORT, title="Report")
    second = services.add_agenda_item(meeting, by=s.secretariat, kind=AgendaItem.Kind.BRIEFING, title="Brief")
    s.expected = {"agenda": [[first.pk, second.pk], [second.pk, first.pk]]}
    return lambda: services.reorder_agenda(meeting, by=s.secretariat, item_ids=[second.pk, first.pk]) or meeting


def _removed_attachment(s):
    attachment = services.add_attachment(s.build(S.DRAFT), by=s.liaison, uploaded_file=s.pdf())
    return lambda: services.remove_attachment(attachment, by=s.liaison) or attachment


def _removed_item(s):
    item = s.scheduled_item()
    return lambda: services.remove_agenda_item(item, by=s.secretariat) or item


def _progress(s):
    action = s.follow_up()
    return lambda: services.report_progress(action, by=s.liaison, text="Half way", percent_complete=50) and action


def _done(s):
    action = s.follow_up()
    services.report_progress(action, by=s.liaison, text="Done", percent_complete=100, reports_done=True)
    return action


# (action, who acts, scene -> verb returning its target, expected changes {field: [before, after]})
VERBS = [
    (
        "proposal.created",
        "liaison",
        _created_proposal,
        lambda s: {"title": [None, "Pilot plants"], "state": [None, "draft"], "co_sponsors": [[], [s.mohw.pk]]},
    ),
    (
        "proposal.updated",
        "liaison",
        lambda s: (lambda p: lambda: services.update_proposal(p, by=s.liaison, changes={"title": "Renamed"}))(
            s.build(S.DRAFT)
        ),
        lambda s: {"title": ["Bio-manufacturing pilot plants", "Renamed"], "version": [1, 2]},
    ),
    (
        "proposal.submitted",
        "liaison",
        lambda s: (lambda p: lambda: services.submit_proposal(p, by=s.liaison))(s.build(S.DRAFT)),
        lambda s: {"state": ["draft", "submitted"]},
    ),
    (
        "proposal.withdrawn",
        "liaison",
        lambda s: (lambda p: lambda: services.withdraw_proposal(p, by=s.liaison))(s.build(S.SUBMITTED)),
        lambda s: {"state": ["submitted", "withdrawn"]},
    ),
    (
        "proposal.review_started",
        "secretariat",
        lambda s: (lambda p: lambda: services.start_review(p, by=s.secretariat))(s.build(S.SUBMITTED)),
        lambda s: {"state": ["submitted", "under_review"]},
    ),
    (
        "proposal.returned",
        "secretariat",
        lambda s: (lambda p: lambda: services.return_proposal(p, by=s.secretariat, comment="Add a budget."))(
            s.build(S.UNDER_REVIEW)
        ),
        lambda s: {"state": ["under_review", "returned"]},
    ),
    (
        "proposal.accepted",
        "secretariat",
        lambda s: (lambda p: lambda: services.accept_proposal(p, by=s.secretariat))(s.build(S.UNDER_REVIEW)),
        lambda s: {"state": ["under_review", "accepted"]},
    ),
    (
        "attachment.added",
        "liaison",
        lambda s: (lambda p: lambda: services.add_attachment(p, by=s.liaison, uploaded_file=s.pdf()))(s.build(S.DRAFT)),
        lambda s: {"original_name": [None, "paper.pdf"], "content_type": [None, "application/pdf"]},
    ),
    ("attachment.removed", "liaison", _removed_attachment, lambda s: {"original_name": ["paper.pdf", None]}),
    (
        "consultation.requested",
        "secretariat",
        lambda s: (
            lambda p: (
                lambda: services.request_consultations(p, by=s.secretariat, agencies=[s.mohw], working_days=5) and p
            )
        )(s.build(S.SUBMITTED)),
        lambda s: {"agencies": [[], [s.mohw.pk]]},
    ),
    (
        "opinion.given",
        "other_liaison",
        lambda s: (lambda c: lambda: services.give_opinion(c, by=s.other_liaison, position="concur", opinion=""))(
            s.consultation()
        ),
        lambda s: {"position": ["", "concur"], "answered_by_id": [None, s.other_liaison.pk]},
    ),
    (
        "opinion.revised",
        "other_liaison",
        lambda s: (
            lambda c: (
                services.give_opinion(c, by=s.other_liaison, position="concur", opinion="")
                and (lambda: services.give_opinion(c, by=s.other_liaison, position="object", opinion="No."))
            )
        )(s.consultation()),
        lambda s: {"position": ["concur", "object"], "opinion": ["", "No."]},
    ),
    (
        "meeting.created",
        "secretariat",
        lambda s: lambda: s.meeting(location="Sejong"),
        lambda s: {"location": [None, "Sejong"], "status": [None, "planned"]},
    ),
    (
        "meeting.updated",
        "secretariat",
        lambda s: (lambda m: lambda: services.update_meeting(m, by=s.secretariat, changes={"location": "Sejong"}))(
            s.meeting()
        ),
        lambda s: {"location": ["Government Complex Seoul", "Sejong"]},
    ),
    (
        "agenda_item.added",
        "secretariat",
        lambda s: (lambda p, m: lambda: services.add_agenda_item(m, by=s.secretariat, proposal=p))(
            s.build(S.ACCEPTED), s.meeting()
        ),
        lambda s: {"kind": [None, "proposal"], "proposal.state": ["accepted", "scheduled"]},
    ),
    (
        "agenda_item.updated",
        "secretariat",
        lambda s: (lambda i: lambda: services.update_agenda_item(i, by=s.secretariat, changes={"notes": "Late"}))(
            s.scheduled_item()
        ),
        lambda s: {"notes": ["", "Late"]},
    ),
    (
        "agenda_item.removed",
        "secretariat",
        _removed_item,
        lambda s: {"kind": ["proposal", None], "proposal.state": ["scheduled", "accepted"]},
    ),
    ("agenda.reordered", "secretariat", _reorder, lambda s: s.expected),
    (
        "meeting.agenda_published",
        "secretariat",
        lambda s: (lambda i: lambda: services.publish_agenda(i.meeting, by=s.secretariat))(s.scheduled_item()),
        lambda s: {"status": ["planned", "agenda_published"]},
    ),
    (
        "meeting.cancelled",
        "secretariat",
        lambda s: (lambda m: lambda: services.cancel_meeting(m, by=s.secretariat, reason="Typhoon"))(s.meeting()),
        lambda s: {"status": ["planned", "cancelled"]},
    ),
    (
        "meeting.held",
        "secretariat",
        lambda s: (lambda m: lambda: services.mark_meeting_held(m, by=s.secretariat))(s.published_meeting()),
        lambda s: {"status": ["agenda_published", "held"]},
    ),
    (
        "attendance.recorded",
        "secretariat",
        lambda s: (
            lambda m: (
                lambda: services.record_attendance(
                    m, by=s.secretariat, member=s.member, status=Attendance.Status.PRESENT
                )
            )
        )(s.meeting()),
        lambda s: {"status": [None, "present"], "member_id": [None, s.member.pk]},
    ),
    (
        "decision.recorded",
        "secretariat",
        lambda s: (
            lambda m: (
                cast.attend_all(m, s.secretariat)
                or (
                    lambda: services.record_decision(
                        m.items.get(), by=s.secretariat, outcome="adopted", resolution="Adopted."
                    )
                )
            )
        )(s.published_meeting()),
        lambda s: {"outcome": [None, "adopted"], "proposal.state": ["scheduled", "decided"]},
    ),
    (
        "action.assigned",
        "secretariat",
        lambda s: (
            lambda d: (
                lambda: services.assign_follow_up_action(
                    d,
                    by=s.secretariat,
                    agency=s.mohw,
                    title="Build it",
                    due_date=seoul_today() + datetime.timedelta(days=9),
                )
            )
        )(s.decision()),
        lambda s: {"title": [None, "Build it"], "agency_id": [None, s.mohw.pk], "status": [None, "open"]},
    ),
    (
        "action.progress_reported",
        "liaison",
        _progress,
        lambda s: {
            "status": ["open", "in_progress"],
            "percent_complete": [0, 50],
            "progress_report.text": [None, "Half way"],
        },
    ),
    (
        "action.verified",
        "secretariat",
        lambda s: (lambda a: lambda: services.verify_action(a, by=s.secretariat))(_done(s)),
        lambda s: {"verified_by_id": [None, s.secretariat.pk]},
    ),
    (
        "action.reopened",
        "secretariat",
        lambda s: (lambda a: lambda: services.reopen_action(a, by=s.secretariat, comment="Not yet"))(_done(s)),
        lambda s: {"status": ["done", "in_progress"]},
    ),
    (
        "preferences.updated",
        "liaison",
        lambda s: (
            lambda: services.update_preferences(s.liaison, frequency=DigestPreference.Frequency.WEEKLY) and s.liaison
        ),
        lambda s: {"frequency": [None, "weekly"]},
    ),
]


@pytest.fixture
def scene(committee, secretariat, lead_liaison, other_liaison, member, mohw, proposal_in_state):
    return Scene(committee, secretariat, lead_liaison, other_liaison, member, mohw, proposal_in_state)


def _last_pk() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(("action", "who", "prepare", "expected"), VERBS, ids=[row[0] for row in VERBS])
def test_each_verb_appends_exactly_one_entry_with_actor_target_committee_and_values(
    scene, action, who, prepare, expected
):
    verb = prepare(scene)
    since = _last_pk()
    target = verb()
    entries = list(AuditEntry.objects.filter(pk__gt=since))
    assert [entry.action for entry in entries] == [action]
    entry = entries[0]
    actor = getattr(scene, who)
    assert (entry.actor_id, entry.actor_label) == (actor.pk, actor.get_username())
    assert entry.content_type == ContentType.objects.get_for_model(target)
    assert entry.object_id == str(target.pk if target.pk is not None else entry.object_id)
    expected_committee = None if action.startswith("preferences.") else scene.committee.pk
    assert entry.committee_id == expected_committee
    for name, values in expected(scene).items():
        assert entry.changes.get(name) == values, name


def test_every_verb_of_the_services_has_a_row():
    """A new verb must come with its row: the table names every verb the package exports."""
    verbs_with_rows = {
        "create_proposal",
        "update_proposal",
        "submit_proposal",
        "withdraw_proposal",
        "start_review",
        "return_proposal",
        "accept_proposal",
        "add_attachment",
        "remove_attachment",
        "request_consultations",
        "give_opinion",
        "create_meeting",
        "update_meeting",
        "add_agenda_item",
        "update_agenda_item",
        "remove_agenda_item",
        "reorder_agenda",
        "publish_agenda",
        "cancel_meeting",
        "mark_meeting_held",
        "record_attendance",
        "record_decision",
        "assign_follow_up_action",
        "report_progress",
        "verify_action",
        "reopen_action",
        "update_preferences",
        "transition_proposal",
    }
    not_verbs = {
        "check_upload",
        "consultation_deadline",
        "require_editable",
        "require_opinion_giver",
        "require_progress_reporter",
    }
    # Verbs made of other verbs: each step writes its own entry (test below).
    composites = {"save_draft"}
    exported = {name for name in services.__all__ if name[0].islower()}
    assert exported - not_verbs - composites == verbs_with_rows
    assert len(VERBS) == 28


def test_saving_a_draft_with_a_file_and_submitting_it_logs_each_step(scene):
    draft = scene.build(S.DRAFT)
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    services.save_draft(
        by=scene.liaison,
        proposal=draft,
        changes={"title": "Revised"},
        files=[upload],
        expected_version=draft.version,
        submit=True,
    )
    entries = AuditEntry.objects.filter(pk__gt=since).order_by("pk")
    assert [entry.action for entry in entries] == ["proposal.updated", "attachment.added", "proposal.submitted"]
    assert {entry.actor_id for entry in entries} == {scene.liaison.pk}
