"""Korean on a phone: words wrap whole (word-break: keep-all) in the portal and the admin, names read 김민준.

Screenshots at 375 px: korean-proposal-phone.png and korean-proposal-list-phone.png (portal),
korean-admin-list-phone.png (admin).
"""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from policies.models import ProposalState
from tests import cast

PHONE = {"width": 375, "height": 800}
WORD_BREAK = "(selector) => getComputedStyle(document.querySelector(selector)).wordBreak"


def signed_in(page: Page, base_url: str, user):
    """The browser carries a session of `user` (signing in itself is the journey test's business)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def korean(user, last, first):
    user.last_name, user.first_name = last, first
    user.save()
    return cast.speaks(user, "ko")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_korean_pages_wrap_between_words_on_a_phone(live_server, page: Page, screenshots, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False  # the second factor is the journey test's subject, not this one's
    committee = cast.make_committee()
    secretariat = korean(cast.make_secretariat(committee), "박", "지훈")
    liaison = korean(cast.make_liaison(cast.agency("MSIT"), "liaison-msit"), "김", "민준")
    proposal = cast.proposal_in_state(
        ProposalState.SUBMITTED,
        committee=committee,
        liaison=liaison,
        secretariat=secretariat,
        title="바이오 파운드리 인프라 구축 및 운영을 위한 범부처 협력 체계 마련",
        summary="국가 바이오 파운드리 인프라를 단계적으로 구축하고 공공·민간 연구기관이 공동으로 활용하는 방안",
        body="<p>합성생물학 기반 바이오 제조 역량을 강화하기 위하여 범부처 공동 추진체계를 마련한다.</p>",
        estimated_budget_krw=35_000_000_000,
    )
    base = live_server.url
    page.set_viewport_size(PHONE)

    signed_in(page, base, liaison)
    page.goto(f"{base}/proposals/{proposal.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    assert page.evaluate(WORD_BREAK, "h1") == "keep-all"
    assert page.evaluate(WORD_BREAK, ".rich-text") == "keep-all"
    expect(page.locator(".who")).to_have_text("김민준")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshots(page, "korean-proposal-phone")
    page.goto(f"{base}/proposals/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # One block per proposal: nothing hides in a sideways-scrolling table, the title is not one word a line.
    assert page.evaluate("(w => w.scrollWidth <= w.clientWidth)(document.querySelector('.table-wrap'))")
    expect(page.locator("td.title")).to_have_css("flex-basis", "100%")
    screenshots(page, "korean-proposal-list-phone")

    page.context.clear_cookies()
    signed_in(page, base, secretariat)
    page.goto(f"{base}/admin/policies/proposal/")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    assert page.evaluate(WORD_BREAK, "#result_list th") == "keep-all"
    assert page.evaluate(WORD_BREAK, "#result_list td") == "keep-all"
    screenshots(page, "korean-admin-list-phone")
    page.goto(f"{base}/admin/policies/proposal/{proposal.pk}/change/")
    assert page.evaluate(WORD_BREAK, ".rich-text") == "keep-all"
    expect(page.locator(".field-budget .readonly")).to_have_text("₩35,000,000,000")
    screenshots(page, "korean-admin-proposal-phone")
