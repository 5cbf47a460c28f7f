"""A proposal's journey in a real browser: a liaison drafts and submits it in the portal, the secretariat
reviews, accepts and schedules it in the admin, and the liaison sees the new state.

Both sign in with a TOTP code (the secretariat enrols on the way, as production requires), and no page
visited reports a Content-Security-Policy violation.
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from policies.models import Proposal, ProposalState
from tests import cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Reported by the page itself, so nothing depends on how Chromium words its console messages.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""


def watch_for_csp_violations(page: Page, violations: list[str]):
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or message.text.startswith("CSP violation")
            else None
        ),
    )


def code_for_key(key: bytes) -> str:
    return f"{totp(key):06d}"


def log_in(page: Page, base_url: str, username: str, path: str = "/login/"):
    page.goto(base_url + path)
    page.get_by_label(re.compile("Username", re.I)).fill(username)
    page.get_by_label(re.compile("Password", re.I)).fill(cast.PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()


def enter_code(page: Page, code: str, button: str):
    page.get_by_role("textbox", name=re.compile(r"^Code")).fill(code)
    page.get_by_role("button", name=button).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_liaison_submits_and_sees_the_proposal_scheduled_after_admin_review(
    live_server, page: Page, browser, screenshots, tmp_path, settings
):
    settings.OTP_REQUIRED_FOR_STAFF = True  # as in production: the secretariat must use a second factor
    violations: list[str] = []
    watch_for_csp_violations(page, violations)
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    liaison_device = TOTPDevice.objects.create(user=liaison, name="phone", confirmed=True)
    cast.make_member(committee, "member-1")
    meeting = cast.make_meeting(committee, secretariat, title="3rd plenary meeting")
    plan = tmp_path / "pilot-plan.pdf"
    plan.write_bytes(PDF)
    base = live_server.url

    # The liaison logs in with the password, then the code from the authenticator app.
    log_in(page, base, liaison.username)
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    screenshots(page, "00-two-factor-code")
    enter_code(page, code_for_key(liaison_device.bin_key), "Verify")
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    screenshots(page, "01-liaison-home-empty")
    page.get_by_role("link", name="Draft a new proposal").click()
    page.get_by_label("Title").fill("Bio-foundry network")
    page.get_by_label("Summary").fill("Connect university bio-foundries into one national network.")
    # The body has formatting controls (portal/rich-text.js); what is typed there is text, even if it looks like HTML.
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Three regional hubs. <script>alert('x')</script>")
    page.get_by_label("Requested decision").fill("Approve the network plan.")
    page.get_by_label(re.compile(r"^Policy area")).select_option(label="Health care")
    page.get_by_label("Estimated budget (KRW)").fill("2500000000")
    page.get_by_label("Ministry of Health and Welfare").check()
    page.get_by_label("Attach files").set_input_files(str(plan))
    screenshots(page, "02-proposal-form")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.locator("#proposal-state")).to_have_text("Draft")
    expect(page.get_by_role("link", name="pilot-plan.pdf")).to_be_visible()
    assert page.locator(".rich-text script").count() == 0
    proposal = Proposal.objects.get(title="Bio-foundry network")

    # It is submitted with the portal's workflow button.
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("#proposal-state")).to_have_text("Submitted")
    proposal.refresh_from_db()
    expect(page.get_by_role("heading", level=1)).to_contain_text(proposal.reference)
    screenshots(page, "03-proposal-submitted")

    # The secretariat, in another browser session, starts the review and accepts it in the admin.
    admin_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    admin = admin_context.new_page()
    watch_for_csp_violations(admin, violations)
    log_in(admin, base, secretariat.username, path="/admin/login/")
    # Without a device yet, the secretariat is sent to enrol: it types the shown key into its "app".
    expect(admin.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(admin.locator(".qr-code svg")).to_be_visible()
    screenshots(admin, "03b-two-factor-enrolment")
    secret = admin.locator("#totp-secret").inner_text().replace(" ", "")
    enter_code(admin, code_for_key(b32decode(secret)), "Confirm")
    expect(admin.locator("#recovery-codes li")).to_have_count(10)
    admin.get_by_role("link", name=re.compile("continue")).click()
    expect(admin.locator("#site-name")).to_be_visible()
    admin.goto(f"{base}/admin/policies/proposal/{proposal.pk}/change/")
    admin.get_by_role("button", name="Start review").click()
    expect(admin.get_by_text("Start review: done.")).to_be_visible()
    admin.get_by_role("button", name="Accept for an agenda").click()
    expect(admin.get_by_text("Accept for an agenda: done.")).to_be_visible()
    screenshots(admin, "04-admin-proposal-accepted")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED

    # ... and puts it on the meeting's agenda through the agenda inline.
    admin.goto(f"{base}/admin/policies/meeting/{meeting.pk}/change/")
    admin.locator("#id_items-0-kind").select_option("proposal")
    admin.locator("#id_items-0-proposal").select_option(str(proposal.pk))
    admin.locator("input[name=_continue]").click()
    expect(admin.locator(".messagelist .success")).to_be_visible()
    screenshots(admin, "05-admin-meeting-agenda")

    # The API docs (Swagger UI) work under the same policy, on the admin's session.
    admin.goto(f"{base}/api/docs/")
    # Generating the schema takes a few seconds on a busy machine.
    expect(admin.locator(".swagger-ui .info .title")).to_contain_text("Bio Committee Desk API", timeout=30_000)
    expect(admin.locator(".opblock-tag-section").first).to_be_visible()
    screenshots(admin, "05b-api-docs")
    admin_context.close()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SCHEDULED

    # The liaison sees the new state, the timeline and the meeting on the proposal page.
    page.reload()
    expect(page.locator("#proposal-state")).to_have_text("Scheduled")
    expect(page.get_by_role("link", name="3rd plenary meeting")).to_be_visible()
    timeline = page.locator(".timeline")
    for step in ("Drafted", "File attached", "Submit", "Start review", "Accept for an agenda", "Place on an agenda"):
        expect(timeline).to_contain_text(step)
    screenshots(page, "06-proposal-scheduled")

    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="3rd plenary meeting").click()
    expect(page.get_by_role("heading", name="Agenda")).to_be_visible()
    expect(page.locator(".agenda")).to_contain_text(proposal.reference)
    screenshots(page, "07-meeting")

    page.get_by_role("link", name="Proposals", exact=True).click()
    page.get_by_label("Search").fill("foundry")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).to_contain_text("Bio-foundry network")
    screenshots(page, "07b-proposal-list")

    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", name="Scheduled")).to_be_visible()
    screenshots(page, "08-liaison-home")

    # Readable on a phone: the same page at a phone's width has no horizontal scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/proposals/{proposal.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "09-proposal-phone")

    # The language switch serves the same page in Korean.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Language").select_option("ko")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#proposal-state")).not_to_have_text("Scheduled")
    screenshots(page, "10-proposal-korean")

    # In Korean on a phone, the one proposal search finds it by two words: the lead agency's Korean name
    # and a word of the title.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/proposals/")
    page.locator("#id_q").fill("과학기술정보통신부 foundry")
    page.locator("#id_q").press("Enter")
    expect(page.locator("table")).to_contain_text("Bio-foundry network")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "10b-search-korean-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/settings/")
    expect(page.locator("#two-factor")).to_be_visible()
    screenshots(page, "11-settings-two-factor")
    assert violations == []
