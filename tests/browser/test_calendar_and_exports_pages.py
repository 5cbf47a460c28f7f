"""The pages this stop changed, as people see them: the calendar links in settings and on the meetings page,
and the export buttons of an admin list, in Korean at phone width, with nothing wider than the screen.

Screenshots: calendar-settings-ko-phone.png, calendar-meetings-ko-phone.png, exports-admin-list-ko-phone.png.
"""

import pytest
from playwright.sync_api import Page, expect

from tests import cast
from tests.browser.test_korean_reading import PHONE, korean, signed_in

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_calendar_links_and_export_buttons_fit_a_korean_phone(live_server, page: Page, screenshots, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False  # the second factor is the journey test's subject, not this one's
    committee = cast.make_committee()
    secretariat = korean(cast.make_secretariat(committee), "박", "지훈")
    cast.make_meeting(committee, secretariat, days_ahead=10, title="제3차 본회의")
    page.set_viewport_size(PHONE)
    signed_in(page, live_server.url, secretariat)

    page.goto(f"{live_server.url}/settings/")
    expect(page.locator("#calendar-heading")).to_have_text("캘린더")
    assert "/calendar/" in page.locator("#calendar-feed-url").input_value()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshots(page, "calendar-settings-ko-phone")

    page.goto(f"{live_server.url}/meetings/")
    expect(page.locator("#committee-calendars-heading")).to_have_text("위원회 캘린더")
    expect(page.get_by_role("button", name="링크 재발급")).to_be_visible()  # the secretariat renews its link
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshots(page, "calendar-meetings-ko-phone")

    page.goto(f"{live_server.url}/admin/policies/proposal/")
    expect(page.get_by_role("link", name="CSV로 내보내기")).to_be_visible()
    expect(page.get_by_role("link", name="XLSX로 내보내기")).to_be_visible()
    screenshots(page, "exports-admin-list-ko-phone")
