"""A member reads draft minutes and comments on an item in the portal; the secretariat sees the comment beside
the draft on the minutes desk and finalises them. English and Korean, at 1280 px and at a phone's 375 px,
nothing wider than the screen."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from policies import services
from policies.models import Decision, Minutes, MinutesComment, MinutesReading, ProposalState
from tests import cast
from tests.browser.test_meeting_desk import fits_a_phone, sign_in
from tests.browser.test_proposal_journey import watch_for_csp_violations


def minutes_in_review():
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    member = cast.make_member(committee, "member-1")
    member.first_name, member.last_name = "민준", "김"
    member.save()
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    proposal = cast.proposal_in_state(
        ProposalState.ACCEPTED, committee=committee, liaison=liaison, secretariat=secretariat, title="바이오 시범공장"
    )
    meeting = cast.make_meeting(
        committee, secretariat, starts_at=timezone.now() - datetime.timedelta(hours=2), title="제3차 본회의"
    )
    item = services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    services.publish_agenda(meeting, by=secretariat)
    cast.attend_all(meeting, secretariat)
    services.record_decision(item, by=secretariat, outcome="adopted", resolution="계획과 예산을 승인한다.")
    services.mark_meeting_held(meeting, by=secretariat)
    minutes = services.start_minutes(meeting, by=secretariat)
    services.save_summaries(minutes, by=secretariat, summaries={item.pk: "위원들은 예산 규모를 논의하였다."})
    services.send_minutes_for_review(minutes, by=secretariat, working_days=5)
    return secretariat, member, meeting, minutes


def at_both_widths(page: Page, screenshots, name: str):
    screenshots(page, f"{name}-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert fits_a_phone(page), name
    screenshots(page, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_member_comments_and_the_secretariat_finalises(live_server, page: Page, browser, screenshots):
    violations: list[str] = []
    watch_for_csp_violations(page, violations)
    secretariat, member, meeting, minutes = minutes_in_review()
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The member finds the minutes on the home page, opens them (recorded) and comments on the item.
    sign_in(page, base, member.username)
    page.get_by_role("link", name="제3차 본회의").first.click()
    expect(page.get_by_role("heading", name="Minutes of 제3차 본회의", level=1)).to_be_visible()
    expect(page.locator("body")).to_contain_text("위원들은 예산 규모를 논의하였다.")
    assert MinutesReading.objects.filter(minutes=minutes, reader=member).exists()
    page.get_by_label("About").select_option(label="1. 바이오 시범공장")
    page.get_by_label("Your comment").fill("예산 규모를 명시해 주십시오.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment is sent to the secretariat.")
    assert MinutesComment.objects.get().text == "예산 규모를 명시해 주십시오."
    at_both_widths(page, screenshots, "minutes-01-member-en")

    page.get_by_label("Language").select_option("ko")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.get_by_role("heading", name="의견 보내기")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("의견 제출 기한")
    at_both_widths(page, screenshots, "minutes-02-member-ko")

    # The secretariat sees the comment beside the draft, then finalises (English, then the page in Korean).
    staff = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    watch_for_csp_violations(desk, violations)
    sign_in(desk, base, secretariat.username)
    desk.goto(f"{base}/admin/policies/meeting/{meeting.pk}/desk/")
    desk.get_by_role("link", name="Open the minutes").click()
    expect(desk.locator(".minutes-comments").first).to_contain_text("예산 규모를 명시해 주십시오.")
    at_both_widths(desk, screenshots, "minutes-03-secretariat-en")
    decision_page = f"{base}/admin/policies/decision/{Decision.objects.get().pk}/change/"
    desk.goto(decision_page)  # the decision's own page says why it is not public yet
    expect(desk.locator("body")).to_contain_text("Not public: a decision is made public once the minutes")
    at_both_widths(desk, screenshots, "minutes-03b-decision-en")
    desk.get_by_role("link", name="Minutes of the meeting").click()
    desk.locator("#finalise-minutes").click()
    expect(desk.locator(".messagelist .success")).to_contain_text("The minutes are final")
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.FINAL
    staff.close()

    cast.speaks(secretariat, "ko")
    korean = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    ko_desk = korean.new_page()
    watch_for_csp_violations(ko_desk, violations)
    sign_in(ko_desk, base, secretariat.username)
    ko_desk.goto(f"{base}/admin/policies/meeting/{meeting.pk}/desk/minutes/")
    expect(ko_desk.locator("html")).to_have_attribute("lang", "ko")
    expect(ko_desk.locator("#correct-heading")).to_contain_text("확정 회의록 정정")
    at_both_widths(ko_desk, screenshots, "minutes-04-secretariat-ko-final")
    ko_desk.goto(decision_page)  # now the decision page leads to where it is made public
    ko_desk.get_by_role("link", name="공개하기").click()
    assert ko_desk.url.endswith("/desk/minutes/#public")
    expect(ko_desk.locator("#public-heading")).to_be_in_viewport()
    at_both_widths(ko_desk, screenshots, "minutes-05-decision-ko-public")
    korean.close()
    assert violations == []
