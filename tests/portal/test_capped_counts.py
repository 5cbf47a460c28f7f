"""The portal's long lists count exactly up to a cap and say "more than" beyond it, so a page view never tests
every proposal of a national database against the visibility rule just to print a number; every page stays
reachable, however deep."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policies.models import Proposal
from policies.portal import views, work
from policies.portal.paging import CappedCountPaginator
from tests.portal.test_work_lists import more_actions

pytestmark = pytest.mark.django_db
PROPOSALS = reverse("portal:proposal_list")
ACTIONS = reverse("portal:action_list")


@pytest.fixture
def five_proposals(proposal_in_state, monkeypatch):
    """Five proposals the lead liaison may see, one a page, counted exactly up to two."""
    for _ in range(5):
        proposal_in_state("submitted")
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 2)


def test_the_cap_is_said_with_its_thousands_grouped():
    assert CappedCountPaginator.COUNT_CAP == 1000
    assert CappedCountPaginator(Proposal.objects.none(), 25).cap_shown == "1,000"


def shown(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_past_the_cap_the_list_says_more_than_and_still_offers_the_next_page(five_proposals, login, roles):
    text = shown(login(roles["lead_liaison"]).get(PROPOSALS))
    assert "More than 2 proposals" in text and "5 proposals" not in text
    assert "Page 1" in text and "Page 1 of" not in text
    assert 'rel="next"' in text and "page=2" in text


def test_a_page_past_the_cap_is_reached_and_counted_as_far_as_the_page_after_it(five_proposals, login, roles):
    client = login(roles["lead_liaison"])
    page = client.get(PROPOSALS, {"page": 3}).context["page"]
    assert (page.number, page.paginator.capped, page.has_next()) == (3, True, True)
    # Near the end the count reaches the real end: exact again, and the last page has no "next".
    text = shown(client.get(PROPOSALS, {"page": 4}))
    assert "5 proposals" in text and "Page 4 of 5" in text
    text = shown(client.get(PROPOSALS, {"page": 5}))
    assert "Page 5 of 5" in text and 'rel="next"' not in text


def test_a_page_that_is_not_a_number_or_past_the_end_gives_the_first_or_the_last(five_proposals, login, roles):
    client = login(roles["lead_liaison"])
    assert client.get(PROPOSALS, {"page": "x"}).context["page"].number == 1
    assert client.get(PROPOSALS, {"page": "-3"}).context["page"].number == 1
    assert client.get(PROPOSALS, {"page": "999"}).context["page"].number == 5
    assert client.get(PROPOSALS, {"page": str(10**20)}).context["page"].number == 5  # no LIMIT past a bigint


def test_below_the_cap_the_count_is_exact_and_counts_only_what_the_reader_may_see(
    proposal_in_state, login, roles, monkeypatch
):
    proposal_in_state("submitted")
    proposal_in_state("draft")  # the lead agency's own draft: its liaison sees it, a member does not
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    text = shown(login(roles["lead_liaison"]).get(PROPOSALS))
    assert "2 proposals" in text and "Page 1 of 2" in text and "More than" not in text
    text = shown(login(roles["member"]).get(PROPOSALS))
    assert "1 proposal" in text and "Page 1 of" not in text  # one page: no pagination at all


def test_the_count_stops_at_the_cap_instead_of_reading_every_visible_row(five_proposals, login, roles):
    client = login(roles["lead_liaison"])
    with CaptureQueriesContext(connection) as captured:
        shown(client.get(PROPOSALS))
    counts = [q["sql"] for q in captured if q["sql"].startswith("SELECT COUNT(*)") and "policies_proposal" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 3" in counts[0]


def test_the_work_lists_say_more_than_in_korean_too(world, login, roles, secretariat, msit, monkeypatch):
    more_actions(world, secretariat, msit, 3)
    monkeypatch.setattr(work, "PAGE_SIZE", 1)
    monkeypatch.setattr(CappedCountPaginator, "COUNT_CAP", 2)
    client = login(roles["lead_liaison"])
    assert "More than 2 follow-up actions" in shown(client.get(ACTIONS))
    client.post(reverse("set_language"), {"language": "ko", "next": ACTIONS})
    text = shown(client.get(ACTIONS))
    assert "후속 조치 2건 초과" in text and "More than" not in text
