"""Every portal page for every role: who gets the page, who is refused (403), who cannot know it exists (404)."""

import pytest
from django.urls import reverse

ROLES = ["secretariat", "lead_liaison", "other_liaison", "member", "outsider", "anonymous"]

# page name -> (url name, object key in `world` or None, expected status per role in ROLES order)
PAGES = {
    "home": ("portal:home", None, [200, 200, 200, 200, 200, 302]),
    "proposal list": ("portal:proposal_list", None, [200, 200, 200, 200, 200, 302]),
    "new proposal": ("portal:proposal_create", None, [403, 200, 200, 403, 403, 302]),
    "submitted proposal": ("portal:proposal", "submitted", [200, 200, 200, 200, 404, 302]),
    "draft of another agency": ("portal:proposal", "draft", [200, 200, 404, 404, 404, 302]),
    "edit draft": ("portal:proposal_edit", "draft", [403, 200, 404, 404, 404, 302]),
    "edit submitted proposal": ("portal:proposal_edit", "submitted", [403, 409, 403, 403, 404, 302]),
    "attachment of submitted proposal": ("portal:attachment", "attachment", [200, 200, 200, 200, 404, 302]),
    "attachment of draft": ("portal:attachment", "draft_attachment", [200, 200, 404, 404, 404, 302]),
    "opinion form of MOHW": ("portal:opinion", "consultation", [403, 403, 200, 403, 404, 302]),
    "progress form of MSIT": ("portal:action_progress", "action", [403, 200, 403, 403, 404, 302]),
    "meeting list": ("portal:meeting_list", None, [200, 200, 200, 200, 200, 302]),
    "meeting": ("portal:meeting", "meeting", [200, 200, 200, 200, 404, 302]),
    "follow-up action list": ("portal:action_list", None, [200, 200, 200, 200, 200, 302]),
    "consultation list": ("portal:consultation_list", None, [200, 200, 200, 200, 200, 302]),
}

CASES = [
    pytest.param(page, role, expected, id=f"{page}-{role}-{expected}")
    for page, (_, _, statuses) in PAGES.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role", "expected"), CASES)
def test_portal_page_answers_each_role_with_the_expected_status(world, roles, login, page, role, expected):
    url_name, key, _ = PAGES[page]
    url = reverse(url_name, args=[world[key].pk] if key else [])
    response = login(roles[role]).get(url)
    assert response.status_code == expected, response.content[:500]
    if expected == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")
    if expected in (403, 409):
        assert b'class="error"' in response.content  # a page that says why, not a bare status


@pytest.mark.django_db
def test_unknown_objects_are_404_not_500(roles, login):
    client = login(roles["secretariat"])
    for url_name in (
        "portal:proposal",
        "portal:proposal_edit",
        "portal:attachment",
        "portal:opinion",
        "portal:meeting",
    ):
        assert client.get(reverse(url_name, args=[999999])).status_code == 404


@pytest.mark.django_db
def test_invisible_draft_does_not_leak_into_lists_or_search(world, roles, login):
    client = login(roles["other_liaison"])
    listing = client.get(reverse("portal:proposal_list"), {"q": "Private draft"})
    assert listing.status_code == 200
    assert b"Private draft of MSIT" not in listing.content
    assert b"Private draft of MSIT" in login(roles["lead_liaison"]).get(reverse("portal:proposal_list")).content


@pytest.mark.django_db
def test_login_page_renders_and_logs_in(client, lead_liaison):
    from tests.cast import PASSWORD

    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "liaison-msit", "password": PASSWORD}, follow=True)
    # Through portal:start, which sends the secretariat to its dashboard and a liaison home.
    assert [url for url, _status in response.redirect_chain] == [reverse("portal:start"), reverse("portal:home")]
    assert response.status_code == 200


@pytest.mark.django_db
def test_logout_needs_post_and_returns_to_login(login, lead_liaison):
    client = login(lead_liaison)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("portal:home")).status_code == 302
