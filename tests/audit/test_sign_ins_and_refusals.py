"""Sign-ins, failed sign-ins, lockouts and refused requests (403) are in the audit log, refusals even when
the refused verb's transaction rolled back."""

import pytest
from rest_framework.test import APIClient

from committee.audit.models import AuditEntry
from policies import notifications
from policies.models import Proposal, ProposalEvent
from policies.workflow import NotPermitted
from tests.cast import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_cache")]


def attempt(client, username, password, url="/login/", address="10.0.0.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged(*actions):
    return list(AuditEntry.objects.filter(action__in=actions).order_by("pk"))


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_login(user)
        return client

    return client_for


@pytest.fixture
def limit(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "1000/min"}}
    return 3


def test_a_failed_sign_in_records_the_normalised_username_the_account_and_the_address(client, lead_liaison, limit):
    attempt(client, "  Liaison-MSIT ", "wrong")
    [entry] = logged("sign_in.failed")
    assert (entry.detail, entry.client_address, entry.actor_id) == ("liaison-msit", "10.0.0.7", None)
    assert entry.object_id == str(lead_liaison.pk)


def test_a_failed_sign_in_for_no_such_account_is_logged_too(client, limit):
    attempt(client, "Nobody", "wrong", url="/admin/login/")
    [entry] = logged("sign_in.failed")
    assert (entry.detail, entry.object_id) == ("nobody", "")


def test_a_sign_in_records_who_signed_in(client, lead_liaison, limit):
    assert attempt(client, "liaison-msit", PASSWORD).status_code == 302
    [entry] = logged("sign_in.succeeded")
    assert (entry.actor_id, entry.client_address) == (lead_liaison.pk, "10.0.0.7")


def test_the_failure_that_reaches_the_limit_logs_a_lockout_and_later_attempts_are_logged_as_refused(
    client, lead_liaison, limit
):
    for _ in range(limit - 1):
        attempt(client, "liaison-msit", "wrong")
    assert logged("sign_in.locked_out") == []
    attempt(client, "liaison-msit", "wrong")
    assert len(logged("sign_in.locked_out")) == 1
    attempt(client, "liaison-msit", PASSWORD, url="/api/v1/auth/token/")
    [refused] = logged("sign_in.refused_while_locked_out")
    assert (refused.detail, refused.object_id) == ("liaison-msit", str(lead_liaison.pk))
    assert len(logged("sign_in.failed")) == limit and logged("sign_in.succeeded") == []


def test_a_failed_api_token_request_is_logged(client, lead_liaison, limit):
    attempt(client, "liaison-msit", "wrong", url="/api/v1/auth/token/")
    assert [entry.detail for entry in logged("sign_in.failed")] == ["liaison-msit"]


def test_a_refused_api_transition_is_logged_with_who_where_and_why(api, lead_liaison, proposal_in_state):
    proposal = proposal_in_state("submitted")
    since = AuditEntry.objects.order_by("-pk").first().pk
    url = f"/api/v1/proposals/{proposal.pk}/transitions/"
    response = api(lead_liaison).post(url, {"action": "start_review"}, format="json", REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 403
    [entry] = AuditEntry.objects.filter(pk__gt=since)
    assert (entry.action, entry.actor_id, entry.client_address) == ("request.refused", lead_liaison.pk, "10.0.0.8")
    assert entry.detail.startswith(f"POST {url}") and "may not" in entry.detail


@pytest.mark.parametrize("face", ["api", "portal"])
def test_a_refusal_after_the_verb_wrote_is_logged_although_the_verb_rolled_back(
    face, api, client, lead_liaison, proposal_in_state, monkeypatch
):
    """The verb saves the new state, then refuses: its rows (and its own audit entry) go; the refusal stays."""
    proposal = proposal_in_state("draft")

    def refuse_late(*args, **kwargs):
        raise NotPermitted("Refused after writing.")

    monkeypatch.setattr(notifications, "proposal_transitioned", refuse_late)
    since = AuditEntry.objects.order_by("-pk").first().pk
    if face == "api":
        url = f"/api/v1/proposals/{proposal.pk}/transitions/"
        response = api(lead_liaison).post(url, {"action": "submit"}, format="json")
    else:
        client.force_login(lead_liaison)
        url = f"/proposals/{proposal.pk}/transition/"
        response = client.post(url, {"action": "submit", "comment": ""})
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).state == "draft"
    assert not ProposalEvent.objects.filter(proposal=proposal, action="submit").exists()
    assert [entry.action for entry in AuditEntry.objects.filter(pk__gt=since)] == ["request.refused"]
    assert AuditEntry.objects.get(pk__gt=since).actor_id == lead_liaison.pk
