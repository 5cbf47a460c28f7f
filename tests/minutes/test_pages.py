"""The minutes in the portal (a member reads and comments; others may not) and in the admin (the secretariat
sees every comment beside the draft and takes the verbs from the minutes desk)."""

import pytest

from policies.models import Decision, Minutes, MinutesComment
from tests import cast

pytestmark = pytest.mark.django_db
N = Minutes.Status


def test_a_member_comments_in_the_portal_and_finds_the_minutes_on_the_home_page(minutes_in_state, client, member):
    minutes, item = minutes_in_state(N.IN_REVIEW)
    client.force_login(member)
    assert "portal:meeting_minutes" not in client.get("/").content.decode()
    assert f"/meetings/{minutes.meeting_id}/minutes/" in client.get("/").content.decode()
    page = client.get(f"/meetings/{minutes.meeting_id}/minutes/")
    assert page.status_code == 200 and "위원들은 예산 규모를 논의하였다." in page.content.decode()
    empty = client.post(f"/meetings/{minutes.meeting_id}/minutes/", {"agenda_item": item.pk, "text": ""})
    assert empty.status_code == 400
    sent = client.post(f"/meetings/{minutes.meeting_id}/minutes/", {"agenda_item": item.pk, "text": "동의합니다."})
    assert sent.status_code == 302
    assert MinutesComment.objects.get().author == member


def test_a_liaison_reads_but_may_not_comment_and_another_committees_member_sees_nothing(
    minutes_in_state, client, lead_liaison, committee
):
    minutes, _item = minutes_in_state(N.IN_REVIEW)
    client.force_login(lead_liaison)
    page = client.get(f"/meetings/{minutes.meeting_id}/minutes/")
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()
    assert client.post(f"/meetings/{minutes.meeting_id}/minutes/", {"text": "Liaison"}).status_code == 403
    client.force_login(cast.make_member(cast.make_committee("NBC-FOOD"), "food-member"))
    assert client.get(f"/meetings/{minutes.meeting_id}/minutes/").status_code == 404
    assert not MinutesComment.objects.exists()


def test_the_secretariat_sees_comments_beside_the_draft_and_finalises_then_makes_a_decision_public(
    minutes_in_state, client, secretariat, member
):
    from policies import services

    minutes, item = minutes_in_state(N.IN_REVIEW)
    member.last_name, member.first_name = "김", "민준"
    member.save()
    services.comment_on_minutes(minutes, by=member, text="예산 규모를 명시해 주십시오.", agenda_item=item)
    client.force_login(secretariat)
    url = f"/admin/policies/meeting/{minutes.meeting_id}/desk/minutes/"
    page = client.get(url).content.decode()
    assert "예산 규모를 명시해 주십시오." in page and "위원들은 예산 규모를 논의하였다." in page
    assert "<strong>김민준</strong>" in page  # the comment's author as Koreans write the name
    assert client.post(f"{url}finalise/").status_code == 302
    assert Minutes.objects.get().status == N.FINAL
    decision = Decision.objects.get(agenda_item=item)
    refused = client.post(f"{url}decisions/{decision.pk}/public/", {f"public-{decision.pk}-summary": ""})
    assert refused.status_code == 200 and not Decision.objects.get(pk=decision.pk).is_public
    made = client.post(f"{url}decisions/{decision.pk}/public/", {f"public-{decision.pk}-summary": "공개 요약"})
    assert made.status_code == 302 and Decision.objects.get(pk=decision.pk).public_summary == "공개 요약"


def test_a_comment_after_the_review_deadline_is_still_taken_marked_late_until_the_minutes_are_final(
    minutes_in_state, client, secretariat, member
):
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    minutes, item = minutes_in_state(N.IN_REVIEW)
    url = f"/meetings/{minutes.meeting_id}/minutes/"
    client.force_login(member)

    def on(day, hour, minute=0):
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo("Asia/Seoul"))
        return time_machine.travel(moment, tick=False)

    with on(minutes.review_deadline, 23, 59):  # the last minute of the deadline's day, Seoul time: on time
        assert "marked late" not in client.get(url).content.decode()
        assert client.post(url, {"agenda_item": item.pk, "text": "마감일 안의 의견"}).status_code == 302
    with on(minutes.review_deadline + datetime.timedelta(days=1), 0):
        page = client.get(url).content.decode()
        assert "marked late" in page and 'name="text"' in page  # told, and still offered the form
        assert client.post(url, {"agenda_item": "", "text": "늦은 의견"}).status_code == 302
    on_time, late = MinutesComment.objects.order_by("pk")
    assert (on_time.late, late.late) == (False, True)
    assert client.get(url).content.decode().count(">Late<") == 1

    client.force_login(secretariat)
    desk = client.get(f"/admin/policies/meeting/{minutes.meeting_id}/desk/minutes/").content.decode()
    assert desk.count("<strong>Late</strong>") == 1
    comments = client.get(f"/api/v1/minutes/{minutes.pk}/").json()["comments"]
    assert [c["late"] for c in comments] == [False, True]


def test_the_decision_page_says_whether_the_public_reads_it_and_leads_to_where_it_is_made_public(
    minutes_in_state, client, secretariat
):
    from django.urls import reverse

    from policies import services

    minutes, item = minutes_in_state(N.IN_REVIEW)
    decision = Decision.objects.get(agenda_item=item)
    client.force_login(secretariat)
    page_url = reverse("admin:policies_decision_change", args=[decision.pk])
    desk = f"/admin/policies/meeting/{minutes.meeting_id}/desk/minutes/"
    before = client.get(page_url).content.decode()
    assert "once the minutes of its meeting are final" in before and f'href="{desk}"' in before
    services.finalise_minutes(minutes, by=secretariat)
    assert f'href="{desk}#public">Make it public' in client.get(page_url).content.decode()
    services.make_decision_public(decision, summary="공개 요약", by=secretariat)
    public = client.get(page_url).content.decode()
    assert "Public since" in public and reverse("register:decision", args=[decision.number]) in public
