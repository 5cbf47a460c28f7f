"""Email digests: what each person may see in their areas since their last digest, once per period."""

import datetime
import email

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committee.directory import scope as directory_scope
from committee.outbox.models import OutboundEmail
from committee.outbox.unsubscribe import make_token
from policies import digests, permissions, services, tasks
from policies.digest_material import Material
from policies.models import DigestPreference, PolicyArea, Proposal
from tests import cast

pytestmark = pytest.mark.django_db


def area(code):
    return PolicyArea.objects.get(code=code)


def subscribe(user, *codes, frequency=DigestPreference.Frequency.DAILY, days_ago=2):
    preference = DigestPreference.objects.create(
        user=user, frequency=frequency, period_start=timezone.now() - datetime.timedelta(days=days_ago)
    )
    preference.areas.set([area(code) for code in codes])
    return preference


def submitted(committee, liaison, code, title):
    proposal = cast.make_proposal(committee, liaison, area(code), title=title)
    return services.submit_proposal(proposal, by=liaison)


@pytest.fixture
def activity(committee, lead_liaison, other_liaison, secretariat, mohw):
    health = submitted(committee, lead_liaison, "health", "Vaccine platform")
    submitted(committee, lead_liaison, "food", "Alternative proteins")
    submitted(committee, lead_liaison, "energy", "Bio-refineries")
    cast.make_proposal(committee, other_liaison, area("health"), title="Private draft of MOHW")
    services.start_review(health, by=secretariat)
    services.request_consultations(
        health, by=secretariat, agencies=[mohw], deadline=timezone.localdate() + datetime.timedelta(days=7)
    )
    OutboundEmail.objects.all().delete()  # keep only what the digest writes


def digests_to(user):
    return list(OutboundEmail.objects.filter(kind="digest", to_address=user.email))


def test_digest_lists_what_happened_in_the_members_two_areas(activity, member):
    preference = subscribe(member, "health", "food")
    start = preference.period_start
    assert tasks.send_digests() == 1
    (digest,) = digests_to(member)
    for part in (digest.body_text, digest.body_html):
        assert "Vaccine platform" in part and "Alternative proteins" in part
        assert "Bio-refineries" not in part  # energy is not one of the member's areas
        assert "Private draft of MOHW" not in part  # not visible to a member
        assert "Consultations requested" in part
    assert digest.dedup_key == f"digest:{member.pk}:{start.isoformat()}"
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        digest.headers["List-Unsubscribe"].startswith("<http")
        and "/notifications/unsubscribe/" in (digest.headers["List-Unsubscribe"])
    )
    assert digest.notification is None  # digests are email only
    preference.refresh_from_db()
    assert preference.period_start > start


def test_nothing_to_say_sends_nothing_but_moves_the_window(activity, member):
    preference = subscribe(member, "environment")
    start = preference.period_start
    assert tasks.send_digests() == 0
    assert digests_to(member) == []
    preference.refresh_from_db()
    assert preference.period_start > start


def test_an_outsider_hears_nothing_they_may_not_see(activity, outsider):
    subscribe(outsider)
    assert tasks.send_digests() == 0


def test_the_digest_task_run_twice_in_one_period_sends_one_digest_each(activity, member, other_liaison):
    subscribe(member)
    subscribe(other_liaison)
    assert tasks.send_digests() == 2
    assert tasks.send_digests() == 0
    assert len(digests_to(member)) == len(digests_to(other_liaison)) == 1


def test_a_digest_waits_until_its_period_has_elapsed(activity, member):
    subscribe(member, frequency=DigestPreference.Frequency.WEEKLY, days_ago=2)
    assert tasks.send_digests() == 0
    assert digests_to(member) == []


def test_a_new_subscriber_starts_from_now_rather_than_all_history(activity, member):
    preference = DigestPreference.objects.create(user=member, frequency=DigestPreference.Frequency.DAILY)
    assert tasks.send_digests() == 0
    preference.refresh_from_db()
    assert preference.period_start is not None


