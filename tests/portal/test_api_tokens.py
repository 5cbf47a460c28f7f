"""People see their own API tokens on the settings page (a prefix, never the token) and revoke them there."""

import datetime

import pytest
import time_machine

from committee.directory import tokens
from committee.directory.models import ApiToken

URL = "/settings/"
START = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)  # 10:00 in Seoul

pytestmark = pytest.mark.django_db


def test_the_settings_page_lists_my_tokens_by_prefix_with_their_dates_and_not_other_peoples(
    client, lead_liaison, other_liaison
):
    with time_machine.travel(START, tick=False):
        used, used_secret = tokens.issue_token(lead_liaison)
        unused, unused_secret = tokens.issue_token(lead_liaison)
        theirs, _ = tokens.issue_token(other_liaison)
    ApiToken.objects.filter(pk=used.pk).update(last_used=START + datetime.timedelta(hours=2))
    client.force_login(lead_liaison)
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    listed = response.context["api_tokens"]
    assert {token.pk for token in listed} == {used.pk, unused.pk}
    assert f"{used_secret[:8]}…" in page and f"{unused_secret[:8]}…" in page
    assert theirs.token_key[:8] not in page
    assert "2026-03-02 10:00" in page  # created, in Seoul time
    assert "2026-03-02 12:00" in page  # last used
    assert "never" in page  # the unused one
    assert "2026-03-16 10:00" in page  # expiry after the default 14 idle days


def test_expired_tokens_are_not_listed(client, lead_liaison):
    with time_machine.travel(START, tick=False):
        tokens.issue_token(lead_liaison)
    client.force_login(lead_liaison)
    with time_machine.travel(START + datetime.timedelta(days=15), tick=False):
        response = client.get(URL)
    assert response.context["api_tokens"] == []
    assert "You have no API tokens." in response.content.decode()


def test_revoking_one_token_keeps_the_others(client, lead_liaison):
    first, _ = tokens.issue_token(lead_liaison)
    second, _ = tokens.issue_token(lead_liaison)
    client.force_login(lead_liaison)
    response = client.post("/settings/api-tokens/revoke/", {"token_key": first.token_key}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "no longer works" in response.content.decode()
    assert list(ApiToken.objects.filter(user=lead_liaison)) == [second]


def test_another_users_token_cannot_be_revoked(client, lead_liaison, other_liaison):
    theirs, _ = tokens.issue_token(other_liaison)
    client.force_login(lead_liaison)
    response = client.post("/settings/api-tokens/revoke/", {"token_key": theirs.token_key}, follow=True)
    assert "No such API token" in response.content.decode()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_all_revokes_only_mine(client, lead_liaison, other_liaison):
    tokens.issue_token(lead_liaison)
    tokens.issue_token(lead_liaison)
    theirs, _ = tokens.issue_token(other_liaison)
    client.force_login(lead_liaison)
    response = client.post("/settings/api-tokens/revoke-all/", follow=True)
    assert "2 API tokens revoked." in response.content.decode()
    assert list(ApiToken.objects.all()) == [theirs]


def test_revoking_takes_a_signed_in_post(client, lead_liaison):
    mine, _ = tokens.issue_token(lead_liaison)
    anonymous = client.post("/settings/api-tokens/revoke/", {"token_key": mine.token_key})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(lead_liaison)
    assert client.get("/settings/api-tokens/revoke/", {"token_key": mine.token_key}).status_code == 405
    assert client.get("/settings/api-tokens/revoke-all/").status_code == 405
    assert ApiToken.objects.filter(pk=mine.pk).exists()
