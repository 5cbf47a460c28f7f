"""Every page carries a Content-Security-Policy without 'unsafe-inline', and no page needs one.

The browser test (tests/browser) proves the same in Chromium: no violation is reported on the pages it visits.
"""

from html.parser import HTMLParser

import pytest

from policies.models import ProposalState


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(f"<script> without src at {self.getpos()}")
        if tag == "style":
            self.found.append(f"<style> at {self.getpos()}")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{name}= on <{tag}> at {self.getpos()}")
        if attrs.get("href", "").startswith("javascript:"):
            self.found.append(f"javascript: link at {self.getpos()}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_login_page_has_the_policy_and_no_inline_code(client):
    response = client.get("/login/")
    assert_strict_policy(response)
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_portal_pages_have_the_policy_and_no_inline_code(client, lead_liaison, proposal_in_state):
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    client.force_login(lead_liaison)
    for path in ("/", "/proposals/", f"/proposals/{proposal.pk}/", "/proposals/new/", "/settings/", "/meetings/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_policy(response)
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_two_factor_pages_have_no_inline_code(client, lead_liaison):
    client.force_login(lead_liaison)
    response = client.get("/account/two-factor/")
    assert_strict_policy(response)
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
def test_admin_pages_have_the_policy_and_no_inline_code(client, secretariat, proposal_in_state):
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    client.force_login(secretariat)
    for path in (
        "/admin/",
        "/admin/policies/proposal/",
        f"/admin/policies/proposal/{proposal.pk}/change/",
        "/admin/policies/meeting/add/",
        "/admin/policies/proposal/dashboard/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_policy(response)
        assert inline_code(response.content.decode()) == [], path


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_as_a_file(client, secretariat):
    client.force_login(secretariat)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert_strict_policy(page)
    html = page.content.decode()
    assert inline_code(html) == []
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()  # no badge from swagger.io


@pytest.mark.django_db
def test_api_answers_carry_the_policy_too(client, lead_liaison):
    client.force_login(lead_liaison)
    assert_strict_policy(client.get("/api/v1/me/"))
