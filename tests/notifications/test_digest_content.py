"""What a digest holds beyond proposals: meetings, decisions and overdue actions, per role and per committee,
and the exact edges of its window and of its due check.

Everything happens at frozen Seoul instants around Tuesday 10 March 2026 10:00 (T0); digests run through the
task, and the tests read the email it wrote.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from committee.directory.models import Agency, Committee, CommitteeMembership
from committee.outbox.models import OutboundEmail
from policies import services, tasks
from policies.models import AgendaItem, DigestPreference, Meeting, PolicyArea, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


def at(moment):
    return time_machine.travel(moment, tick=False)


def make_member(committee, username):
    """A member whose term began before every instant of these tests, whenever they run."""
    user = cast.make_member(committee, username)
    CommitteeMembership.objects.filter(user=user).update(term_start=datetime.date(2025, 1, 1))
    return user


@pytest.fixture(autouse=True)
def member(committee):
    return make_member(committee, "member-1")


def subscribe(user, since, frequency=DigestPreference.Frequency.DAILY, areas=()):
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency, "period_start": since}
    )
    preference.areas.set([PolicyArea.objects.get(code=code) for code in areas])
    return preference


def digest_of(user) -> str | None:
    """The text of the one digest this person received, or None."""
    texts = list(OutboundEmail.objects.filter(kind="digest", to_address=user.email).values_list("body_text", flat=True))
    assert len(texts) <= 1, texts
    return texts[0] if texts else None


def decide(committee, liaison, secretariat, code):
    """An accepted proposal of `code` on the agenda of the "<code> plenary", adopted at this instant."""
    proposal = cast.proposal_in_state(
        ProposalState.ACCEPTED,
        committee=committee,
        liaison=liaison,
        secretariat=secretariat,
        area=PolicyArea.objects.get(code="health"),
        title=f"{code} proposal",
    )
    meeting = cast.make_meeting(committee, secretariat, title=f"{code} plenary", days_ahead=-1)
    item = services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(Meeting.objects.get(pk=meeting.pk), secretariat)
    return services.record_decision(item, by=secretariat, outcome="adopted", resolution=f"{code} resolution")


# --- meetings, decisions and overdue actions, per role, of one's own committee and of another -------------


@pytest.fixture
def two_committees(committee, secretariat, lead_liaison, other_liaison, member, outsider, mohw):
    """NBC (the cast's committee) and OTH (a committee of one other agency, MOF), each with a decision,
    a published agenda and overdue follow-up actions, all made at T0. OTH also gave MOHW, an agency outside
    OTH, an action: MOHW's liaison hears of that action, but of nothing else of OTH."""
    with at(T0):
        other = Committee.objects.create(code="OTH", name_ko="해양바이오위원회", name_en="Marine Bio Committee")
        mof = Agency.objects.create(acronym="MOF", name_ko="해양수산부", name_en="Ministry of Oceans and Fisheries")
        other.agencies.add(mof)
        people = {
            "secretariat-oth": cast.make_secretariat(other, "secretariat-oth"),
            "liaison-mof": cast.make_liaison(mof, "liaison-mof"),
            "member-oth": make_member(other, "member-oth"),
        }
        nbc_decision = decide(committee, lead_liaison, secretariat, "NBC")
        oth_decision = decide(other, people["liaison-mof"], people["secretariat-oth"], "OTH")
        due_today, due_tomorrow = T0.date(), T0.date() + DAY  # the digest runs tomorrow: today's are overdue

        def assign(decision, by, agency, title, due_date):
            return services.assign_follow_up_action(decision, by=by, agency=agency, title=title, due_date=due_date)

        assign(nbc_decision, secretariat, mohw, "NBC action overdue", due_today)
        assign(nbc_decision, secretariat, mohw, "NBC action due on the digest day", due_tomorrow)
        done = assign(nbc_decision, secretariat, mohw, "NBC action done", due_today)
        services.report_progress(done, by=other_liaison, text="Done.", percent_complete=100, reports_done=True)
        assign(oth_decision, people["secretariat-oth"], mof, "OTH action for MOF", due_today)
        assign(oth_decision, people["secretariat-oth"], mohw, "OTH action for MOHW", due_today)
        cancelled = cast.make_meeting(committee, secretariat, days_ahead=5, title="NBC cancelled meeting")
        services.cancel_meeting(cancelled, by=secretariat)
    people.update(
        secretariat=secretariat,
        lead_liaison=lead_liaison,
        other_liaison=other_liaison,
        member=member,
        outsider=outsider,
    )
    return people


NBC_ITEMS = {"NBC plenary", "NBC-2026-D-001", "NBC action overdue"}
OTH_ITEMS = {"OTH plenary", "OTH-2026-D-001", "OTH action for MOF", "OTH action for MOHW"}
NEVER = {"NBC cancelled meeting", "NBC action due on the digest day", "NBC action done"}  # but see MOHW

EXPECTED = {
    "secretariat": NBC_ITEMS,
    "member": NBC_ITEMS,
    "lead_liaison": NBC_ITEMS,
    # Its own agency's actions, not OTH's meeting; and, among what waits for it, MOHW's action due tomorrow.
    "other_liaison": NBC_ITEMS | {"OTH action for MOHW", "NBC action due on the digest day"},
    "secretariat-oth": OTH_ITEMS,
    "liaison-mof": OTH_ITEMS,
    "member-oth": OTH_ITEMS,
    "outsider": None,  # nothing to say: no digest at all
}


def test_each_role_hears_of_the_meetings_decisions_and_overdue_actions_it_may_see_and_no_others(two_committees):
    for person in two_committees.values():
        subscribe(person, since=T0 - datetime.timedelta(hours=1))
    with at(T0 + DAY):
        tasks.send_digests()
    for role, expected in EXPECTED.items():
        text = digest_of(two_committees[role])
        if expected is None:
            assert text is None, role
            continue
        heard = {item for item in NBC_ITEMS | OTH_ITEMS | NEVER if item in text}
        assert heard == expected, role
        # A liaison's own agency's actions lead the digest, under "Waiting for you", and are not listed twice.
        actions_heading = any(
            heading in text
            for heading in ("Follow-up actions that became overdue", "Follow-up actions of your agency due")
        )
        assert ("Decisions" in text, actions_heading) == (True, True), role


def test_decisions_and_actions_follow_the_chosen_areas_but_meetings_reach_everyone(two_committees, committee):
    food_only = make_member(committee, "member-food")
    subscribe(food_only, since=T0 - datetime.timedelta(hours=1), areas=["food"])
    subscribe(two_committees["member"], since=T0 - datetime.timedelta(hours=1), areas=["health"])
    with at(T0 + DAY):
        tasks.send_digests()
    text = digest_of(food_only)
    assert {item for item in NBC_ITEMS if item in text} == {"NBC plenary"}  # the decided proposal is health's
    text = digest_of(two_committees["member"])
    assert {item for item in NBC_ITEMS if item in text} == NBC_ITEMS


ITEM_PAGE = re.compile(
    r"^  \S+?(/proposals/\d+/|/meetings/\d+/#item-\d+|/meetings/\d+/"
    r"|/consultations/\d+/opinion/|/actions/\d+/progress/)$",
    re.MULTILINE,
)


def test_every_listed_item_links_to_a_page_its_reader_may_open(two_committees, proposal_in_state, mohw, client):
    """Each line of a digest leads to where its reader acts on it or reads it in full: a consultation to its
    proposal, a decision and an overdue action to their agenda item on the meeting's page (the anchor is there),
    an opinion owed to its form, an action owed to its progress page. Every one opens for that reader."""
    secretariat = two_committees["secretariat"]
    with at(T0):
        consulted = proposal_in_state(ProposalState.UNDER_REVIEW, title="Consulted proposal")
        (consultation,) = services.request_consultations(
            consulted, by=secretariat, agencies=[mohw], deadline=(T0 + 9 * DAY).date()
        )
    for person in two_committees.values():
        subscribe(person, since=T0 - HOUR)
    nbc_decision = AgendaItem.objects.get(meeting__title="NBC plenary").decision
    nbc_item = f"/meetings/{nbc_decision.agenda_item.meeting_id}/#item-{nbc_decision.agenda_item_id}"
    mohw_action = nbc_decision.follow_up_actions.get(title="NBC action overdue")
    expected = {
        "secretariat": {f"/proposals/{consulted.pk}/", nbc_item},
        "member": {f"/proposals/{consulted.pk}/", nbc_item},
        # MOHW owes the opinion and the overdue action: each links to the page where it is answered.
        "other_liaison": {f"/consultations/{consultation.pk}/opinion/", f"/actions/{mohw_action.pk}/progress/"},
    }
    with at(T0 + DAY):
        tasks.send_digests()
        for role, person in two_committees.items():
            digest = OutboundEmail.objects.filter(kind="digest", to_address=person.email).first()
            if digest is None:
                assert role not in expected and role == "outsider", role  # the outsider alone has nothing
                continue
            pages = set(ITEM_PAGE.findall(digest.body_text))
            assert expected.get(role, set()) <= pages, role
            client.force_login(person)
            for page in pages:
                assert f'{page}"' in digest.body_html, (role, page)
                response = client.get(page)
                assert response.status_code == 200, (role, page)
                if "#item-" in page:
                    assert f'id="item-{page.rsplit("-", 1)[1]}"' in response.content.decode(), (role, page)


# --- the window [period_start, now): its start is in, its end is out -------------------------------------


def submit(committee, liaison, title):
    proposal = cast.make_proposal(committee, liaison, PolicyArea.objects.get(code="health"), title=title)
    return services.submit_proposal(proposal, by=liaison)


def test_the_window_includes_its_first_instant_and_leaves_its_last_to_the_next_digest(
    committee, secretariat, lead_liaison, member, mohw
):
    start, end = T0, T0 + DAY
    with at(start - datetime.timedelta(hours=2)):
        first, second = (
            cast.proposal_in_state(
                ProposalState.ACCEPTED,
                committee=committee,
                liaison=lead_liaison,
                secretariat=secretariat,
                area=PolicyArea.objects.get(code="health"),
                title=title,
            )
            for title in ("Decided at the start", "Decided at the end")
        )
        meeting = cast.make_meeting(committee, secretariat, title="Plenary", starts_at=start - 3 * HOUR)
        items = [
            services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.PROPOSAL, proposal=proposal)
            for proposal in (first, second)
        ]
        services.publish_agenda(meeting, by=secretariat)
        cast.attend_all(Meeting.objects.get(pk=meeting.pk), secretariat)
    with at(start - SECOND):
        submit(committee, lead_liaison, "Submitted just before the start")
    with at(start):
        at_start = submit(committee, lead_liaison, "Submitted at the start")
        services.request_consultations(at_start, by=secretariat, agencies=[mohw], deadline=end.date())
        services.record_decision(items[0], by=secretariat, outcome="adopted", resolution="Adopted.")
    subscribe(member, since=start)
    with at(end):
        at_end = submit(committee, lead_liaison, "Submitted at the end")
        services.request_consultations(at_end, by=secretariat, agencies=[mohw], deadline=end.date() + DAY)
        services.record_decision(items[1], by=secretariat, outcome="adopted", resolution="Adopted.")
        assert tasks.send_digests() == 1
    text = digest_of(member)
    assert "Submitted at the start" in text and f"{at_start.reference} → MOHW" in text
    assert "NBC-2026-D-001" in text
    assert "Submitted just before the start" not in text
    assert "Submitted at the end" not in text and f"{at_end.reference} → MOHW" not in text
    assert "NBC-2026-D-002" not in text

    OutboundEmail.objects.filter(kind="digest").delete()
    with at(end + DAY):
        assert tasks.send_digests() == 1
    text = digest_of(member)
    assert "Submitted at the end" in text and f"{at_end.reference} → MOHW" in text and "NBC-2026-D-002" in text
    assert "Submitted at the start" not in text and "NBC-2026-D-001" not in text


