"""A member's digest email as a mail reader shows it: its HTML part in Chromium, in Korean and in English, on a
phone and on a desktop, with nothing wider than the screen and Korean words wrapped whole (the first run showed
"업무지원시 / 스템" split across two lines on a phone: mail has no stylesheet, so the letter's own style says it).

Screenshots: digest-ko-phone.png, digest-ko-desktop.png, digest-en-phone.png, digest-en-desktop.png.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from committee.dates import seoul_today
from committee.outbox.delivery import build_message
from committee.outbox.models import OutboundEmail
from policies import services, tasks
from policies.models import Decision, DigestPreference, FollowUpAction, ProposalState
from tests import cast
from tests.browser.test_korean_reading import PHONE, korean

DESKTOP = {"width": 1280, "height": 900}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
WORD_BREAK = "selector => getComputedStyle(document.querySelector(selector)).wordBreak"

HEADINGS = {
    "ko": [
        "바이오위원회 업무지원시스템 요약 메일",
        "새 제안",
        "요청된 협의",
        "의결",
        "이번 기간에 기한이 지난 후속 조치",
    ],
    "en": [
        "Your digest from the Bio Committee Desk",
        "New proposals",
        "Consultations requested",
        "Decisions",
        "Follow-up actions that became overdue",
    ],
}
TITLES = ("합성생물학 육성 로드맵", "국가 바이오 데이터 공유 체계 구축", "로드맵 이행 점검 보고서 제출")


def html_of(digest: OutboundEmail) -> str:
    message = build_message(digest).message()
    (html,) = [part for part in message.walk() if part.get_content_type() == "text/html"]
    return html.get_payload(decode=True).decode(html.get_content_charset())


@pytest.mark.browser
@pytest.mark.django_db
def test_a_members_digest_reads_well_in_korean_and_english_on_a_phone_and_a_desktop(page: Page, screenshots):
    committee = cast.make_committee()
    secretariat = cast.make_secretariat(committee)
    msit = cast.make_liaison(cast.agency("MSIT"), "liaison-msit")
    member = korean(cast.make_member(committee, "member-kim"), "김", "민준")
    people = {"committee": committee, "liaison": msit, "secretariat": secretariat}
    decided = cast.proposal_in_state(ProposalState.DECIDED, title="합성생물학 육성 로드맵", **people)
    services.assign_follow_up_action(
        Decision.objects.get(agenda_item__proposal=decided),
        by=secretariat,
        agency=cast.agency("MSIT"),
        title="로드맵 이행 점검 보고서 제출",
        due_date=seoul_today() + datetime.timedelta(days=30),
    )
    FollowUpAction.objects.update(due_date=seoul_today() - datetime.timedelta(days=1))  # overdue since today
    submitted = cast.proposal_in_state(ProposalState.SUBMITTED, title="국가 바이오 데이터 공유 체계 구축", **people)
    services.start_review(submitted, by=secretariat)
    services.request_consultations(submitted, by=secretariat, agencies=[cast.agency("MOHW")], working_days=5)
    preference = DigestPreference.objects.create(user=member, frequency=DigestPreference.Frequency.DAILY)

    for language in ("ko", "en"):
        cast.speaks(member, language)
        OutboundEmail.objects.filter(kind="digest").delete()
        preference.period_start = timezone.now() - datetime.timedelta(days=2)
        preference.save(update_fields=["period_start"])
        assert tasks.send_digests() == 1
        html = html_of(OutboundEmail.objects.get(kind="digest", to_address=member.email))
        for size, width in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(width)
            page.set_content(html)
            for heading in HEADINGS[language]:
                expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            for title in TITLES:
                expect(page.get_by_text(title).first).to_be_visible()
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{language} {size}: wider than the screen"
            assert page.evaluate(WORD_BREAK, "h1") == page.evaluate(WORD_BREAK, "li") == "keep-all"
            screenshots(page, f"digest-{language}-{size}")
