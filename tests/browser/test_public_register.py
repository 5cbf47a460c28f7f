"""The public decision register as an anonymous visitor reads it: the list, a search in Korean and in English,
and a decision's page, at 1280 px and 375 px, Korean first and English through the header's language switch,
with nothing wider than the screen.

Screenshots: register-{list,search,decision}-{ko,en}-{desktop,phone}.png.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.dates import seoul_today
from policies import services
from policies.models import Decision, FollowUpAction, ProposalState
from tests import cast

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"

DECISIONS = [
    (
        "바이오 파운드리 인프라 구축 및 운영을 위한 범부처 협력 체계 마련",
        "국가 바이오 파운드리를 단계적으로 구축하고 공공·민간 연구기관이 함께 활용하도록 범부처 추진단을 둔다.",
    ),
    ("Bio-manufacturing pilot plants", "Two pilot plants for biologics are funded from 2027; agencies report yearly."),
    ("합성생물학 연구 데이터 공유 기준", "연구 데이터를 공유하는 기준을 정하고 2027년부터 적용한다."),
]


def build_register():
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    numbers = []
    for index, (title, summary) in enumerate(DECISIONS):
        proposal = cast.proposal_in_state(
            ProposalState.DECIDED, committee=committee, liaison=liaison, secretariat=secretariat, title=title
        )
        decision = Decision.objects.get(agenda_item__proposal=proposal)
        for status in (FollowUpAction.Status.OPEN, FollowUpAction.Status.IN_PROGRESS)[: index + 1]:
            action = services.assign_follow_up_action(
                decision,
                by=secretariat,
                agency=cast.agency("MSIT"),
                title="후속 조치",
                due_date=seoul_today() + datetime.timedelta(days=30),
            )
            FollowUpAction.objects.filter(pk=action.pk).update(status=status)
        # Made public by setting the fields: the verb that does it belongs to the minutes' work.
        Decision.objects.filter(pk=decision.pk).update(
            public_summary=summary, made_public_at=timezone.now(), made_public_by=secretariat
        )
        numbers.append(decision.number)
    return numbers


def fits(page):
    assert page.evaluate(NO_SIDEWAYS_SCROLL), f"wider than {page.viewport_size['width']} px: {page.url}"


def walk(page, base, language, size_name, screenshots, *, search, expect_title, heading):
    page.goto(f"{base}/register/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator(".register-entry")).to_have_count(3)
    fits(page)
    screenshots(page, f"register-list-{language}-{size_name}")

    page.locator("#id_q").fill(search)
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator(".register-entry")).to_have_count(1)
    expect(page.locator(".register-entry h2")).to_contain_text(expect_title)
    expect(page.locator("#id_q")).to_have_value(search)
    fits(page)
    screenshots(page, f"register-search-{language}-{size_name}")

    page.locator(".register-entry h2 a").click()
    expect(page.locator("h1")).to_contain_text(expect_title)
    fits(page)
    screenshots(page, f"register-decision-{language}-{size_name}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_register_reads_in_korean_and_english_on_desktop_and_phone(live_server, browser, screenshots):
    build_register()
    base = live_server.url
    # A Korean browser; the site's default is Korean too.
    context = browser.new_context(locale="ko-KR", viewport=DESKTOP)
    page = context.new_page()
    try:
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            walk(
                page,
                base,
                "ko",
                size_name,
                screenshots,
                search="파운드리 협력",
                expect_title="바이오 파운드리",
                heading="공개 의결 목록",
            )
            expect(page.get_by_text("착수 전 1건")).to_be_visible()

        # The header's language switch, as an anonymous visitor uses it.
        page.goto(f"{base}/register/")
        page.locator("#language-select").select_option("en")
        page.get_by_role("button", name="언어 변경").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            walk(
                page,
                base,
                "en",
                size_name,
                screenshots,
                search="PILOT plants",
                expect_title="Bio-manufacturing pilot plants",
                heading="Public decision register",
            )
            expect(page.get_by_text("Open: 1")).to_be_visible()
            expect(page.get_by_text("In progress: 1")).to_be_visible()
    finally:
        context.close()
