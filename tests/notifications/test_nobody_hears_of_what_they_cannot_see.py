"""Every kind of letter against every role: nobody hears of an object the visibility policy hides from them.

One row per notification kind (`notifications.Kind`, so a new kind without a row fails here). Each row drives
the services into the event, then checks every notification and email of that kind: its recipient may see
the object it speaks of (`permissions.visible_*`, the querysets behind the portal and the API), the roles
that hear of it are those expected, the row is filed under the object's committee, and no subject or text
says "None". Digests gather many objects: there every object named in a digest must be visible to its reader.

The cast spans two committees. NBC has MSIT (the lead agency) and MOHW (the other liaison's agency);
NBC-FOOD has MOTIE (which co-sponsors NBC's proposal from outside) and MAFRA (consulted from outside), so
the cross-committee cases the policy draws lines through are all present.
"""

import ast
import datetime
import pathlib
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from committee.directory.models import Committee
from committee.outbox.models import Notification, OutboundEmail
from policies import permissions, services, tasks
from policies.models import (
    AgendaItem,
    Consultation,
    Decision,
    DigestPreference,
    FollowUpAction,
    Meeting,
    Minutes,
    Proposal,
)
from policies.notifications import Kind
from tests import cast

pytestmark = pytest.mark.django_db

ROLES = (
    "lead liaison",
    "other liaison",
    "co-sponsor liaison",
    "consulted liaison",
    "secretariat",
    "other committee's secretariat",
    "member",
    "other committee's member",
    "outsider",
)
VISIBLE = {
    Proposal: permissions.visible_proposals,
    Consultation: permissions.visible_consultations,
    Meeting: permissions.visible_meetings,
    Decision: permissions.visible_decisions,
    FollowUpAction: permissions.visible_actions,
}


@dataclass
class World:
    nbc: Committee
    food: Committee
    agencies: dict
    author: object  # a liaison of the lead agency who acts; the lead liaison role is a colleague who hears
    desk: object  # a secretariat account of NBC who acts
    people: dict  # role -> user


@pytest.fixture
def world(db):
    nbc = cast.make_committee("NBC")
    food = Committee.objects.create(code="NBC-FOOD", name_ko="식품분과위원회", name_en="Food subcommittee")
    agencies = {acronym: cast.agency(acronym) for acronym in ("MSIT", "MOHW", "MOTIE", "MAFRA")}
    nbc.agencies.remove(agencies["MOTIE"], agencies["MAFRA"])
    food.agencies.add(agencies["MOTIE"], agencies["MAFRA"])
    people = {
        "lead liaison": cast.make_liaison(agencies["MSIT"], "lead"),
        "other liaison": cast.make_liaison(agencies["MOHW"], "other"),
        "co-sponsor liaison": cast.make_liaison(agencies["MOTIE"], "cosponsor"),
        "consulted liaison": cast.make_liaison(agencies["MAFRA"], "consulted"),
        "secretariat": cast.make_secretariat(nbc, "secretariat"),
        "other committee's secretariat": cast.make_secretariat(food, "secretariat-food"),
        "member": cast.make_member(nbc, "member"),
        "other committee's member": cast.make_member(food, "member-food"),
        "outsider": cast.make_user("outsider"),
    }
    author = cast.make_liaison(agencies["MSIT"], "author")
    desk = cast.make_secretariat(nbc, "desk")
    return World(nbc, food, agencies, author, desk, people)


# --- the story, step by step through the services --------------------------------------------------


def soon(days=5):
    return timezone.localdate() + datetime.timedelta(days=days)


def draft(w, title="Bio-manufacturing pilot plants"):
    return cast.make_proposal(w.nbc, w.author, title=title, co_sponsors=[w.agencies["MOTIE"]])


def submitted(w):
    return services.submit_proposal(draft(w), by=w.author)


def consulted(w, deadline_days=5):
    proposal = services.start_review(submitted(w), by=w.desk)
    (consultation,) = services.request_consultations(
        proposal, by=w.desk, agencies=[w.agencies["MAFRA"]], deadline=soon(deadline_days)
    )
    return consultation


