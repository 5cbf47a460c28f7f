"""The meeting desk in a real browser: the secretariat signs in and lands on its dashboard, builds an agenda from
the suggestions beside it, orders it by drag and drop and by keyboard, publishes it after seeing who will be
emailed, fills attendance with "All present" (the quorum updating as it goes), records a decision, and sees a
decision for a meeting in the future refused with what it typed still there. Screenshots in English and Korean,
at desktop and phone width.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from committee.directory.models import CommitteeMembership
from policies import services
from policies.models import AgendaItem, Attendance, Decision, Meeting, ProposalState
from tests import cast
from tests.browser.test_proposal_journey import watch_for_csp_violations


def sign_in(page: Page, base: str, username: str):
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(cast.PASSWORD)
    page.locator("form[action='/login/'] [type=submit]").click()


def named_member(committee, username, first, last, role=CommitteeMembership.Role.EXPERT):
    user = cast.make_member(committee, username, role=role)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def agenda_ids(meeting) -> list[int]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("pk", flat=True))


def fits_a_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.fixture
def scene(db):
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    named_member(committee, "kim", "민준", "김", CommitteeMembership.Role.CHAIR)
    named_member(committee, "lee", "서연", "이", CommitteeMembership.Role.VICE_CHAIR)
    named_member(committee, "doe", "Jane", "Doe")

    def accepted(title):
        return cast.proposal_in_state(
            ProposalState.ACCEPTED, committee=committee, liaison=liaison, secretariat=secretariat, title=title
        )

    proposals = [accepted(title) for title in ("Bio-foundry network", "Gene therapy pilot", "Seed bank upgrade")]
    now = timezone.now()
    today = cast.make_meeting(
        committee, secretariat, title="5th plenary meeting", starts_at=now - datetime.timedelta(hours=1)
    )
    future = cast.make_meeting(committee, secretariat, title="6th plenary meeting", days_ahead=21)
    future_item = services.add_agenda_item(future, by=secretariat, proposal=accepted("Marine bio-resources"))
    services.publish_agenda(future, by=secretariat)
    return {
        "secretariat": secretariat,
        "proposals": proposals,
        "today": today,
        "future": future,
        "future_item": future_item,
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_secretariat_runs_a_meeting_from_the_desk(live_server, page: Page, browser, screenshots, scene):
    violations: list[str] = []
    watch_for_csp_violations(page, violations)
    base, meeting = live_server.url, scene["today"]

    # Signing in lands on the committee dashboard, not the portal or a list of models.
    sign_in(page, base, scene["secretariat"].username)
    expect(page).to_have_url(re.compile(r"/admin/policies/proposal/dashboard/$"))
    page.goto(f"{base}/admin/policies/meeting/")
    page.locator(f"a[href='/admin/policies/meeting/{meeting.pk}/desk/']").click()
    expect(page.get_by_role("heading", name="1. Agenda")).to_be_visible()

    # Agenda: the waiting proposals suggested beside it are ticked and added, then reordered by dragging and by
    # the keyboard.
    for proposal in scene["proposals"]:
        page.get_by_label(re.compile(re.escape(proposal.title))).check()
    page.get_by_role("button", name="Add ticked to agenda").click()
    expect(page.locator(".messagelist .success")).to_contain_text("3 items added to the agenda.")
    first, second, third = agenda_ids(meeting)
    page.locator(f"#item-{third}").drag_to(page.locator(f"#item-{first}"))
    expect(page.locator(".messagelist .success")).to_contain_text("The agenda is reordered.")
    assert agenda_ids(meeting) == [third, first, second]
    page.get_by_role("button", name=re.compile(r"^Move down: Seed bank upgrade")).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("The agenda is reordered.")
    assert agenda_ids(meeting) == [first, third, second]
    positions = list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", flat=True))
    assert positions == [1, 2, 3]

    # Publishing asks first and names who will be emailed.
    page.locator("#publish-agenda").click()
    expect(page.locator("#publish-recipient-count")).to_contain_text("people")
    expect(page.locator(".publish-recipients")).to_contain_text("김민준")
    expect(page.locator(".publish-recipients")).to_contain_text("Jane Doe")
    screenshots(page, "desk-01-publish-confirmation-en")
    page.get_by_role("button", name="Publish and send the invitation").click()
    expect(page.locator(".messagelist .success")).to_contain_text("The agenda is published.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED

    # Attendance: "All present" ticks every row and the quorum shows as it is filled.
    live = page.locator("#quorum-live")
    expect(live).to_contain_text("0 of 3 attend; 2 needed: no quorum yet.")
    page.locator("#all-present").click()
    expect(live).to_contain_text("3 of 3 attend; 2 needed: quorum reached.")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#quorum-server")).to_contain_text("3 of 3 members attend; 2 needed: quorum reached.")
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 3

    # Decisions: the first item is adopted from its own form on the desk.
    form = page.locator(f"#decision-{first} form")
    form.get_by_label("Outcome").select_option("adopted")
    form.get_by_label("Resolution").fill("The network plan is adopted with its budget.")
    form.get_by_label("Votes for").fill("3")
    form.get_by_label("Votes against").fill("0")  # votes are all three counts or none
    form.get_by_label("Abstentions").fill("0")
    form.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messagelist .success")).to_contain_text("recorded")
    assert Decision.objects.get(agenda_item_id=first).outcome == "adopted"
    screenshots(page, "desk-02-meeting-desk-en-desktop")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert fits_a_phone(page)
    screenshots(page, "desk-03-meeting-desk-en-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # A meeting in the future: the decision is refused and what was typed stays on the form.
    future_item = scene["future_item"]
    page.goto(f"{base}/admin/policies/meeting/{scene['future'].pk}/desk/")
    form = page.locator(f"#decision-{future_item.pk} form")
    form.get_by_label("Outcome").select_option("adopted")
    form.get_by_label("Resolution").fill("Adopted before the meeting took place?")
    form.get_by_role("button", name="Record decision").click()
    form = page.locator(f"#decision-{future_item.pk} form")
    expect(form.locator(".errornote")).to_be_visible()
    expect(form.get_by_label("Resolution")).to_have_value("Adopted before the meeting took place?")
    assert not Decision.objects.filter(agenda_item=future_item).exists()
    screenshots(page, "desk-04-future-decision-refused-en")

    # The same desk in Korean, at desktop and phone width.
    cast.speaks(scene["secretariat"], "ko")  # a signed-in person's pages follow their profile's language
    korean = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    ko_page = korean.new_page()
    watch_for_csp_violations(ko_page, violations)
    sign_in(ko_page, base, scene["secretariat"].username)
    ko_page.goto(f"{base}/admin/policies/meeting/{meeting.pk}/desk/")
    expect(ko_page.locator("html")).to_have_attribute("lang", "ko")
    expect(ko_page.locator("#attendance")).to_contain_text("김민준")
    expect(ko_page.locator("#agenda-heading")).to_contain_text("회의 안건")
    screenshots(ko_page, "desk-05-meeting-desk-ko-desktop")
    ko_page.set_viewport_size({"width": 375, "height": 800})
    ko_page.reload()
    assert fits_a_phone(ko_page)
    screenshots(ko_page, "desk-06-meeting-desk-ko-phone")
    korean.close()

    assert violations == []
