"""Builders for the committee's people and paper, driven through the same services as the product."""

import datetime
import importlib

from django.contrib.auth import get_user_model
from django.utils import timezone

from committee.directory.models import Agency, Committee, CommitteeMembership, Profile
from policies import services
from policies.demo.drive import drive_proposal_to
from policies.models import Attendance, PolicyArea

PASSWORD = "correct-horse-battery"

AGENCIES = {
    "MSIT": ("과학기술정보통신부", "Ministry of Science and ICT"),
    "MOHW": ("보건복지부", "Ministry of Health and Welfare"),
    "MOTIE": ("산업통상자원부", "Ministry of Trade, Industry and Energy"),
    "MAFRA": ("농림축산식품부", "Ministry of Agriculture, Food and Rural Affairs"),
}


def ensure_policy_areas():
    """The data migration's areas; transactional tests flush them, so put them back when missing."""
    migration = importlib.import_module("policies.migrations.0002_policy_areas")
    for code, name_ko, name_en, position in migration.POLICY_AREAS:
        PolicyArea.objects.get_or_create(
            code=code, defaults={"name_ko": name_ko, "name_en": name_en, "position": position}
        )


def make_user(username, **fields):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.go.kr", **fields
    )
    Profile.objects.create(user=user, language="en")
    return user


def agency(acronym):
    name_ko, name_en = AGENCIES[acronym]
    obj, _ = Agency.objects.get_or_create(acronym=acronym, defaults={"name_ko": name_ko, "name_en": name_en})
    return obj


def make_committee(code="NBC"):
    ensure_policy_areas()
    committee, _ = Committee.objects.get_or_create(
        code=code, defaults={"name_ko": "국가바이오위원회", "name_en": "National Bio Committee"}
    )
    committee.agencies.add(*(agency(acronym) for acronym in AGENCIES))
    return committee


def make_secretariat(committee, username="secretariat"):
    user = make_user(username, is_staff=True)
    committee.secretariat.add(user)
    return user


def make_liaison(agency_obj, username):
    user = make_user(username)
    user.profile.agency = agency_obj
    user.profile.save()
    return user


def make_member(committee, username, role=CommitteeMembership.Role.EXPERT):
    user = make_user(username)
    CommitteeMembership.objects.create(
        committee=committee, user=user, role=role, term_start=timezone.localdate() - datetime.timedelta(days=365)
    )
    return user


def make_proposal(committee, liaison, area=None, **fields):
    area = area or PolicyArea.objects.get(code="health")
    values = {
        "title": "Bio-manufacturing pilot plants",
        "summary": "Build two pilot plants for biologics.",
        "requested_decision": "Approve the plan and its budget.",
        "policy_area": area,
    }
    values.update(fields)
    return services.create_proposal(by=liaison, committee=committee, **values)


def make_meeting(committee, secretariat, days_ahead=14, **fields):
    values = {
        "title": "1st plenary meeting",
        "starts_at": timezone.now() + datetime.timedelta(days=days_ahead),
        "location": "Government Complex Seoul",
    }
    values.update(fields)
    return services.create_meeting(by=secretariat, committee=committee, **values)


def attend_all(meeting, secretariat):
    for membership in meeting.committee.current_memberships():
        services.record_attendance(meeting, by=secretariat, member=membership.user, status=Attendance.Status.PRESENT)


def decide_with_consultations_open(proposal, secretariat, committee):
    """Accept (keeping open consultations open), schedule, publish, attend and decide: the proposal ends decided
    while an agency may still owe its opinion."""
    if proposal.state == "submitted":
        services.start_review(proposal, by=secretariat)
    services.accept_proposal(proposal, by=secretariat, open_consultations="keep")
    meeting = make_meeting(committee, secretariat, days_ahead=-1)
    item = services.add_agenda_item(meeting, by=secretariat, kind="proposal", proposal=proposal)
    services.publish_agenda(meeting, by=secretariat)
    make_member(committee, "voting-member")
    attend_all(meeting, secretariat)
    services.record_decision(item, by=secretariat, outcome="adopted", resolution="Adopted.")


def proposal_in_state(state, *, committee, liaison, secretariat, area=None, **fields):
    """A proposal of the liaison's agency, driven through the services into `state` (the demo's own driver)."""
    proposal = make_proposal(committee, liaison, area, **fields)

    def attend(meeting):
        # A committee without members cannot reach a quorum; one appointed just before the roll call will do.
        if not committee.current_memberships().exists():
            make_member(committee, f"member-for-{proposal.pk}")
        attend_all(meeting, secretariat)

    return drive_proposal_to(
        proposal,
        state,
        liaison=liaison,
        secretariat=secretariat,
        # A decision is recorded only once its meeting has started: a decided proposal's meeting was yesterday.
        meeting=lambda: make_meeting(committee, secretariat, days_ahead=-1 if state == "decided" else 14),
        attend=attend,
    )


def speaks(user, language):
    """Set the person's language (their profile): a signed-in person's pages and mail are in it."""
    user.profile.language = language
    user.profile.save(update_fields=["language"])
    return user
