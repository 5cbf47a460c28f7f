"""Every email can be stopped with one click for its kind (RFC 8058), and each person chooses per kind: emailed
now, only in their digest, or not at all; except the mail their agency must receive."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse

from committee.audit.models import AuditEntry
from committee.outbox.delivery import deliver, letter
from committee.outbox.models import EmailChoice, Notification, OutboundEmail
from committee.outbox.unsubscribe import make_token, read_token
from policies import services
from policies.models import ProposalState
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS, Kind

pytestmark = pytest.mark.django_db
OFF, DIGEST, INSTANT = EmailChoice.Delivery.OFF, EmailChoice.Delivery.DIGEST, EmailChoice.Delivery.INSTANT
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def unsubscribe_path(user, kind):
    return reverse("notifications:unsubscribe", args=[make_token(user.pk, kind)])


def one_click(client, user, kind):
    return client.post(unsubscribe_path(user, kind), {"List-Unsubscribe": "One-Click"})


def assert_valid_one_click_headers(headers, user, kind):
    """RFC 8058: one https-or-site URL in angle brackets, naming this person and this kind, and the POST marker."""
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(r"<([^<>\s,]+)>", headers["List-Unsubscribe"])
    assert match, headers["List-Unsubscribe"]
    url = urlsplit(match.group(1))
    assert f"{url.scheme}://{url.netloc}" == settings.SITE_URL
    view = resolve(url.path)
    assert view.url_name == "unsubscribe"
    assert read_token(view.kwargs["token"]) == (user.pk, str(kind))


# --- headers on every kind of email ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind), ids=[str(kind) for kind in Kind])
def test_every_kind_of_letter_carries_valid_one_click_headers_for_its_kind(kind, draft, lead_liaison):
    written = letter(
        lead_liaison, "proposal-submitted", {"proposal": draft}, kind=kind, dedup_key=f"t:{kind}", url="/x/"
    )
    assert_valid_one_click_headers(written.message.extra_headers, lead_liaison, kind)
    link = written.message.extra_headers["List-Unsubscribe"][1:-1]
    assert link in written.message.body
    assert link.replace("&", "&amp;") in written.message.alternatives[0][0]


def test_every_email_template_shows_the_unsubscribe_link():
    """The footer carries the link: every text body includes it, every HTML body extends the base that has it."""
    for path in TEMPLATES.glob("*-body.txt"):
        assert '{% include "emails/_footer.txt" %}' in path.read_text(), path.name
    for path in TEMPLATES.glob("*-body.html"):
        if path.name != "base-body.html":
            assert path.read_text().startswith('{% extends "emails/base-body.html" %}'), path.name
    assert "unsubscribe_url" in (TEMPLATES / "_footer.txt").read_text()
    assert "unsubscribe_url" in (TEMPLATES / "base-body.html").read_text()


def test_the_sent_message_carries_the_headers(draft, lead_liaison, secretariat):
    services.submit_proposal(draft, by=lead_liaison)
    email = OutboundEmail.objects.get(kind=Kind.PROPOSAL_SUBMITTED)
    deliver([email.pk])
    (message,) = mail.outbox
    assert_valid_one_click_headers(message.message(), secretariat, Kind.PROPOSAL_SUBMITTED)


# --- one click turns off exactly that kind for exactly that person -----------------------------------------


@pytest.fixture
def cosponsored(committee, lead_liaison, secretariat, mohw, health):
    """A proposal of MSIT co-sponsored by MOHW, under review: returning or accepting it tells both agencies."""
    from tests import cast

    proposal = cast.make_proposal(committee, lead_liaison, health)
    proposal.co_sponsors.add(mohw)
    services.submit_proposal(proposal, by=lead_liaison)
    services.start_review(proposal, by=secretariat)
    return proposal


def emailed(kind):
    return sorted(OutboundEmail.objects.filter(kind=kind).values_list("to_address", flat=True))


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_one_click_post_turns_off_exactly_that_kind_for_exactly_that_person(
    client, cosponsored, lead_liaison, other_liaison, secretariat
):
    since = AuditEntry.objects.count()
    response = one_click(client, lead_liaison, Kind.PROPOSAL_RETURN)
    assert response.status_code == 200
    assert list(EmailChoice.objects.values_list("user", "kind", "delivery")) == [
        (lead_liaison.pk, "proposal_return", OFF)
    ]
    assert AuditEntry.objects.count() == since + 1  # through the preferences verb, with its audit entry
    services.return_proposal(cosponsored, by=secretariat, comment="Add the budget.")
    assert told(Kind.PROPOSAL_RETURN) == ["liaison-mohw", "liaison-msit"]  # the portal still shows it
    assert emailed(Kind.PROPOSAL_RETURN) == [other_liaison.email]
    services.submit_proposal(cosponsored, by=lead_liaison)
    services.start_review(cosponsored, by=secretariat)
    services.accept_proposal(cosponsored, by=secretariat)
    assert emailed(Kind.PROPOSAL_ACCEPT) == sorted([lead_liaison.email, other_liaison.email])


def test_get_shows_a_confirmation_page_with_a_button_and_changes_nothing(client, lead_liaison):
    response = client.get(unsubscribe_path(lead_liaison, Kind.DECISION_RECORDED))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'method="post"' in page and "<button" in page and str(Kind.DECISION_RECORDED.label) in page
    assert not EmailChoice.objects.exists()


@pytest.mark.parametrize("mangle", [lambda t: t[:-2], lambda t: "x" + t, lambda t: "not-a-token"])
def test_a_tampered_token_is_refused_with_a_clear_page(client, lead_liaison, mangle):
    token = mangle(make_token(lead_liaison.pk, Kind.DECISION_RECORDED))
    response = client.post(reverse("notifications:unsubscribe", args=[token]), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not EmailChoice.objects.exists()


def test_a_token_for_an_unknown_kind_or_person_is_404(client, lead_liaison):
    assert one_click(client, lead_liaison, "no_such_kind").status_code == 404
    assert client.post(reverse("notifications:unsubscribe", args=[make_token(999_999, "digest")])).status_code == 404


# --- mail a person must receive ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(MANDATORY_KINDS))
def test_mandatory_kinds_cannot_be_turned_off_by_link(client, lead_liaison, kind):
    page = client.get(unsubscribe_path(lead_liaison, kind))
    assert page.status_code == 200 and "cannot be turned off" in page.content.decode()
    assert 'name="List-Unsubscribe"' not in page.content.decode()  # no button: nothing to do
    response = one_click(client, lead_liaison, kind)
    assert response.status_code == 409 and "cannot be turned off" in response.content.decode()
    assert not EmailChoice.objects.exists()


@pytest.mark.parametrize("kind", sorted(MANDATORY_KINDS))
def test_mandatory_kinds_cannot_be_turned_off_by_the_verb(lead_liaison, kind):
    with pytest.raises(ValidationError):
        services.update_preferences(lead_liaison, email_choices={kind: OFF})
    assert not EmailChoice.objects.exists()


def test_a_consultation_request_is_emailed_whatever_is_stored(proposal_in_state, secretariat, mohw, other_liaison):
    EmailChoice.objects.create(user=other_liaison, kind=Kind.CONSULTATION_REQUESTED, delivery=OFF)
    proposal = proposal_in_state(ProposalState.SUBMITTED)
    services.request_consultations(proposal, by=secretariat, agencies=[mohw], working_days=10)
    assert emailed(Kind.CONSULTATION_REQUESTED) == [other_liaison.email]


# --- instant, digest only, off ------------------------------------------------------------------------------


@pytest.mark.parametrize(("delivery", "emails"), [(INSTANT, 1), (DIGEST, 0), (OFF, 0)])
def test_delivery_honours_the_choice_and_keeps_the_notification(draft, lead_liaison, secretariat, delivery, emails):
    services.update_preferences(secretariat, email_choices={Kind.PROPOSAL_SUBMITTED: delivery})
    services.submit_proposal(draft, by=lead_liaison)
    assert OutboundEmail.objects.filter(kind=Kind.PROPOSAL_SUBMITTED).count() == emails
    assert told(Kind.PROPOSAL_SUBMITTED) == ["secretariat"]


def test_unknown_kinds_and_deliveries_are_refused(lead_liaison):
    for choice in ({"no_such_kind": OFF}, {Kind.PROPOSAL_RETURN: "sometimes"}):
        with pytest.raises(ValidationError):
            services.update_preferences(lead_liaison, email_choices=choice)
    assert not EmailChoice.objects.exists()


def test_the_settings_offer_a_choice_for_every_kind_but_the_mandatory_ones_and_the_digest():
    # The digest has its own setting (daily, weekly, none); mandatory mail is never turned off.
    assert set(CHOOSABLE_KINDS) == set(Kind) - MANDATORY_KINDS - {Kind.DIGEST}
    assert Kind.DIGEST not in MANDATORY_KINDS  # so the digest's exclusion is its own rule, not the mandatory one