def test_a_rolled_back_batch_leaves_the_window_for_the_next_run(activity, member, monkeypatch):
    preference = subscribe(member)
    start = preference.period_start

    def die(*args, **kwargs):
        raise SystemExit("worker killed while writing the batch")

    monkeypatch.setattr(digests, "post", die)
    with pytest.raises(SystemExit):
        digests.send_digests()
    preference.refresh_from_db()
    assert preference.period_start == start and digests_to(member) == []
    monkeypatch.undo()
    assert digests.send_digests() == 1


def test_digest_batches_take_the_same_number_of_queries_for_three_or_six_people(activity, committee):
    people = [cast.make_member(committee, f"reader-{n}") for n in range(6)]
    digests.enrol_newcomers(timezone.now())  # everyone has a preference before we count
    daily_and_due = {
        "frequency": DigestPreference.Frequency.DAILY,
        "period_start": timezone.now() - datetime.timedelta(days=3),
    }
    DigestPreference.objects.filter(user__in=people[:3]).update(**daily_and_due)
    with CaptureQueriesContext(connection) as three:
        assert digests.send_digests() == 3
    DigestPreference.objects.filter(user__in=people).update(**daily_and_due)
    OutboundEmail.objects.all().delete()
    with CaptureQueriesContext(connection) as six:
        assert digests.send_digests() == 6
    assert len(six.captured_queries) == len(three.captured_queries)


def test_the_digest_is_a_multipart_message_with_text_and_html(activity, member):
    from committee.outbox.delivery import build_message

    subscribe(member)
    tasks.send_digests()
    message = email.message_from_bytes(build_message(digests_to(member)[0]).message().as_bytes())
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


# --- one-click unsubscribe ------------------------------------------------------------------------


def unsubscribe_path(user_id, list_name="digest"):
    return reverse("notifications:unsubscribe", args=[make_token(user_id, list_name)])


