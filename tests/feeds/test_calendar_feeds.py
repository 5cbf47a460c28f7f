"""Private calendar feeds: what each person's and committee's feed shows, the secret link, and conditional GETs."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from committee.audit.models import AuditEntry
from committee.dates import seoul_today
from policies import services
from policies.models import CalendarFeed, Decision, ProposalState
from policies.services.feeds import feed_path, token_of
from tests import cast

pytestmark = pytest.mark.django_db
S = ProposalState
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "SUMMARY")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    for event in calendar.walk("VEVENT"):
        assert all(event.get(name) is not None for name in REQUIRED), event
    return calendar


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_members_feed_has_their_committees_meetings_with_the_invitations_uid_and_sequence(
    client, committee, secretariat, member
):
    published = cast.make_meeting(committee, secretariat, title="Plenary")
    services.update_meeting(published, by=secretariat, changes={"location": "Sejong"})
    published.refresh_from_db()
    cancelled = services.cancel_meeting(cast.make_meeting(committee, secretariat, title="Gone"), by=secretariat)
    elsewhere = cast.make_committee("NBC-FOOD")
    hidden = cast.make_meeting(elsewhere, cast.make_secretariat(elsewhere, "food-desk"), title="Not theirs")

    calendar = parse(client.get(feed_path(member)))  # no session: the signed key is the credential

    shown = events(calendar)
    assert set(shown) == {published.invitation_uid, cancelled.invitation_uid}
    assert hidden.invitation_uid not in shown
    event = shown[published.invitation_uid]
    assert int(event["SEQUENCE"]) == published.invitation_sequence
    assert event["DTSTART"].dt == timezone.localtime(published.starts_at).replace(microsecond=0)
    assert str(event["LOCATION"]) == "Sejong"
    assert str(event["URL"]).endswith(reverse("portal:meeting", args=[published.pk]))
    assert str(shown[cancelled.invitation_uid]["STATUS"]) == "CANCELLED"
    assert str(event["STATUS"]) == "TENTATIVE"  # planned: the agenda is not out yet


def test_a_liaisons_feed_has_their_agencys_open_deadlines_and_due_dates_as_all_day_events(
    client, committee, secretariat, other_liaison, third_liaison, proposal_in_state
):
    proposal = proposal_in_state(S.SUBMITTED)
    mine, theirs = services.request_consultations(
        proposal,
        by=secretariat,
        agencies=[other_liaison.profile.agency, third_liaison.profile.agency],
        working_days=5,
    )
    decided = Decision.objects.get(agenda_item__proposal=proposal_in_state(S.DECIDED))
    due = seoul_today() + datetime.timedelta(days=20)
    action = services.assign_follow_up_action(
        decided, by=secretariat, agency=other_liaison.profile.agency, title="Build it", due_date=due
    )
    services.assign_follow_up_action(
        decided, by=secretariat, agency=third_liaison.profile.agency, title="Not ours", due_date=due
    )

    shown = events(parse(client.get(feed_path(other_liaison))))

    deadline = shown[f"consultation-{mine.pk}@bio-committee-desk"]
    assert deadline["DTSTART"].dt == mine.deadline and not isinstance(deadline["DTSTART"].dt, datetime.datetime)
    assert deadline["DTEND"].dt == mine.deadline + datetime.timedelta(days=1)
    assert proposal.reference in str(deadline["SUMMARY"])
    assert shown[f"action-{action.pk}@bio-committee-desk"]["DTSTART"].dt == due
    assert f"consultation-{theirs.pk}@bio-committee-desk" not in shown
    assert not any("Not ours" in str(event["SUMMARY"]) for event in shown.values())


def test_answered_consultations_leave_the_feed(client, committee, secretariat, other_liaison, proposal_in_state):
    proposal = proposal_in_state(S.SUBMITTED)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[other_liaison.profile.agency], working_days=5
    )
    assert events(parse(client.get(feed_path(other_liaison))))
    services.give_opinion(consultation, by=other_liaison, position="concur", opinion="Fine.")
    assert not events(parse(client.get(feed_path(other_liaison))))


@pytest.mark.parametrize("mangle", ["forged", "truncated", "other salt"])
def test_a_forged_or_mangled_link_opens_nothing(client, member, mangle):
    token = token_of(CalendarFeed.objects.create(user=member))
    bad = {"forged": "abc:def", "truncated": token[:-3], "other salt": token.split(":")[0] + ":x" * 3}[mangle]
    assert client.get(reverse("portal:person_calendar", args=[bad])).status_code == 404


def test_renewing_the_link_ends_the_old_one_at_once_and_is_audited(client, member):
    old = feed_path(member)
    assert client.get(old).status_code == 200
    client.force_login(member)
    response = client.post(reverse("portal:renew_my_calendar"))
    assert response.status_code == 302
    client.logout()
    new = feed_path(member)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    entry = AuditEntry.objects.get(action="calendar_feed.rotated")
    assert entry.actor_id == member.pk and "key" not in entry.changes


def test_a_deactivated_persons_link_stops_working(client, member):
    path = feed_path(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(path).status_code == 404


def test_feeds_answer_conditional_gets_and_change_when_a_meeting_changes(client, committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    path = feed_path(member)
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    services.update_meeting(meeting, by=secretariat, changes={"title": "Moved"})
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"Moved" in changed.content


def test_a_committee_feed_shows_its_meetings_and_only_its_secretariat_renews_it(client, committee, secretariat, member):
    meeting = cast.make_meeting(committee, secretariat)
    path = feed_path(committee)
    assert meeting.invitation_uid in events(parse(client.get(path)))
    client.force_login(member)
    renew = reverse("portal:renew_committee_calendar", args=[committee.pk])
    assert client.post(renew).status_code == 403
    assert feed_path(committee) == path
    client.force_login(secretariat)
    assert client.post(renew).status_code == 302
    assert client.get(path).status_code == 404


def test_the_settings_and_meetings_pages_and_the_api_give_the_links(client, committee, secretariat, member):
    client.force_login(member)
    mine = feed_path(member)
    assert mine in client.get(reverse("portal:preferences")).content.decode()
    listing = client.get(reverse("portal:meeting_list")).content.decode()
    assert feed_path(committee) in listing
    assert reverse("portal:renew_committee_calendar", args=[committee.pk]) not in listing  # members do not renew
    me = client.get("/api/v1/me/").json()
    assert me["calendar_feed_url"] == f"http://testserver{mine}"
