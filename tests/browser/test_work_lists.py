"""The full lists of follow-up actions and consultations as a liaison sees them: in Korean on a phone and in
English on a desktop, filtered from the form, with nothing wider than the screen.

Screenshots: work-actions-ko-phone.png, work-consultations-ko-phone.png, work-actions-en-desktop.png,
work-consultations-en-desktop.png.
"""

import datetime

import pytest
from playwright.sync_api import Page, expect

from committee.dates import seoul_today
from policies import services
from policies.models import Decision, FollowUpAction, ProposalState
from tests import cast
from tests.browser.test_korean_reading import PHONE, korean, signed_in

DESKTOP = {"width": 1280, "height": 900}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_liaison_filters_its_actions_and_consultations_in_korean_and_english(
    live_server, page: Page, screenshots, settings
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    msit = korean(cast.make_liaison(cast.agency("MSIT"), "liaison-msit"), "김", "민준")
    mohw = korean(cast.make_liaison(cast.agency("MOHW"), "liaison-mohw"), "이", "서연")
    people = {"committee": committee, "liaison": msit, "secretariat": secretariat}
    decided = cast.proposal_in_state(ProposalState.DECIDED, title="합성생물학 육성 로드맵", **people)
    decision = Decision.objects.get(agenda_item__proposal=decided)
    for title, days in (("로드맵 이행 점검 보고서 제출", 30), ("바이오 파운드리 시범 사업 착수", 45)):
        services.assign_follow_up_action(
            decision,
            by=secretariat,
            agency=cast.agency("MSIT"),
            title=title,
            due_date=seoul_today() + datetime.timedelta(days=days),
        )
    FollowUpAction.objects.filter(title="로드맵 이행 점검 보고서 제출").update(
        due_date=seoul_today() - datetime.timedelta(days=3)
    )
    submitted = cast.proposal_in_state(ProposalState.SUBMITTED, title="국가 바이오 데이터 공유 체계 구축", **people)
    services.request_consultations(submitted, by=secretariat, agencies=[cast.agency("MOHW")], working_days=5)
    base = live_server.url

    page.set_viewport_size(PHONE)
    signed_in(page, base, msit)
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="후속 조치").click()
    expect(page.locator("h1")).to_have_text("후속 조치")
    expect(page.get_by_role("status")).to_have_text("후속 조치 2건")
    page.get_by_label("표시").select_option("overdue")
    page.get_by_role("button", name="필터").click()
    expect(page.get_by_role("status")).to_have_text("후속 조치 1건")
    expect(page.locator(".flag")).to_have_text("기한 경과")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshots(page, "work-actions-ko-phone")

    page.context.clear_cookies()
    signed_in(page, base, mohw)
    page.goto(f"{base}/consultations/")
    expect(page.get_by_role("link", name="국가 바이오 데이터 공유 체계 구축")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshots(page, "work-consultations-ko-phone")
    page.get_by_role("link", name="국가 바이오 데이터 공유 체계 구축").click()
    expect(page.get_by_role("button", name="의견 보내기")).to_be_visible()  # the list leads to the answer

    cast.speaks(mohw, "en")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/consultations/?whose=all&show=all")
    expect(page.get_by_role("status")).to_have_text("1 consultation")
    screenshots(page, "work-consultations-en-desktop")
    page.goto(f"{base}/actions/")
    expect(page.get_by_role("status")).to_have_text("0 follow-up actions")  # MOHW owes none
    page.get_by_label("Whose").select_option("all")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("status")).to_have_text("2 follow-up actions")
    expect(page.locator(".flag")).to_have_text(["Overdue"])
    screenshots(page, "work-actions-en-desktop")
