"""The liaison's proposal form in a real browser: a body written with formatting controls (no HTML typed), a
budget typed as "120억", saved and shown as ₩12,000,000,000 with the formatting rendered, in Korean and English,
at desktop and phone width, with no Content-Security-Policy violation from the editor."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from policies.models import Proposal
from tests import cast

from .test_proposal_journey import log_in, watch_for_csp_violations

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


def write_formatted_body(page: Page):
    """Type into the editor as a person would: the toolbar's shortcuts and its input rules, never HTML."""
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("## Why it matters")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Three regional hubs")
    page.keyboard.press("Control+b")
    page.keyboard.type(" share one network.")
    page.keyboard.press("Enter")
    page.keyboard.type("- Seoul hub")
    page.keyboard.press("Enter")
    page.keyboard.type("Daejeon hub")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_liaison_writes_a_formatted_body_and_a_budget_in_eok_and_sees_them_rendered(live_server, browser, screenshots):
    committee = cast.make_committee()
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    cast.ensure_policy_areas()
    base = live_server.url
    violations: list[str] = []
    context = browser.new_context(locale="en-US", viewport=SIZES["desktop"])
    page = context.new_page()
    watch_for_csp_violations(page, violations)

    log_in(page, base, liaison.username)
    page.goto(base + "/proposals/new/")
    page.get_by_label("Title").fill("Bio-foundry network")
    page.get_by_label("Summary").fill("Connect university bio-foundries into one national network.")
    write_formatted_body(page)
    page.get_by_label("Requested decision").fill("Approve the network plan.")
    page.get_by_label(re.compile(r"^Policy area")).select_option(label="Health care")
    page.get_by_label("Estimated budget (KRW)").fill("120억")
    screenshots(page, "liaison-form-en-desktop")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_text("₩12,000,000,000")).to_be_visible()
    body = page.locator(".rich-text")
    expect(body.locator("h2")).to_have_text("Why it matters")
    expect(body.locator("strong")).to_have_text("Three regional hubs")
    expect(body.locator("ul li")).to_have_text(["Seoul hub", "Daejeon hub"])
    proposal = Proposal.objects.get(committee=committee)
    assert proposal.estimated_budget_krw == 12_000_000_000
    assert "<h2>Why it matters</h2>" in proposal.body and "<strong>Three regional hubs</strong>" in proposal.body
    screenshots(page, "liaison-proposal-en-desktop")
    context.close()

    for language in ("ko", "en"):
        for size, viewport in SIZES.items():
            shots = browser.new_context(locale="en-US", viewport=viewport)
            shot = shots.new_page()
            watch_for_csp_violations(shot, violations)
            log_in(shot, base, liaison.username)
            shots.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
            shot.goto(f"{base}/proposals/{proposal.pk}/")
            expect(shot.get_by_text("₩12,000,000,000")).to_be_visible()
            screenshots(shot, f"liaison-proposal-{language}-{size}")
            shot.goto(f"{base}/proposals/{proposal.pk}/edit/")
            expect(shot.locator(".ProseMirror[contenteditable=true] h2")).to_have_text("Why it matters")
            expect(shot.locator("#id_estimated_budget_krw")).to_have_value("₩12,000,000,000")
            screenshots(shot, f"liaison-form-{language}-{size}")
            shots.close()
    assert violations == [], "\n".join(violations)
