"""Every verb that changes anything appends exactly one audit entry: who, which object, what, before and after.

One row per verb: set the scene, run the verb, and compare the one new entry with the row. A verb that
forgets its audit line, or logs twice, fails its row.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile

from committee.audit.models import AuditEntry
from committee.dates import seoul_today
from policies import services
from policies.models import (
    AgendaItem,
    Attendance,
    AttendanceReply,
    Decision,
    DigestPreference,
    PolicyArea,
    ProposalState,
)
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
    superuser: Any

    def meeting(self, **fields):
        return cast.make_meeting(self.committee, self.secretariat, **fields)

    def scheduled_item(self, **meeting_fields):
        proposal = self.build(S.ACCEPTED)
        meeting = self.meeting(**meeting_fields)
        return services.add_agenda_item(meeting, by=self.secretariat, proposal=proposal)

    def published_meeting(self):
        """Published, and started yesterday: what happens at a meeting is recorded only once it has started."""
        item = self.scheduled_item(days_ahead=-1)
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


def _removed_opinion_attachment(s):
    letter = services.add_opinion_attachment(s.consultation(), by=s.other_liaison, uploaded_file=s.pdf())
    return lambda: services.remove_opinion_attachment(letter, by=s.other_liaison) or letter


def _progress_with_letter(s):
    action = s.follow_up()
    return lambda: (
        services.report_progress(action, by=s.liaison, text="Letter sent", percent_complete=40, files=[s.pdf()])
        and action
    )


def _removed_item(s):
    item = s.scheduled_item()
    return lambda: services.remove_agenda_item(item, by=s.secretariat) or item


def _cancel_with_agenda(s):
    item = s.scheduled_item()
    s.on_agenda = item.proposal  # the entry lists the proposals that went back to accepted
    return lambda: services.cancel_meeting(item.meeting, by=s.secretariat, reason="Typhoon")


def _minutes(s, status="draft"):
    """The minutes of a held meeting with a decision, driven to `status`; the decision beside them."""
    decision = s.decision()
    meeting = decision.agenda_item.meeting
    if meeting.status != "held":
        services.mark_meeting_held(meeting, by=s.secretariat)
    minutes = services.start_minutes(meeting, by=s.secretariat)
    if status in ("in_review", "final"):
        services.send_minutes_for_review(minutes, by=s.secretariat, working_days=5)
    if status == "final":
        services.finalise_minutes(minutes, by=s.secretariat)
    return minutes, decision


def _summaries(s):
    minutes, decision = _minutes(s)
    s.expected = {f"summary.item-{decision.agenda_item_id}": ["", "Discussed."]}
    return lambda: services.save_summaries(minutes, by=s.secretariat, summaries={decision.agenda_item_id: "Discussed."})


def _public(s):
    _minutes_, decision = _minutes(s, "final")
    return lambda: services.make_decision_public(decision, summary="Public words.", by=s.secretariat)


def _made_public(s):
    _minutes_, decision = _minutes(s, "final")
    return services.make_decision_public(decision, summary="Public words.", by=s.secretariat)


def _withdrawn_public(s):
    decision = _made_public(s)
    s.expected = {"made_public_by_id": [s.secretariat.pk, None]}
    return lambda: services.withdraw_from_public(decision, by=s.secretariat)


def _progress(s):
    action = s.follow_up()
    return lambda: services.report_progress(action, by=s.liaison, text="Half way", percent_complete=50) and action


def _done(s):
    action = s.follow_up()
    services.report_progress(action, by=s.liaison, text="Done", percent_complete=100, reports_done=True)
    return action


def _extended(s):
    consultation = s.consultation()
    later = consultation.deadline + datetime.timedelta(days=30)
    s.expected_deadline = [consultation.deadline.isoformat(), later.isoformat()]
    return lambda: services.extend_consultation(consultation, by=s.secretariat, deadline=later)


def _accepted_closing(s):
    """Accepting while an opinion is awaited, closing it: the closed consultation is named in the entry."""
    consultation = s.consultation()
    proposal = services.start_review(consultation.proposal, by=s.secretariat)
    s.closed_pk = consultation.pk
    return lambda: services.accept_proposal(proposal, by=s.secretariat, open_consultations="close")


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
        "opinion_attachment.added",
        "other_liaison",
        lambda s: (lambda c: lambda: services.add_opinion_attachment(c, by=s.other_liaison, uploaded_file=s.pdf()))(
            s.consultation()
        ),
        lambda s: {"original_name": [None, "paper.pdf"], "content_type": [None, "application/pdf"]},
    ),
    (
        "opinion_attachment.removed",
        "other_liaison",
        _removed_opinion_attachment,
        lambda s: {"original_name": ["paper.pdf", None]},
    ),
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
    ("consultation.extended", "secretariat", _extended, lambda s: {"deadline": s.expected_deadline}),
    (
        "consultation.closed",
        "secretariat",
        lambda s: (lambda c: lambda: services.close_consultation(c, by=s.secretariat, reason="Not needed"))(
            s.consultation()
        ),
        lambda s: {"status": ["open", "closed"]},
    ),
    (
        "consultation.withdrawn",
        "secretariat",
        lambda s: (lambda c: lambda: services.withdraw_consultation(c, by=s.secretariat))(s.consultation()),
        lambda s: {"status": ["open", "withdrawn"]},
    ),
    (
        "proposal.accepted",
        "secretariat",
        _accepted_closing,
        lambda s: {"state": ["under_review", "accepted"], "consultations_closed": [[], [s.closed_pk]]},
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
        _cancel_with_agenda,
        lambda s: {"status": ["planned", "cancelled"], "proposals_back_to_accepted": [[], [s.on_agenda.pk]]},
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
        )(s.meeting(days_ahead=-1)),
        lambda s: {"status": [None, "present"], "member_id": [None, s.member.pk]},
    ),
    (
        "attendance.replied",
        "member",
        lambda s: (
            lambda m: (
                lambda: services.reply_to_invitation(
                    m, by=s.member, answer=AttendanceReply.Answer.DELEGATE, delegate_name="Dr. Kim"
                )
            )
        )(services.publish_agenda(s.scheduled_item().meeting, by=s.secretariat)),  # a meeting still to come
        lambda s: {"answer": [None, "delegate"], "delegate_name": [None, "Dr. Kim"], "member_id": [None, s.member.pk]},
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
        "action.progress_reported",
        "liaison",
        _progress_with_letter,
        lambda s: {"progress_report.text": [None, "Letter sent"], "progress_report.attachments": [[], ["paper.pdf"]]},
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
    (
        "policy_area.created",
        "secretariat",
        lambda s: (
            lambda: services.save_policy_area(
                PolicyArea(code="oceans", name_ko="해양", name_en="Oceans"), by=s.secretariat
            )
        ),
        lambda s: {"code": [None, "oceans"], "name_en": [None, "Oceans"]},
    ),
    (
        "policy_area.changed",
        "secretariat",
        lambda s: (lambda area: lambda: services.save_policy_area(_renamed(area), by=s.secretariat))(
            PolicyArea.objects.get(code="food")
        ),
        lambda s: {"name_en": ["Food", "Food and agriculture"]},
    ),
    (
        "policy_area.deleted",
        "superuser",
        lambda s: (lambda area: lambda: services.delete_policy_area(area, by=s.superuser) or area)(
            PolicyArea.objects.create(code="unused", name_ko="미사용", name_en="Unused")
        ),
        lambda s: {"code": ["unused", None]},
    ),
    (
        "calendar_feed.rotated",
        "secretariat",
        lambda s: lambda: services.rotate_calendar_feed(s.committee, by=s.secretariat),
        lambda s: {},  # the key stays out of the log; the entry says when the link was renewed
    ),
    (
        "minutes.started",
        "secretariat",
        lambda s: (lambda m: lambda: services.start_minutes(m, by=s.secretariat))(
            (lambda d: services.mark_meeting_held(d.agenda_item.meeting, by=s.secretariat))(s.decision())
        ),
        lambda s: {"status": [None, "draft"]},
    ),
    ("minutes.edited", "secretariat", _summaries, lambda s: s.expected),
    (
        "minutes.sent_for_review",
        "secretariat",
        lambda s: (lambda m: lambda: services.send_minutes_for_review(m, by=s.secretariat, working_days=5))(
            _minutes(s)[0]
        ),
        lambda s: {"status": ["draft", "in_review"]},
    ),
    (
        "minutes.finalised",
        "secretariat",
        lambda s: (lambda m: lambda: services.finalise_minutes(m, by=s.secretariat))(_minutes(s, "in_review")[0]),
        lambda s: {"status": ["in_review", "final"], "version": [0, 1]},
    ),
    (
        "minutes.corrected",
        "secretariat",
        lambda s: (lambda m: lambda: services.correct_minutes(m, by=s.secretariat, reason="Typo"))(
            _minutes(s, "final")[0]
        ),
        lambda s: {"version": [1, 2]},
    ),
    (
        "minutes_comment.added",
        "member",
        lambda s: (lambda m: lambda: services.comment_on_minutes(m, by=s.member, text="Agreed."))(
            _minutes(s, "in_review")[0]
        ),
        lambda s: {"text": [None, "Agreed."]},
    ),
    ("decision.made_public", "secretariat", _public, lambda s: {"public_summary": ["", "Public words."]}),
    ("decision.withdrawn_from_public", "secretariat", _withdrawn_public, lambda s: s.expected),
]

# Reference data shared by every committee: its entries name no committee (superusers read them).
SHARED = ("preferences.", "policy_area.")


def _renamed(area):
    area.name_en = "Food and agriculture"
    return area


@pytest.fixture
def scene(committee, secretariat, lead_liaison, other_liaison, member, mohw, proposal_in_state):
    superuser = cast.make_user("root", is_staff=True, is_superuser=True)
    return Scene(committee, secretariat, lead_liaison, other_liaison, member, mohw, proposal_in_state, superuser)


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
    assert entry.get_action_display() != action, "every action is registered with its words"
    actor = getattr(scene, who)
    assert (entry.actor_id, entry.actor_label) == (actor.pk, actor.get_username())
    assert entry.content_type == ContentType.objects.get_for_model(target)
    assert entry.object_id == str(target.pk if target.pk is not None else entry.object_id)
    expected_committee = None if action.startswith(SHARED) else scene.committee.pk
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
        "add_opinion_attachment",
        "remove_opinion_attachment",
        "request_consultations",
        "give_opinion",
        "extend_consultation",
        "close_consultation",
        "withdraw_consultation",
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
        "reply_to_invitation",
        "record_decision",
        "assign_follow_up_action",
        "report_progress",
        "verify_action",
        "reopen_action",
        "update_preferences",
        "transition_proposal",
        "save_policy_area",
        "delete_policy_area",
        "rotate_calendar_feed",
        "start_minutes",
        "save_summaries",
        "send_minutes_for_review",
        "finalise_minutes",
        "correct_minutes",
        "comment_on_minutes",
        "make_decision_public",
        "withdraw_from_public",
    }
    not_verbs = {
        "check_meeting_action",
        "check_minutes_action",
        "check_step",
        "check_upload",
        "consultation_deadline",
        "require_editable",
        "require_opinion_giver",
        "require_consultation_manager",
        "require_progress_reporter",
    }
    # Verbs made of other verbs: each step writes its own entry (test below).
    composites = {"save_draft", "record_attendance_sheet", "add_agenda_items"}
    exported = {name for name in services.__all__ if name[0].islower()}
    assert exported - not_verbs - composites == verbs_with_rows
    assert len(VERBS) == 48


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


# --- all or nothing: a verb whose audit entry cannot be written leaves no trace -----------------------------


class AuditStoreDown(Exception):
    pass


def database_state() -> dict[str, str]:
    """Every row of the apps the verbs write to, serialised, per model."""
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for label in ("policies", "outbox", "audit", "directory", "auth")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def audit_store_down_at(monkeypatch):
    """The audit store refuses the `n`th entry written from now on (1: the first)."""

    def break_at(n: int):
        written, save = [0], AuditEntry.save

        def refusing_save(entry, *args, **kwargs):
            written[0] += 1
            if written[0] == n:
                raise AuditStoreDown("the audit store is down")
            return save(entry, *args, **kwargs)

        monkeypatch.setattr(AuditEntry, "save", refusing_save)

    return break_at


def _two_agenda_items(s):
    meeting = s.meeting()
    items = [{"kind": AgendaItem.Kind.REPORT, "title": "Report"}, {"kind": AgendaItem.Kind.BRIEFING, "title": "Brief"}]
    return lambda: services.add_agenda_items(meeting, by=s.secretariat, items=items)


def _attendance_sheet(s):
    meeting = s.meeting(days_ahead=-1)
    other = cast.make_member(s.committee, "member-2")
    rows = [{"member": s.member, "status": Attendance.Status.PRESENT}, {"member": other, "status": "absent"}]
    return lambda: services.record_attendance_sheet(meeting, by=s.secretariat, rows=rows)


# Verbs made of verbs: the second step's entry fails, and the first step must go too.
COMPOSITES = [("add_agenda_items", _two_agenda_items), ("record_attendance_sheet", _attendance_sheet)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("prepare", "failing_entry"),
    [(row[2], 1) for row in VERBS] + [(prepare, 2) for _name, prepare in COMPOSITES],
    ids=[f"{row[0]}-{n}" for n, row in enumerate(VERBS)] + [name for name, _prepare in COMPOSITES],
)
def test_a_verb_whose_audit_entry_fails_changes_nothing(scene, audit_store_down_at, prepare, failing_entry):
    """Outside any test transaction, as in production: the verb's own transaction must take back every row it
    wrote (the change, its events and notifications, the outbox) when its audit entry cannot be written."""
    verb = prepare(scene)
    before = database_state()
    audit_store_down_at(failing_entry)
    with pytest.raises(AuditStoreDown):
        verb()
    after = database_state()
    assert {label: rows for label, rows in after.items() if rows != before[label]} == {}


# --- the reasons people give are kept with the entry, trimmed -----------------------------------------------


def _ended(verb):
    return lambda s: getattr(services, verb)(s.consultation(), by=s.secretariat, reason="  Not needed  ")


REASONED = [
    ("consultation.closed", _ended("close_consultation"), "Not needed"),
    ("consultation.withdrawn", _ended("withdraw_consultation"), "Not needed"),
    ("action.reopened", lambda s: services.reopen_action(_done(s), by=s.secretariat, comment=" Not yet "), "Not yet"),
    (
        "proposal.returned",
        lambda s: services.return_proposal(s.build(S.UNDER_REVIEW), by=s.secretariat, comment=" Add a budget. "),
        "Add a budget.",
    ),
    (
        "minutes.corrected",
        lambda s: services.correct_minutes(_minutes(s, "final")[0], by=s.secretariat, reason="Typo in item 2"),
        "Typo in item 2",
    ),
    (
        "decision.withdrawn_from_public",
        lambda s: services.withdraw_from_public(_made_public(s), by=s.secretariat, reason=" Names a person. "),
        "Names a person.",
    ),
]


@pytest.mark.parametrize(("action", "act", "detail"), REASONED, ids=[row[0] for row in REASONED])
def test_the_reason_given_is_the_entrys_detail(scene, action, act, detail):
    since = _last_pk()
    act(scene)
    (entry,) = AuditEntry.objects.filter(pk__gt=since, action=action)
    assert entry.detail == detail


@pytest.mark.parametrize(("question", "logged"), [("Which budget line?", "Which budget line?"), ("", None)])
def test_the_question_put_to_the_consulted_agencies_is_logged_and_no_question_is_not(scene, question, logged):
    proposal = scene.build(S.SUBMITTED)
    since = _last_pk()
    services.request_consultations(
        proposal, by=scene.secretariat, agencies=[scene.mohw], working_days=5, question=question
    )
    (entry,) = AuditEntry.objects.filter(pk__gt=since, action="consultation.requested")
    # No question is no change, and an unchanged value is left out of an entry.
    assert entry.changes.get("question") == ([None, logged] if logged else None)