def test_each_person_in_a_batch_gets_only_their_own_window(committee, lead_liaison, member, secretariat, mohw):
    weekly_reader = make_member(committee, "member-weekly")
    with at(T0 - 3 * DAY):
        decision = decide(committee, lead_liaison, secretariat, "NBC")
        old = submit(committee, lead_liaison, "Three days ago")
        services.request_consultations(old, by=secretariat, agencies=[mohw], deadline=T0.date())
        held = cast.make_meeting(committee, secretariat, title="Held two days ago", starts_at=T0 - 2 * DAY)
        services.add_agenda_item(held, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Report")
        services.publish_agenda(held, by=secretariat)
    with at(T0 + datetime.timedelta(hours=1)):
        submit(committee, lead_liaison, "This morning")
    subscribe(member, since=T0)  # daily: due at T0 + 1 day
    subscribe(weekly_reader, since=T0 - 6 * DAY, frequency=DigestPreference.Frequency.WEEKLY)  # due then too
    with at(T0 + DAY):
        assert tasks.send_digests() == 2  # one batch, read from the earlier of the two windows
    earlier = ("Three days ago", f"{old.reference} → MOHW", decision.number, "Held two days ago")
    assert "This morning" in digest_of(member) and not any(item in digest_of(member) for item in earlier)
    assert "This morning" in digest_of(weekly_reader) and all(item in digest_of(weekly_reader) for item in earlier)


def test_upcoming_meetings_are_those_starting_in_the_next_fourteen_days_from_the_run(committee, secretariat, member):
    run = T0 + DAY
    starts = {
        "Started a second before the run": run - SECOND,
        "Starts at the run": run,
        "Starts a second before the horizon": run + 14 * DAY - SECOND,
        "Starts at the horizon": run + 14 * DAY,
    }
    with at(T0 - DAY):
        for title, starts_at in starts.items():
            cast.make_meeting(committee, secretariat, title=title, starts_at=starts_at)
    subscribe(member, since=T0)
    with at(run):
        assert tasks.send_digests() == 1
    text = digest_of(member)
    assert {title for title in starts if title in text} == {"Starts at the run", "Starts a second before the horizon"}


def test_agendas_published_in_the_window_are_listed_even_for_meetings_already_held(committee, secretariat, member):
    """Meetings that started before the run are listed only if their agenda was published in [start, now)."""
    start, end = T0, T0 + DAY
    published = {
        "Published a second before the start": start - SECOND,
        "Published at the start": start,
        "Published at the end": end,
    }
    meetings = {}
    with at(start - DAY):
        for title in published:
            meeting = cast.make_meeting(committee, secretariat, title=title, starts_at=end - SECOND)
            services.add_agenda_item(meeting, by=secretariat, kind=AgendaItem.Kind.REPORT, title="Report")
            meetings[title] = meeting
    for title, moment in published.items():
        with at(moment):
            services.publish_agenda(meetings[title], by=secretariat)
    subscribe(member, since=start)
    with at(end):
        assert tasks.send_digests() == 1
    text = digest_of(member)
    assert {title for title in published if title in text} == {"Published at the start"}


# --- the due check: a period has elapsed at exactly period_start + its length ---------------------------


@pytest.mark.parametrize(
    ("frequency", "length"),
    [(DigestPreference.Frequency.DAILY, DAY), (DigestPreference.Frequency.WEEKLY, 7 * DAY)],
)
def test_a_digest_is_due_exactly_when_its_period_has_elapsed_and_not_a_second_before(
    committee, lead_liaison, member, frequency, length
):
    with at(T0 + datetime.timedelta(hours=1)):
        submit(committee, lead_liaison, "Something to say")
    preference = subscribe(member, since=T0, frequency=frequency)
    with at(T0 + length - SECOND):
        assert tasks.send_digests() == 0
    preference.refresh_from_db()
    assert preference.period_start == T0  # not due: the window did not move
    with at(T0 + length):
        assert tasks.send_digests() == 1
    preference.refresh_from_db()
    assert preference.period_start == T0 + length
    assert "Something to say" in digest_of(member)


def test_a_digest_links_each_new_proposal_and_meeting_to_its_page(committee, secretariat, lead_liaison, member):
    with at(T0 + datetime.timedelta(hours=1)):
        proposal = submit(committee, lead_liaison, "Linked proposal")
        meeting = cast.make_meeting(committee, secretariat, title="Linked meeting", starts_at=T0 + 3 * DAY)
    subscribe(member, since=T0)
    with at(T0 + DAY):
        assert tasks.send_digests() == 1
    email = OutboundEmail.objects.get(kind="digest", to_address=member.email)
    for page in (f"/proposals/{proposal.pk}/", f"/meetings/{meeting.pk}/"):
        assert page in email.body_text and page in email.body_html


@pytest.mark.parametrize(
    ("frequency", "period", "said"),
    [(DigestPreference.Frequency.DAILY, DAY, "daily"), (DigestPreference.Frequency.WEEKLY, 7 * DAY, "weekly")],
)
def test_the_subject_says_whether_the_digest_is_daily_or_weekly(
    committee, lead_liaison, member, frequency, period, said
):
    with at(T0 + datetime.timedelta(hours=1)):
        submit(committee, lead_liaison, "Something new")
    subscribe(member, since=T0, frequency=frequency)
    with at(T0 + period):
        assert tasks.send_digests() == 1
    subject = OutboundEmail.objects.get(kind="digest", to_address=member.email).subject
    assert said in subject.lower() and ({"daily", "weekly"} - {said}).pop() not in subject.lower()