def test_one_click_post_without_login_turns_digests_off(client, member):
    preference = subscribe(member)
    response = client.post(unsubscribe_path(member.pk), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preference.refresh_from_db()
    assert preference.frequency == DigestPreference.Frequency.OFF


def test_unsubscribing_before_any_digest_keeps_enrolment_from_signing_them_up(client, member, activity):
    assert not DigestPreference.objects.filter(user=member).exists()  # a member is enrolled only by the task
    client.post(unsubscribe_path(member.pk), {"List-Unsubscribe": "One-Click"})
    digests.send_digests(now=timezone.now() + datetime.timedelta(days=8))
    assert DigestPreference.objects.get(user=member).frequency == DigestPreference.Frequency.OFF
    assert digests_to(member) == []


def test_get_shows_a_confirmation_page_and_changes_nothing(client, member):
    preference = subscribe(member)
    response = client.get(unsubscribe_path(member.pk))
    assert response.status_code == 200
    assert b"<form" in response.content and b'method="post"' in response.content
    preference.refresh_from_db()
    assert preference.frequency == DigestPreference.Frequency.DAILY


def test_a_tampered_token_is_refused_with_400(client, member):
    subscribe(member)
    path = unsubscribe_path(member.pk)
    response = client.post(path.replace("/unsubscribe/", "/unsubscribe/x"), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert DigestPreference.objects.get(user=member).frequency == DigestPreference.Frequency.DAILY


def test_a_token_for_an_unknown_person_or_list_is_404(client, member):
    assert client.post(unsubscribe_path(999_999)).status_code == 404
    assert client.post(unsubscribe_path(member.pk, "no-such-list")).status_code == 404


# --- the in-memory visibility used by digests, and the queryset policy, against one written table ---------

SEEN_BY = {
    "lead_liaison": {"MSIT submitted", "MSIT draft", "Co-sponsored draft", "Consulted outside"},
    "other_liaison": {"MSIT submitted", "Consulted outside", "MOHW draft"},  # a co-sponsor waits for submission
    "secretariat": {"MSIT submitted", "MSIT draft", "Co-sponsored draft", "MOHW draft", "Consulted outside"},
    "member": {"MSIT submitted", "Consulted outside"},
    "outsider": set(),
    "consulted_liaison": {"Consulted outside"},  # MAFRA is not in the committee, but was consulted
}


def test_digest_visibility_and_the_queryset_policy_both_match_the_written_table(
    request, committee, lead_liaison, other_liaison, secretariat, member, outsider, mohw, health
):
    def draft(liaison, title, **fields):
        return cast.make_proposal(committee, liaison, health, title=title, **fields)

    services.submit_proposal(draft(lead_liaison, "MSIT submitted"), by=lead_liaison)
    draft(lead_liaison, "MSIT draft")
    draft(lead_liaison, "Co-sponsored draft", co_sponsors=[mohw])
    draft(other_liaison, "MOHW draft")
    outside = cast.agency("MAFRA")
    committee.agencies.remove(outside)
    consulted_liaison = cast.make_liaison(outside, "liaison-mafra")
    consulted = services.submit_proposal(draft(lead_liaison, "Consulted outside"), by=lead_liaison)
    services.request_consultations(consulted, by=secretariat, agencies=[outside], working_days=3)
    people = {role: request.getfixturevalue(role) for role in SEEN_BY if role != "consulted_liaison"}
    people["consulted_liaison"] = consulted_liaison
    for person in people.values():
        directory_scope.forget_scope(person)
    scopes = directory_scope.scopes_of(people.values())
    proposals = list(Proposal.objects.prefetch_related("co_sponsors", "consultations"))
    for role, person in people.items():
        queried = set(permissions.visible_proposals(person).values_list("title", flat=True))
        in_memory = {
            p.title
            for p in proposals
            if permissions.sees_proposal(scopes[person.pk], p, permissions.involved_agency_ids(p))
        }
        assert queried == SEEN_BY[role], f"visible_proposals, {role}"
        assert in_memory == SEEN_BY[role], f"sees_proposal, {role}"
    # A digest looks only among the candidates its index gives a reader (by committee and agency): never fewer
    # than the policy lets them see, for the submitted proposals and the consultations of its window.
    material = Material(timezone.now() - datetime.timedelta(days=1), timezone.now() + datetime.timedelta(seconds=1))
    for role, person in people.items():
        for name, proposal_of in (("proposals", lambda p: p), ("consultations", lambda c: c.proposal)):
            everything = getattr(material, name)
            candidates = material.index[name].candidates(scopes[person.pk])
            assert everything, name
            assert seen_of(scopes[person.pk], candidates, proposal_of) == seen_of(
                scopes[person.pk], everything, proposal_of
            ), f"{name}, {role}"


def seen_of(scope, items, proposal_of) -> list[int]:
    return [x.pk for x in items if permissions.sees_proposal(scope, proposal_of(x), proposal_of(x).digest_involved)]


def test_members_and_liaisons_without_a_choice_get_a_weekly_digest_from_now(activity, member, outsider, lead_liaison):
    assert tasks.send_digests() == 0  # enrolled now: nothing of the past is replayed
    enrolled = DigestPreference.objects.get(user=member)
    assert enrolled.frequency == DigestPreference.Frequency.WEEKLY
    assert DigestPreference.objects.filter(user=lead_liaison).exists()
    assert not DigestPreference.objects.filter(user=outsider).exists()
    later = cast.make_proposal(activity_committee(), lead_liaison, area("health"), title="Later proposal")
    services.submit_proposal(later, by=lead_liaison)
    Proposal.objects.filter(pk=later.pk).update(submitted_at=enrolled.period_start + datetime.timedelta(hours=1))
    assert digests.send_digests(now=enrolled.period_start + datetime.timedelta(days=7, minutes=1)) >= 1
    (digest,) = digests_to(member)
    assert "Later proposal" in digest.body_text and "Vaccine platform" not in digest.body_text


def activity_committee():
    from committee.directory.models import Committee

    return Committee.objects.get(code="NBC")
