"""Carry-over on the desk in a real browser: the secretariat ticks two of the suggestions beside the agenda (a
proposal deferred twice and an overdue follow-up action) and adds them in one go; each suggestion says why it is
there. English and Korean, at 1280 px and 375 px, nothing wider than the screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from policies import services
from policies.models import AgendaItem, FollowUpAction, ProposalState
from tests import cast
from tests.browser.test_meeting_desk import fits_a_phone, sign_in
from tests.browser.test_proposal_journey import watch_for_csp_violations


@pytest.fixture
def scene(db):
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    liaison = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")

    def proposal(state, title):
        return cast.proposal_in_state(state, committee=committee, liaison=liaison, secretariat=secretariat, title=title)

    deferred = proposal(ProposalState.ACCEPTED, "Bio-foundry network")
    for number, hours in (("3rd", 6), ("5th", 3)):
        started = timezone.now() - datetime.timedelta(hours=hours)
        earlier = cast.make_meeting(committee, secretariat, title=f"{number} plenary meeting", starts_at=started)
        item = services.add_agenda_item(earlier, by=secretariat, proposal=deferred)
        services.publish_agenda(earlier, by=secretariat)
        services.record_decision(item, by=secretariat, outcome="deferred", resolution="Deferred for the budget.")
    waiting = proposal(ProposalState.ACCEPTED, "Seed bank upgrade")
    decision = proposal(ProposalState.DECIDED, "Gene therapy pilot").agenda_items.get().decision
    action = services.assign_follow_up_action(
        decision,
        by=secretariat,
        agency=cast.agency("MOHW"),
        title="Draft the gene therapy regulation",
        due_date=timezone.localdate(),
    )
    FollowUpAction.objects.filter(pk=action.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=10))
    meeting = cast.make_meeting(committee, secretariat, title="7th plenary meeting", days_ahead=21)
    return {
        "secretariat": secretariat,
        "meeting": meeting,
        "deferred": deferred,
        "waiting": waiting,
        "action": action,
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_secretariat_ticks_two_suggestions_onto_the_agenda(live_server, page: Page, browser, screenshots, scene):
    violations: list[str] = []
    watch_for_csp_violations(page, violations)
    base, meeting = live_server.url, scene["meeting"]
    sign_in(page, base, scene["secretariat"].username)
    page.goto(f"{base}/admin/policies/meeting/{meeting.pk}/desk/")

    panel = page.locator("#suggestions")
    expect(panel).to_contain_text("Deferred 2 times: 3rd plenary meeting")
    expect(panel).to_contain_text("not yet scheduled")
    expect(panel).to_contain_text("Overdue since")
    rows = panel.locator(".suggestion .suggestion-title")
    expect(rows).to_have_text(
        [re.compile("Bio-foundry network"), re.compile("Seed bank upgrade"), "Draft the gene therapy regulation"]
    )
    screenshots(page, "carry-over-01-suggestions-en-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    assert fits_a_phone(page)
    screenshots(page, "carry-over-02-suggestions-en-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Nothing ticked: a form error, nothing added.
    page.get_by_role("button", name="Add ticked to agenda").click()
    expect(page.locator("#suggestions .errornote")).to_be_visible()
    expect(page.locator("#suggestions")).to_contain_text("Tick at least one suggestion.")

    page.get_by_label(re.compile("Bio-foundry network")).check()
    page.get_by_label(re.compile("Draft the gene therapy regulation")).check()
    page.get_by_role("button", name="Add ticked to agenda").click()
    expect(page.locator(".messagelist .success")).to_contain_text("2 items added to the agenda.")
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    assert [(item.kind, item.proposal_id, item.follow_up_action_id) for item in items] == [
        ("proposal", scene["deferred"].pk, None),
        ("report", None, scene["action"].pk),
    ]
    expect(page.locator("#agenda-list")).to_contain_text("Bio-foundry network")
    expect(page.locator("#suggestions .suggestion")).to_have_count(1)  # only the one not ticked is left
    screenshots(page, "carry-over-03-added-en-desktop")

    # Korean, at desktop and phone width: the reasons in Korean, nothing wider than the phone.
    cast.speaks(scene["secretariat"], "ko")
    korean = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    ko_page = korean.new_page()
    watch_for_csp_violations(ko_page, violations)
    sign_in(ko_page, base, scene["secretariat"].username)
    ko_page.goto(f"{base}/admin/policies/meeting/{meeting.pk}/desk/")
    expect(ko_page.locator("html")).to_have_attribute("lang", "ko")
    expect(ko_page.locator("#suggestions-heading")).to_have_text("이 회의에 상정 추천")
    expect(ko_page.locator("#suggestions")).to_contain_text("아직 회의에 상정되지 않음")
    expect(ko_page.locator("#agenda-list")).to_contain_text("후속 조치 보고: Draft the gene therapy regulation")
    screenshots(ko_page, "carry-over-04-suggestions-ko-desktop")
    ko_page.set_viewport_size({"width": 375, "height": 800})
    ko_page.reload()
    assert fits_a_phone(ko_page)
    screenshots(ko_page, "carry-over-05-suggestions-ko-phone")
    korean.close()

    assert violations == []
