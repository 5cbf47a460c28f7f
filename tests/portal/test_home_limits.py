"""The liaison's home page stays short however many proposals, opinions and actions the agency has."""

import pytest
from django.urls import reverse

from policies.portal import views

pytestmark = pytest.mark.django_db


def test_each_state_shows_its_most_recently_changed_few_with_the_full_count_and_a_link(
    login, lead_liaison, proposal_in_state, monkeypatch
):
    monkeypatch.setattr(views, "HOME_LIST_LIMIT", 2)
    made = [proposal_in_state("submitted") for _ in range(3)]
    page = login(lead_liaison).get(reverse("portal:home"))
    groups = {state: (rows, count) for _label, rows, count, state in page.context["proposal_groups"]}
    rows, count = groups["submitted"]
    assert count == 3
    assert [p.pk for p in rows] == [made[2].pk, made[1].pk]  # the most recently changed first
    html = page.content.decode()
    assert "The 2 most recently changed are shown" in html
    assert f"{reverse('portal:proposal_list')}?state=submitted" in html


def test_a_state_with_few_proposals_has_no_more_link(login, lead_liaison, proposal_in_state):
    proposal_in_state("draft")
    html = login(lead_liaison).get(reverse("portal:home")).content.decode()
    assert "most recently changed are shown" not in html