def accepted(w):
    return services.accept_proposal(consulted(w).proposal, by=w.desk, open_consultations="keep")


def scheduled(w, **meeting_fields):
    """An accepted proposal on a plenary's agenda, with a briefing presented by MOTIE from outside NBC."""
    proposal = accepted(w)
    meeting = cast.make_meeting(w.nbc, w.desk, title="NBC plenary", **meeting_fields)
    item = services.add_agenda_item(meeting, by=w.desk, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    services.add_agenda_item(
        meeting, by=w.desk, kind=AgendaItem.Kind.BRIEFING, title="Food safety briefing", presenter=w.agencies["MOTIE"]
    )
    return item


def published(w, **meeting_fields):
    item = scheduled(w, **meeting_fields)
    services.publish_agenda(item.meeting, by=w.desk)
    return AgendaItem.objects.get(pk=item.pk)


def decided(w, outcome=Decision.Outcome.ADOPTED):
    item = published(w, days_ahead=-1)  # decided at a meeting that has started
    cast.attend_all(item.meeting, w.desk)
    return services.record_decision(item, by=w.desk, outcome=outcome, resolution="As proposed.")


def assigned(w, due_days=5):
    return services.assign_follow_up_action(
        decided(w), by=w.desk, agency=w.agencies["MOTIE"], title="Draft the regulation", due_date=soon(due_days)
    )


def proposal_of(item_or_consultation):
    return Proposal.objects.get(pk=item_or_consultation.proposal_id)


def resubmitted(w):
    proposal = services.return_proposal(
        consulted(w).proposal, by=w.desk, comment="Add the budget.", open_consultations="keep"
    )
    return services.submit_proposal(proposal, by=w.author)


def withdrawn_draft(w):
    """The finding: a draft withdrawn before it was ever submitted, which its co-sponsor may not see."""
    return services.withdraw_proposal(draft(w), by=w.author, comment="We will merge it with another plan.")


def returned(w):
    return services.return_proposal(
        consulted(w).proposal, by=w.desk, comment="Add the budget.", open_consultations="keep"
    )


def unscheduled(w):
    item = scheduled(w)
    services.remove_agenda_item(item, by=w.desk)
    return proposal_of(item)


def opinion(w, *, revised=False):
    consultation = consulted(w)
    consulted_liaison = w.people["consulted liaison"]
    services.give_opinion(consultation, by=consulted_liaison, position="concur", opinion="Fine.")
    if revised:
        services.give_opinion(consultation, by=consulted_liaison, position="object", opinion="Too costly.")
    return consultation


def changed_agenda(w):
    item = published(w)
    return services.update_meeting(item.meeting, by=w.desk, changes={"location": "Sejong"})


def cancelled(w):
    item = published(w)
    return services.cancel_meeting(item.meeting, by=w.desk, reason="No quorum expected")


def progress(w):
    action = assigned(w)
    services.report_progress(action, by=w.people["co-sponsor liaison"], text="Half done", percent_complete=50)
    return action


def consultation_reminded(w):
    consultation = consulted(w, deadline_days=1)
    tasks.send_reminders()
    return consultation


def action_reminded(w):
    action = assigned(w, due_days=1)
    tasks.send_reminders()
    return action


def cutoff_reminded(w):
    meeting = cast.make_meeting(
        w.nbc, w.desk, title="NBC plenary", submission_cutoff=timezone.now() + datetime.timedelta(days=1)
    )
    tasks.send_reminders()
    return meeting


def minutes_sent(w, *, final=False):
    """The minutes of a held meeting sent to the members for review (and finalised); the letters are about the
    meeting, which is what the visibility policy is asked about."""
    meeting = decided(w).agenda_item.meeting
    services.mark_meeting_held(meeting, by=w.desk)
    minutes = services.send_minutes_for_review(services.start_minutes(meeting, by=w.desk), by=w.desk, working_days=3)
    if final:
        services.finalise_minutes(minutes, by=w.desk)
    return Meeting.objects.get(pk=meeting.pk)


def minutes_reminded(w):
    meeting = minutes_sent(w)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Minutes.objects.filter(meeting=meeting).update(sent_for_review_at=yesterday, review_deadline=soon(1))
    tasks.send_reminders()
    return meeting


def digests_sent(w):
    """News in both committees, every role subscribed to every area; returns nothing (a digest is about many)."""
    action = assigned(w)
    FollowUpAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    draft(w, title="Private draft of MSIT")
    food_proposal = cast.make_proposal(w.food, w.people["co-sponsor liaison"], title="Alternative proteins")
    services.submit_proposal(food_proposal, by=w.people["co-sponsor liaison"])
    food_meeting = cast.make_meeting(w.food, w.people["other committee's secretariat"], title="Food plenary")
    services.add_agenda_item(
        food_meeting, by=w.people["other committee's secretariat"], kind=AgendaItem.Kind.REPORT, title="Food report"
    )
    services.publish_agenda(food_meeting, by=w.people["other committee's secretariat"])
    for person in w.people.values():
        DigestPreference.objects.update_or_create(
            user=person,
            defaults={
                "frequency": DigestPreference.Frequency.DAILY,
                "period_start": timezone.now() - datetime.timedelta(days=2),
            },
        )
    tasks.send_digests()
    return None


EVERYONE_BUT_THE_OUTSIDER = set(ROLES) - {"outsider"}
LEAD_AND_COSPONSOR = {"lead liaison", "co-sponsor liaison"}

# kind -> (the story that ends in the event, the roles that hear of it)
ROWS = {
    Kind.PROPOSAL_SUBMITTED: (submitted, {"secretariat"}),
    Kind.PROPOSAL_RESUBMITTED: (resubmitted, {"secretariat"}),
    Kind.PROPOSAL_RETURN: (returned, LEAD_AND_COSPONSOR),
    Kind.PROPOSAL_ACCEPT: (accepted, LEAD_AND_COSPONSOR),
    Kind.PROPOSAL_SCHEDULE: (lambda w: proposal_of(scheduled(w)), LEAD_AND_COSPONSOR),
    Kind.PROPOSAL_UNSCHEDULE: (unscheduled, LEAD_AND_COSPONSOR),
    Kind.PROPOSAL_DECIDE: (lambda w: proposal_of(decided(w).agenda_item), LEAD_AND_COSPONSOR),
    Kind.PROPOSAL_DEFER: (lambda w: proposal_of(decided(w, Decision.Outcome.DEFERRED).agenda_item), LEAD_AND_COSPONSOR),
    # Not the co-sponsor: the draft was never submitted, so it is its lead agency's alone.
    Kind.PROPOSAL_WITHDRAW: (withdrawn_draft, {"lead liaison"}),
    Kind.CONSULTATION_REQUESTED: (consulted, {"consulted liaison"}),
    # The consulted agency alone hears that it has more time, or that its opinion is no longer asked.
    Kind.CONSULTATION_EXTENDED: (
        lambda w: services.extend_consultation(consulted(w), by=w.desk, working_days=30),
        {"consulted liaison"},
    ),
    Kind.CONSULTATION_CLOSED: (
        lambda w: services.close_consultation(consulted(w), by=w.desk, reason="Decided without it."),
        {"consulted liaison"},
    ),
    Kind.CONSULTATION_WITHDRAWN: (
        lambda w: services.withdraw_consultation(consulted(w), by=w.desk),
        {"consulted liaison"},
    ),
    Kind.OPINION_RECEIVED: (opinion, {"secretariat", "lead liaison"}),
    Kind.OPINION_REVISED: (lambda w: opinion(w, revised=True), {"secretariat", "lead liaison"}),
    # Not MOTIE, though it presents an item: its agency is not of NBC, so NBC's meetings are hidden from it.
    Kind.AGENDA_PUBLISHED: (lambda w: published(w).meeting, {"member", "lead liaison"}),
    Kind.AGENDA_CHANGED: (changed_agenda, {"member", "lead liaison"}),
    Kind.MEETING_CANCELLED: (cancelled, {"member", "lead liaison"}),
    # Not the co-sponsor from outside NBC: it sees the proposal but not NBC's decisions.
    Kind.DECISION_RECORDED: (decided, {"member", "lead liaison"}),
    # Minutes are the members' to review: the committee's members alone are asked, told and reminded.
    Kind.MINUTES_FOR_REVIEW: (minutes_sent, {"member"}),
    Kind.MINUTES_FINAL: (lambda w: minutes_sent(w, final=True), {"member"}),
    Kind.REMINDER_MINUTES: (minutes_reminded, {"member"}),
    Kind.ACTION_ASSIGNED: (assigned, {"co-sponsor liaison"}),
    Kind.PROGRESS_REPORTED: (progress, {"secretariat"}),
    Kind.REMINDER_CONSULTATION: (consultation_reminded, {"consulted liaison"}),
    Kind.REMINDER_ACTION: (action_reminded, {"co-sponsor liaison"}),
    Kind.REMINDER_CUTOFF: (cutoff_reminded, {"lead liaison", "other liaison"}),
    Kind.DIGEST: (digests_sent, EVERYONE_BUT_THE_OUTSIDER),
}


# --- the checks ------------------------------------------------------------------------------------


def hearers(kind) -> list[tuple[object, object]]:
    """(recipient, row) for every notification and email of this kind."""
    by_address = {user.email: user for user in get_user_model().objects.all()}
    rows = [(n.recipient, n) for n in Notification.objects.filter(kind=kind).select_related("recipient")]
    return rows + [(by_address[e.to_address], e) for e in OutboundEmail.objects.filter(kind=kind)]


def sees(person, obj) -> bool:
    return VISIBLE[type(obj)](person).filter(pk=obj.pk).exists()


def names_in_digest(text: str) -> list:
    """The objects a digest's text names, by their titles, references and numbers (unique in this story)."""
    named = [p for p in Proposal.objects.all() if p.title in text or (p.reference and p.reference in text)]
    named += [m for m in Meeting.objects.all() if m.title in text]
    named += [d for d in Decision.objects.all() if d.number in text]
    named += [a for a in FollowUpAction.objects.all() if a.title in text]
    return named


@pytest.mark.parametrize("kind", list(Kind))
def test_nobody_hears_of_what_they_may_not_see(world, kind):
    assert set(ROWS) == set(Kind), "every kind of letter needs a row here, and every row a kind"
    story, expected_roles = ROWS[kind]
    about = story(world)
    role_of = {person.pk: role for role, person in world.people.items()}
    heard = hearers(kind)
    assert heard, f"the story for {kind} wrote nothing"
    assert set(Notification.objects.values_list("kind", flat=True)) <= set(Kind)
    assert set(OutboundEmail.objects.values_list("kind", flat=True)) <= set(Kind)
    for person, row in heard:
        who = role_of.get(person.pk, person.username)
        named = [about] if about is not None else names_in_digest(row.body_text)
        for obj in named:
            assert sees(person, obj), f"{who} hears of {type(obj).__name__} {obj.pk} ({kind}) but may not see it"
        expected_committee = permissions.committee_id_of(about) if about is not None else None
        assert row.committee_id == expected_committee, f"{kind} to {who} is filed under the wrong committee"
        assert "None" not in row.subject and "None" not in row.body_text, f"{kind}: {row.subject}"
    assert {role_of[person.pk] for person, _row in heard if person.pk in role_of} == expected_roles


def test_every_letter_of_the_policy_lifecycle_passes_the_gate():
    """Only notifications.py writes letters (through `audience`), and digests.py, which checks each item.

    A module that imported the outbox's `letter` could write to anyone, bypassing the rows above.
    """
    writers = set()
    for path in pathlib.Path("policies").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            imports_it = isinstance(node, ast.ImportFrom) and node.module == "committee.outbox.delivery"
            if imports_it and any(alias.name == "letter" for alias in node.names):
                writers.add(path.as_posix())
    assert writers == {"policies/notifications.py", "policies/digests.py"}
