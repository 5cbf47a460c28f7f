"""A member answers the invitation from the email's link in a real browser, then finds the reply on the portal.

The link is read from the outbox row's body, as the member's mail client would show it; opening it records
nothing until the member confirms. The member's home is photographed in English and Korean, at desktop
width and at a phone's 375 px, without horizontal scrolling.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from committee.outbox.models import OutboundEmail
from policies import services
from policies.models import AttendanceReply, ProposalState
from tests import cast
from tests.browser.test_proposal_journey import log_in, watch_for_csp_violations

LINK = re.compile(r"https?://\S+/meetings/reply/\?token=[^\s\"<>&]+")


def published_meeting_with_a_proposal(committee, secretariat):
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    mohw_liaison = cast.make_liaison(cast.agency("MOHW"), "liaison-mohw")
    proposal = cast.proposal_in_state(
        ProposalState.SUBMITTED,
        committee=committee,
        liaison=liaison,
        secretariat=secretariat,
        title="Biobank data sharing",
        summary="Open the national biobank to accredited researchers, with consent checks.",
    )
    consultations = services.request_consultations(
        proposal, by=secretariat, agencies=[cast.agency("MOHW"), cast.agency("MOTIE")], working_days=5
    )
    mohw = next(c for c in consultations if c.agency.acronym == "MOHW")
    services.give_opinion(mohw, by=mohw_liaison, position="concur", opinion="Agreed.")
    services.start_review(proposal, by=secretariat)
    services.accept_proposal(proposal, by=secretariat, open_consultations="keep")
    meeting = cast.make_meeting(
        committee,
        secretariat,
        days_ahead=10,
        title="3rd plenary meeting",
        location="Government Complex Seoul, room 301",
        online_link="https://meet.example/nbc-3",
    )
    services.add_agenda_item(meeting, by=secretariat, proposal=proposal)
    return services.publish_agenda(meeting, by=secretariat)


def reply_link_path(member, label: str) -> str:
    email = OutboundEmail.objects.get(kind="agenda_published", to_address=member.email)
    line = next(line for line in email.body_text.splitlines() if line.startswith(f"- {label}:"))
    url = urlsplit(LINK.search(line).group(0))
    return f"{url.path}?{url.query}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_confirms_the_emailed_reply_and_sees_it_on_the_portal(live_server, page: Page, screenshots):
    violations: list[str] = []
    watch_for_csp_violations(page, violations)
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    member = cast.make_member(committee, "member-1")
    meeting = published_meeting_with_a_proposal(committee, secretariat)
    base = live_server.url

    # The member opens the "Attending" link of the invitation email: a confirmation page, nothing recorded yet.
    page.goto(base + reply_link_path(member, "Attending"))
    expect(page.get_by_role("heading", name="Confirm your reply")).to_be_visible()
    screenshots(page, "20-reply-link-confirm")
    assert not AttendanceReply.objects.filter(meeting=meeting).exists()
    page.get_by_role("button", name="Confirm my reply").click()
    expect(page.get_by_role("heading", name="Thank you, your reply is recorded")).to_be_visible()
    screenshots(page, "21-reply-recorded")
    assert AttendanceReply.objects.get(meeting=meeting, member=member).answer == AttendanceReply.Answer.ATTENDING

    # On the portal the home page leads with the meeting, its agenda and positions, and the reply.
    log_in(page, base, member.username)
    card = page.locator(".next-meeting")
    expect(card).to_contain_text("3rd plenary meeting")
    expect(card).to_contain_text("Your reply: Attending")
    expect(card).to_contain_text("Concur: MOHW")
    expect(card).to_contain_text("No opinion yet: MOTIE")
    screenshots(page, "22-member-home-en-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "23-member-home-en-phone")

    # The member changes the reply to a delegate on the home page.
    card.locator("summary").click()
    card.get_by_label("Sending a delegate").check()
    card.get_by_label("Delegate's name").fill("Dr. Park")
    card.get_by_role("button", name="Change my reply").click()
    expect(page.locator(".messages")).to_contain_text("sending a delegate (Dr. Park)")
    assert AttendanceReply.objects.get(meeting=meeting, member=member).delegate_name == "Dr. Park"

    # The same home in Korean, at a phone's width and at desktop width.
    page.get_by_label("Language").select_option("ko")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator(".next-meeting")).to_contain_text("다음 회의")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshots(page, "24-member-home-ko-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    screenshots(page, "25-member-home-ko-desktop")
    assert violations == []
