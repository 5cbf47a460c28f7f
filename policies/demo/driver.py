"""Tells the demo story (policies/demo/story.py) through the services, creating only what is missing.

Each object is looked up by its natural key (agency acronym, committee code, username, proposal or meeting
title). Everything with a state gets there through `policies.services`, proposals by drive_proposal_to, so
every timeline is real; policies/demo/history.py then moves the dates back.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committee.directory.models import Agency, Committee, CommitteeMembership, Profile
from policies import services
from policies.models import (
    AgendaItem,
    Attendance,
    Consultation,
    Decision,
    Meeting,
    MeetingDocument,
    PolicyArea,
    Proposal,
)
from policies.models import ProposalState as S
from policies.papers.build import build_paper

from . import history, story
from .drive import drive_proposal_to, states_on_route

Paper = MeetingDocument.Kind
DUE_KINDS = {
    Meeting.Status.PLANNED: [Paper.AGENDA_BOOK],
    Meeting.Status.AGENDA_PUBLISHED: [Paper.AGENDA_BOOK],
    Meeting.Status.HELD: [Paper.AGENDA_BOOK, Paper.DECISION_RECORD, Paper.MINUTES],
}


def bilingual(texts: tuple[str, str]) -> str:
    korean, english = texts
    return f"{korean}\n\n{english}"


def meeting_day(offset_days: int) -> datetime.datetime:
    """14:00 KST on a weekday near today + offset (earlier weekday in the past, later one in the future)."""
    day = timezone.localdate() + datetime.timedelta(days=offset_days)
    step = -1 if offset_days < 0 else 1
    while day.weekday() >= 5:
        day += datetime.timedelta(days=step)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))


class Seeder:
    """Creates what is missing of the story; `created` counts what it made, by kind."""

    def __init__(self, password: str):
        self.created: dict[str, int] = {}
        self.password = password
        self.passwords_current: bool | None = None
        self.now = timezone.now()

    def note(self, kind: str, count: int = 1):
        self.created[kind] = self.created.get(kind, 0) + count

    def run(self):
        self.seed_directory()
        past = [meeting for meeting in story.MEETINGS if meeting["days_from_today"] < 0]
        on_past_agendas = {item["proposal"] for meeting in past for item in meeting["agenda"] if "proposal" in item}
        # Oldest first, so reference numbers follow the order in which proposals were submitted.
        for meeting in past:
            self.hold_meeting(meeting)
        for spec in sorted(story.PROPOSALS, key=lambda spec: -spec["days_ago"]):
            if spec["key"] not in on_past_agendas and self.find(spec) is None:
                proposal = self.tell(spec)
                history.age_timeline(proposal, spec, now=self.now, end=self.now - datetime.timedelta(hours=2))
        for meeting in story.MEETINGS:
            if meeting["days_from_today"] >= 0:
                self.plan_meeting(meeting)
        self.build_papers()

    def build_papers(self):
        """Each meeting's agenda book, and the held one's decision record, built here rather than left to the
        worker, so a newcomer finds them at once (the same builders; a paper already built is kept)."""
        for meeting in Meeting.objects.filter(committee=self.nbc).exclude(status=Meeting.Status.CANCELLED):
            for kind in DUE_KINDS[meeting.status]:
                stored = MeetingDocument.objects.filter(meeting=meeting, kind=kind).count()
                build_paper(meeting.pk, kind)
                if MeetingDocument.objects.filter(meeting=meeting, kind=kind).count() > stored:
                    self.note("papers")

    # --- directory ------------------------------------------------------------------------------

    def seed_directory(self):
        self.agencies = {acronym: self.agency(acronym, ko, en) for acronym, (ko, en, *_n) in story.AGENCIES.items()}
        plenary = story.PLENARY
        self.nbc = self.committee(plenary["code"], plenary["name_ko"], plenary["name_en"], Committee.Kind.PLENARY)
        self.nbc.agencies.add(*self.agencies.values())
        self.committees = {self.nbc.code: self.nbc}
        for code, kind, name_ko, name_en, members in story.SUBCOMMITTEES:
            sub = self.committee(code, name_ko, name_en, kind, parent=self.nbc)
            sub.agencies.add(*(self.agencies[acronym] for acronym in members))
            self.committees[code] = sub
        self.seed_people()

    def seed_people(self):
        username, last, first = story.SECRETARIAT
        self.secretariat = self.user(username, last, first, is_staff=True)
        for committee in self.committees.values():
            committee.secretariat.add(self.secretariat)
        self.user(story.SUPERUSER, "", "", is_staff=True, is_superuser=True)
        self.liaisons = {
            acronym: self.user(f"liaison-{acronym.lower()}", last, first, agency=self.agencies[acronym])
            for acronym, (_ko, _en, last, first) in story.AGENCIES.items()
        }
        term_start = timezone.localdate() - datetime.timedelta(days=story.TERMS_BEGAN_DAYS_AGO)
        self.members = {}
        for username, last, first, role, acronym, language in story.MEMBERS:
            self.members[username] = self.user(username, last, first, language=language)
            self.membership(self.nbc, self.members[username], role, term_start, self.agencies.get(acronym))
        for code, usernames in story.SUBCOMMITTEE_MEMBERS.items():
            for username in usernames:
                expert = CommitteeMembership.Role.EXPERT
                self.membership(self.committees[code], self.members[username], expert, term_start, None)

    def agency(self, acronym: str, name_ko: str, name_en: str) -> Agency:
        agency, created = Agency.objects.get_or_create(
            acronym=acronym, defaults={"name_ko": name_ko, "name_en": name_en}
        )
        if created:
            self.note("agencies")
        return agency

    def committee(self, code, name_ko, name_en, kind, *, parent=None) -> Committee:
        description = story.PLENARY["description"] if parent is None else ""
        defaults = {"name_ko": name_ko, "name_en": name_en, "kind": kind, "parent": parent, "description": description}
        committee, created = Committee.objects.get_or_create(code=code, defaults=defaults)
        if created:
            self.note("committees")
        return committee

    def user(self, username, last_name, first_name, *, agency=None, language="ko", is_staff=False, is_superuser=False):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@{story.EMAIL_DOMAIN}",
                "last_name": last_name,
                "first_name": first_name,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        # Set the password only when it is not already the demo password: a second run leaves the hash alone,
        # and a changed DEMO_PASSWORD takes effect.
        if created or not self.has_demo_password(user):
            user.set_password(self.password)
            user.save(update_fields=["password"])
        profile, _created = Profile.objects.get_or_create(user=user, defaults={"agency": agency, "language": language})
        if agency is not None and profile.agency_id != agency.pk:
            profile.agency = agency
            profile.save(update_fields=["agency"])
        if created:
            self.note("users")
        return user

    def has_demo_password(self, user) -> bool:
        # A password check costs about half a second by design (PBKDF2). The demo users' passwords are always
        # set together, so the first existing user (secretariat) answers for all of them.
        if self.passwords_current is None:
            self.passwords_current = user.check_password(self.password)
        return self.passwords_current

    def membership(self, committee, user, role, term_start, agency):
        if CommitteeMembership.objects.filter(committee=committee, user=user).exists():
            return
        role = CommitteeMembership.Role(role)
        # Ex-officio members sit by virtue of their office; appointed members serve two-year terms.
        term_end = None if role == CommitteeMembership.Role.EX_OFFICIO else term_start + datetime.timedelta(days=730)
        CommitteeMembership.objects.create(
            committee=committee, user=user, role=role, agency=agency, term_start=term_start, term_end=term_end
        )
        self.note("memberships")

    # --- proposals -----------------------------------------------------------------------------

    def find(self, spec: dict) -> Proposal | None:
        code = spec.get("committee", self.nbc.code)
        return Proposal.objects.filter(committee__code=code, title=spec["title"]).first()

    def tell(self, spec: dict) -> Proposal:
        """Draft the proposal as its lead liaison and drive it to its state, with what happens on the way."""
        liaison = self.liaisons[spec["lead"]]
        areas = PolicyArea.objects.in_bulk(field_name="code")
        proposal = services.create_proposal(
            by=liaison,
            committee=self.committees[spec.get("committee", self.nbc.code)],
            title=spec["title"],
            summary=bilingual(spec["summary"]),
            body=spec.get("body", ""),
            requested_decision=spec["requested_decision"],
            policy_area=areas[spec["area"]],
            estimated_budget_krw=spec.get("budget_krw"),
            co_sponsors=[self.agencies[acronym] for acronym in spec.get("co_sponsors", [])],
            secondary_areas=[areas[code] for code in spec.get("secondary_areas", [])],
        )
        self.note("proposals")
        route = states_on_route(spec["state"])
        consult_in = S.UNDER_REVIEW if S.UNDER_REVIEW in route else S.SUBMITTED
        if spec.get("consultations") and consult_in not in route:
            raise ValueError(f"demo proposal {spec['key']!r} is consulted on but never submitted")

        def on_reach(reached: Proposal):
            if reached.state == S.DRAFT:
                for name, content in spec.get("attachments", []):
                    upload = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
                    services.add_attachment(reached, by=liaison, uploaded_file=upload)
            elif reached.state == consult_in:
                for request in spec.get("consultations", []):
                    self.consult(reached, request)

        proposal = drive_proposal_to(
            proposal,
            spec["state"],
            liaison=liaison,
            secretariat=self.secretariat,
            comment=spec.get("comment", ""),
            on_reach=on_reach,
        )
        proposal.refresh_from_db()
        return proposal

    def consult(self, proposal: Proposal, request: dict):
        services.request_consultations(
            proposal,
            by=self.secretariat,
            agencies=[self.agencies[acronym] for acronym in request["agencies"]],
            working_days=request["working_days"],
            question=request["question"],
        )
        self.note("consultations", len(request["agencies"]))
        for acronym, (position, opinion) in request["opinions"].items():
            consultation = Consultation.objects.get(proposal=proposal, agency__acronym=acronym)
            position = Consultation.Position(position)
            services.give_opinion(consultation, by=self.liaisons[acronym], position=position, opinion=opinion)

    # --- meetings ------------------------------------------------------------------------------

    def create_meeting(self, spec: dict) -> Meeting | None:
        """The plenary meeting of `spec`, or None when it exists already (then it is left as it is)."""
        if Meeting.objects.filter(committee=self.nbc, title=spec["title"]).exists():
            return None
        starts_at = meeting_day(spec["days_from_today"])
        meeting = services.create_meeting(
            by=self.secretariat,
            committee=self.nbc,
            title=spec["title"],
            kind=Meeting.Kind.PLENARY,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            location=spec["location"],
            online_link=spec.get("online_link", ""),
            submission_cutoff=starts_at - datetime.timedelta(days=14),
        )
        self.note("meetings")
        return meeting

    def put_on_agenda(self, meeting: Meeting, item: dict, proposal: Proposal | None) -> AgendaItem | None:
        if proposal is not None:
            liaison = self.liaisons[proposal.lead_agency.acronym]
            drive_proposal_to(proposal, S.SCHEDULED, liaison=liaison, secretariat=self.secretariat, meeting=meeting)
            return AgendaItem.objects.get(meeting=meeting, proposal=proposal)
        kind, title = (
            (AgendaItem.Kind.REPORT, item["report"])
            if "report" in item
            else (AgendaItem.Kind.BRIEFING, item["briefing"])
        )
        presenter = self.agencies[item["presenter"]] if item.get("presenter") else None
        services.add_agenda_item(meeting, by=self.secretariat, kind=kind, title=title, presenter=presenter)
        return None

    def proposal_for(self, key: str) -> tuple[dict, Proposal | None]:
        spec = next(spec for spec in story.PROPOSALS if spec["key"] == key)
        return spec, self.find(spec)

    def hold_meeting(self, spec: dict):
        """A past meeting: its proposals told and accepted, agenda published, attendance, decisions, actions."""
        if Meeting.objects.filter(committee=self.nbc, title=spec["title"]).exists():
            return
        told = {}
        for key in (item["proposal"] for item in spec["agenda"] if "proposal" in item):
            proposal_spec, proposal = self.proposal_for(key)
            proposal = proposal or self.tell(proposal_spec)
            if proposal.state != S.ACCEPTED:
                raise ValueError(f"demo proposal {key!r} exists but is {proposal.state}, not accepted")
            told[key] = (proposal_spec, proposal)
        meeting = self.create_meeting(spec)
        items = [
            (item, self.put_on_agenda(meeting, item, told[item["proposal"]][1] if "proposal" in item else None))
            for item in spec["agenda"]
        ]
        services.publish_agenda(meeting, by=self.secretariat)
        self.take_attendance(meeting, spec.get("attendance", {}))
        decided = [(item, agenda_item) for item, agenda_item in items if agenda_item is not None]
        decisions = [
            self.decide(meeting, item, agenda_item, index) for index, (item, agenda_item) in enumerate(decided)
        ]
        services.mark_meeting_held(meeting, by=self.secretariat)
        history.age_held_meeting(meeting, decisions)
        self.approve_minutes(meeting, decisions)
        for proposal_spec, proposal in told.values():
            end = meeting.starts_at - datetime.timedelta(days=8)
            history.age_timeline(proposal, proposal_spec, now=self.now, end=end)

    def approve_minutes(self, meeting: Meeting, decisions: list[Decision]):
        """The held meeting's minutes, reviewed and final, and its adopted decisions made public."""
        minutes = services.start_minutes(meeting, by=self.secretariat)
        summaries = {
            item.pk: f"{item.display_title}: 위원들은 안건을 검토하고 의견을 나누었다." for item in meeting.items.all()
        }
        services.save_summaries(minutes, by=self.secretariat, summaries=summaries)
        services.send_minutes_for_review(minutes, by=self.secretariat, working_days=5)
        services.finalise_minutes(minutes, by=self.secretariat)
        self.note("minutes")
        for decision in decisions:
            if decision.outcome in services.ADOPTED_OUTCOMES:
                services.make_decision_public(decision, summary=decision.resolution, by=self.secretariat)
                self.note("public decisions")

    def take_attendance(self, meeting: Meeting, listed: dict):
        for username, member in self.members.items():
            status, delegate_name = listed.get(username, (Attendance.Status.PRESENT, ""))
            status = Attendance.Status(status)
            services.record_attendance(
                meeting, by=self.secretariat, member=member, status=status, delegate_name=delegate_name
            )

    def decide(self, meeting: Meeting, item: dict, agenda_item: AgendaItem, index: int) -> Decision:
        votes = item.get("votes") or (None, None, None)
        decision = services.record_decision(
            agenda_item,
            by=self.secretariat,
            outcome=Decision.Outcome(item["outcome"]),
            resolution=item["resolution"],
            votes_for=votes[0],
            votes_against=votes[1],
            abstentions=votes[2],
            decided_at=meeting.starts_at + datetime.timedelta(minutes=20 + 25 * index),
        )
        self.note("decisions")
        for action in item.get("actions", []):
            self.assign_action(decision, action, meeting_day=meeting.starts_at)
        return decision

    def assign_action(self, decision: Decision, spec: dict, *, meeting_day: datetime.datetime):
        due = timezone.localdate() + datetime.timedelta(days=spec["due_in_days"])
        # The service refuses past due dates, as it should for real work; an overdue demo action is
        # assigned with a future date and given its past one by history.age_action.
        action = services.assign_follow_up_action(
            decision,
            by=self.secretariat,
            agency=self.agencies[spec["agency"]],
            title=spec["title"],
            due_date=max(due, timezone.localdate()),
        )
        self.note("follow-up actions")
        progress = spec["progress"]
        for index, (percent, text) in enumerate(progress):
            services.report_progress(
                action,
                by=self.liaisons[spec["agency"]],
                text=text,
                percent_complete=percent,
                reports_done=percent == 100,
                reported_on=timezone.localdate() - datetime.timedelta(days=7 * (len(progress) - index)),
            )
        if spec.get("verify"):
            services.verify_action(action, by=self.secretariat)
        history.age_action(action, due=due, meeting_day=meeting_day)

    def plan_meeting(self, spec: dict):
        """A meeting ahead: planned, with its accepted proposals and other items on the agenda."""
        meeting = self.create_meeting(spec)
        if meeting is None:
            return
        for item in spec["agenda"]:
            proposal = self.proposal_for(item["proposal"])[1] if "proposal" in item else None
            if "proposal" in item and (proposal is None or proposal.state != S.ACCEPTED):
                continue  # taken on, or moved on, since the story was first told
            self.put_on_agenda(meeting, item, proposal)
