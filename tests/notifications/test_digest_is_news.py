"""A digest is news: the follow-up actions of the reader's areas are those that fell overdue in the window, every
section lists at most SECTION_LIMIT items and counts the others the reader may see ("and N more", with a link to
a page the reader may open), lines are in each reader's own language, and a batch takes the same queries for two
readers as for six.

Everything happens at frozen Seoul instants: windows open at Tuesday 10 March 2026 10:00 (T0) and the digests
run a day later, so the window's Seoul days are [10 March, 11 March).
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committee.directory import scope as directory_scope
from committee.directory.models import Agency, Committee, CommitteeMembership
from committee.outbox.models import OutboundEmail
from policies import digests, services, tasks
from policies.models import DigestPreference, ProposalState
from tests import cast

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
LIMIT = digests.SECTION_LIMIT
BECAME_OVERDUE = "Follow-up actions that became overdue"


def at(moment):
    return time_machine.travel(moment, tick=False)


def subscribe(*people, since=T0, frequency=DigestPreference.Frequency.DAILY):
    # Members appointed before every instant of these tests, whenever they run.
    CommitteeMembership.objects.update(term_start=datetime.date(2025, 1, 1))
    for person in people:
        DigestPreference.objects.update_or_create(user=person, defaults={"frequency": frequency, "period_start": since})


def digest_to(user) -> OutboundEmail:
    return OutboundEmail.objects.get(kind="digest", to_address=user.email)


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def section_of(text: str, heading: str) -> str:
    """One section of a text digest: from its heading to the blank line that ends it."""
    after = text.split(heading, 1)[1]
    return after.split("\n\n", 1)[0].split("==", 1)[0]


@pytest.fixture
def decision(committee, secretariat, lead_liaison, health):
    """An adopted decision of NBC, recorded well before the window."""
    with at(T0 - 20 * DAY):
        decided = cast.proposal_in_state(
            ProposalState.DECIDED, committee=committee, liaison=lead_liaison, secretariat=secretariat, area=health
        )
    return decided.agenda_items.get().decision


def assign(decision, secretariat, agency, title, due_date):
    with at(T0 - 15 * DAY):
        return services.assign_follow_up_action(decision, by=secretariat, agency=agency, title=title, due_date=due_date)


# --- overdue actions: news of the window, not the backlog -------------------------------------------------


def test_an_action_overdue_before_the_window_is_not_news_but_still_waits_for_its_agency(
    decision, committee, secretariat, member, other_liaison, mohw
):
    assign(decision, secretariat, mohw, "Overdue since last week", (T0 - 7 * DAY).date())
    assign(decision, secretariat, mohw, "Overdue since the day before", (T0 - DAY).date())
    assign(decision, secretariat, mohw, "Fell overdue in the window", T0.date())  # overdue from 11 March 00:00
    assign(decision, secretariat, mohw, "Due on the digest day", (T0 + DAY).date())  # not overdue yet
    weekly_reader = cast.make_member(committee, "member-weekly")
    subscribe(member, other_liaison)
    subscribe(weekly_reader, since=T0 - 6 * DAY, frequency=DigestPreference.Frequency.WEEKLY)  # due in the same run
    with at(T0 + DAY):
        tasks.send_digests()
    text = digest_to(member).body_text
    assert section_of(text, BECAME_OVERDUE).count("- ") == 1
    assert "Fell overdue in the window" in section_of(text, BECAME_OVERDUE)
    assert "Overdue since" not in text and "Due on the digest day" not in text
    # The weekly reader's window began on 4 March: two fell overdue in it, the one due on 3 March did not.
    weekly = section_of(digest_to(weekly_reader).body_text, BECAME_OVERDUE)
    assert "Overdue since the day before" in weekly and "Fell overdue in the window" in weekly
    assert "Overdue since last week" not in weekly
    # MOHW's liaison is still told of all it owes, and counted so in the subject.
    digest = digest_to(other_liaison)
    assert digest.subject.startswith("3 actions overdue, 1 action due soon – ")
    waiting = section_of(digest.body_text, "Follow-up actions of your agency due or overdue")
    assert all(title in waiting for title in ("Overdue since last week", "Overdue since the day before"))
    assert BECAME_OVERDUE not in digest.body_text  # listed once, under what waits for it


# --- the cap, and "and N more" counting only what the reader may see ---------------------------------------


@pytest.fixture
def busy_week(committee, lead_liaison, health):
    """LIMIT + 3 proposals submitted to NBC in the window, and 4 to another committee the member cannot read."""
    other = Committee.objects.create(code="OTH", name_ko="해양바이오위원회", name_en="Marine Bio Committee")
    mof = Agency.objects.create(acronym="MOF", name_ko="해양수산부", name_en="Ministry of Oceans and Fisheries")
    other.agencies.add(mof)
    liaison_mof = cast.make_liaison(mof, "liaison-mof")
    with at(T0 + HOUR):
        for number in range(LIMIT + 3):
            proposal = cast.make_proposal(committee, lead_liaison, health, title=f"NBC proposal {number:02d}")
            services.submit_proposal(proposal, by=lead_liaison)
        for number in range(4):
            proposal = cast.make_proposal(other, liaison_mof, health, title=f"OTH proposal {number:02d}")
            services.submit_proposal(proposal, by=liaison_mof)


def test_a_section_lists_the_limit_and_counts_only_the_visible_rest_with_a_link_the_reader_may_open(
    busy_week, member, client
):
    subscribe(member)
    with at(T0 + DAY):
        tasks.send_digests()
    digest = digest_to(member)
    listed = section_of(digest.body_text, "New proposals")
    assert listed.count("NBC proposal") == LIMIT and "OTH proposal" not in digest.body_text
    assert "and 3 more: see them all in the Bio Committee Desk" in listed
    link = listed.split("more: see them all in the Bio Committee Desk", 1)[1].split()[0]
    assert link.endswith("/proposals/") and f'href="{link}">and 3 more' in digest.body_html
    assert digest.body_html.count("NBC proposal") == LIMIT
    client.force_login(member)
    assert client.get(path_of(link)).status_code == 200


def test_what_waits_for_an_agency_is_capped_too_and_counted_in_full_in_the_subject(
    decision, secretariat, other_liaison, mohw
):
    for number in range(LIMIT + 2):
        assign(decision, secretariat, mohw, f"MOHW action {number:02d}", (T0 - 3 * DAY).date())
    subscribe(other_liaison)
    with at(T0 + DAY):
        tasks.send_digests()
    digest = digest_to(other_liaison)
    assert digest.subject.startswith(f"{LIMIT + 2} actions overdue – ")
    waiting = section_of(digest.body_text, "Follow-up actions of your agency due or overdue")
    assert waiting.count("MOHW action") == LIMIT and "and 2 more" in waiting
    assert waiting.split("and 2 more: see them all in the Bio Committee Desk", 1)[1].split()[0].endswith("/")


# --- where "and N more" leads: a page the reader may open, showing what they may see ------------------------


def test_each_reader_is_sent_to_pages_they_may_open(committee, secretariat, member, other_liaison, client):
    # A secretariat of NBC who is also a member of OTH: the admin would show NBC's business only.
    also_member_elsewhere = cast.make_member(cast.make_committee("OTH"), "secretariat-and-member-elsewhere")
    committee.secretariat.add(also_member_elsewhere)
    type(also_member_elsewhere).objects.filter(pk=also_member_elsewhere.pk).update(is_staff=True)
    also_member_elsewhere.refresh_from_db()
    links = digests.see_all_links()
    people = {
        "member": (member, False),
        "liaison": (other_liaison, False),
        "secretariat": (secretariat, True),
        "secretariat and member elsewhere": (also_member_elsewhere, False),
    }
    for role, (person, in_admin) in people.items():
        scope = directory_scope.scopes_of([person])[person.pk]
        assert digests.reads_all_in_admin(person, scope) is in_admin, role
        client.force_login(person)
        for section, link in links[in_admin].items():
            assert client.get(path_of(link)).status_code == 200, (role, section, link)
    assert "/admin/" not in "".join(links[False].values())
    assert "/admin/" in links[True]["overdue_actions"]


# --- each reader's language, though lines are rendered once for all ---------------------------------------


def test_readers_of_two_languages_in_one_batch_each_read_their_own(committee, secretariat, lead_liaison, mohw, health):
    korean, english = cast.make_member(committee, "member-ko"), cast.make_member(committee, "member-en")
    cast.speaks(korean, "ko")
    with at(T0 + HOUR):
        drafted = cast.make_proposal(committee, lead_liaison, health, title="Shared proposal")
        proposal = services.submit_proposal(drafted, by=lead_liaison)
        services.request_consultations(proposal, by=secretariat, agencies=[mohw], deadline=(T0 + 9 * DAY).date())
    subscribe(korean, english)
    with at(T0 + DAY):
        assert tasks.send_digests() == 2
    consulted = f"{proposal.reference} → MOHW, "
    assert f"{consulted}기한 2026-03-19" in digest_to(korean).body_text
    assert f"{consulted}due 2026-03-19" in digest_to(english).body_text
    assert "새 제안" in digest_to(korean).body_html and "New proposals" in digest_to(english).body_html


# --- the cost of a batch ---------------------------------------------------------------------------------


def test_a_batch_takes_the_same_queries_for_two_readers_as_for_six(
    busy_week, decision, committee, secretariat, member, lead_liaison, other_liaison, mohw, msit
):
    for number in range(3):
        assign(decision, secretariat, mohw, f"MOHW action {number}", (T0 - 3 * DAY).date())
        assign(decision, secretariat, msit, f"MSIT action {number}", T0.date())
    readers = [member, other_liaison, lead_liaison, secretariat]
    readers += [cast.make_member(committee, f"reader-{number}") for number in range(2)]
    subscribe()  # appointed before T0 whatever the clock says (frozen in 2028, a new member's term starts after T0)
    digests.enrol_newcomers(T0)  # everyone has a preference before we count
    counts = []
    for batch in (readers[:2], readers):
        OutboundEmail.objects.filter(kind="digest").delete()
        DigestPreference.objects.update(frequency=DigestPreference.Frequency.OFF)
        subscribe(*batch)
        with at(T0 + DAY), CaptureQueriesContext(connection) as queries:
            assert tasks.send_digests() == len(batch)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_batch_takes_the_same_queries_for_a_quiet_week_as_for_a_busy_one(
    decision, committee, secretariat, lead_liaison, member, other_liaison, mohw, health
):
    """The news is read lean and in bulk: three times the proposals, consultations and actions (listed to one
    reader, owed by the other's agency) cost no query more."""
    digests.enrol_newcomers(T0)  # everyone has a preference before we count
    counts = []
    for week, added in enumerate((1, 2)):  # one of each, then two more: three in all
        for number in range(added):
            with at(T0 + HOUR):
                drafted = cast.make_proposal(committee, lead_liaison, health, title=f"Proposal {week}.{number}")
                proposal = services.submit_proposal(drafted, by=lead_liaison)
                services.request_consultations(
                    proposal, by=secretariat, agencies=[mohw], deadline=(T0 + 9 * DAY).date()
                )
            assign(decision, secretariat, mohw, f"Action {week}.{number}", T0.date())
        OutboundEmail.objects.filter(kind="digest").delete()
        subscribe(member, other_liaison)
        with at(T0 + DAY), CaptureQueriesContext(connection) as queries:
            assert tasks.send_digests() == 2
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
