"""The outbox in the admin, per committee: each secretariat reads and retries its own committees' mail only,
mail about no committee (digests, old rows) is for superusers, and unsubscribe tokens show to superusers only.
"""

import datetime
import importlib
import itertools

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from committee.directory.models import Committee
from committee.outbox.models import EmailAttachment, Notification, OutboundEmail
from committee.outbox.unsubscribe import HIDDEN, list_headers, make_token, mask_tokens, unsubscribe_url
from policies import services
from policies.models import AgendaItem
from tests import cast

pytestmark = pytest.mark.django_db

EMAILS = reverse("admin:outbox_outboundemail_changelist")
NOTIFICATIONS = reverse("admin:outbox_notification_changelist")


@pytest.fixture
def food(committee):
    return Committee.objects.create(code="NBC-FOOD", name_ko="식품분과위원회", name_en="Food subcommittee")


@pytest.fixture
def food_secretariat(food):
    return cast.make_secretariat(food, "secretariat-food")


@pytest.fixture
def superuser(db):
    return cast.make_user("root", is_staff=True, is_superuser=True)


RECIPIENTS = itertools.count(1)


def mail(subject, committee, *, status=OutboundEmail.Status.SENT, **fields):
    """A notification and its email about `committee` (None: about several, like a digest)."""
    key = f"test:{subject}"
    recipient = cast.make_user(f"recipient-{next(RECIPIENTS)}")
    notification = Notification.objects.create(
        recipient=recipient, committee=committee, kind="test", subject=subject, dedup_key=key
    )
    email = OutboundEmail.objects.create(
        notification=notification,
        committee=committee,
        kind="test",
        dedup_key=key,
        to_address=recipient.email,
        subject=subject,
        body_text=fields.pop("body_text", "text"),
        status=status,
        **fields,
    )
    return notification, email


@pytest.fixture
def three_committees_mail(committee, food):
    return {
        "nbc": mail("Opinion of MOHW on NBC-2026-0001", committee, status=OutboundEmail.Status.FAILED),
        "food": mail("Decision NBC-FOOD-2026-D-001: Rejected", food, status=OutboundEmail.Status.FAILED),
        "none": mail("Your weekly Bio Committee digest", None, status=OutboundEmail.Status.FAILED),
    }


def listed(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", [EMAILS, NOTIFICATIONS])
def test_each_secretariat_lists_its_own_committees_mail_and_superusers_all(
    client, url, three_committees_mail, secretariat, food_secretariat, superuser
):
    subjects = {name: pair[0].subject for name, pair in three_committees_mail.items()}
    client.force_login(secretariat)
    page = listed(client, url)
    assert subjects["nbc"] in page and subjects["food"] not in page and subjects["none"] not in page
    client.force_login(food_secretariat)
    page = listed(client, url)
    assert subjects["food"] in page and subjects["nbc"] not in page and subjects["none"] not in page
    client.force_login(superuser)
    page = listed(client, url)
    assert all(subject in page for subject in subjects.values())


def test_another_committees_row_and_a_row_of_no_committee_do_not_open(client, three_committees_mail, secretariat):
    client.force_login(secretariat)
    for name in ("food", "none"):
        notification, email = three_committees_mail[name]
        for row in (notification, email):
            url = reverse(f"admin:outbox_{row._meta.model_name}_change", args=[row.pk])
            response = client.get(url, follow=True)
            assert row.subject not in response.content.decode(), name
            assert response.redirect_chain and response.redirect_chain[0][1] == 302  # "does not exist"
    own = three_committees_mail["nbc"][1]
    response = client.get(reverse("admin:outbox_outboundemail_change", args=[own.pk]))
    assert response.status_code == 200 and own.subject in response.content.decode()


@pytest.mark.parametrize("select_across", ["0", "1"])
def test_retry_sends_again_only_the_rows_the_secretariat_may_see(
    client, three_committees_mail, secretariat, select_across
):
    client.force_login(secretariat)
    ids = [email.pk for _notification, email in three_committees_mail.values()]
    form = {"action": "retry", "_selected_action": ids, "select_across": select_across, "index": 0}
    response = client.post(EMAILS, form)
    assert response.status_code == 302
    statuses = {name: OutboundEmail.objects.get(pk=pair[1].pk).status for name, pair in three_committees_mail.items()}
    assert statuses == {"nbc": "pending", "food": "failed", "none": "failed"}


@pytest.fixture
def tokened_mail(committee, member):
    """A digest-like email (List-Unsubscribe and a link in the text), filed under a committee to test masking."""
    token = make_token(member.pk, "digest")
    link = unsubscribe_url(member.pk, "digest")
    notification, email = mail(
        "Your daily Bio Committee digest",
        committee,
        headers=list_headers(member.pk, "digest"),
        body_text=f"Stop these digests: {link}",
        body_html=f'<a href="{link}">Stop these digests</a>',
    )
    notification.body_text = f"Stop these digests: {link}"
    notification.url = f"https://example.go.kr/x/?token={token}"
    notification.save()
    return token, notification, email


def test_unsubscribe_tokens_show_to_superusers_only(client, tokened_mail, secretariat, superuser):
    token, notification, email = tokened_mail
    pages = [
        reverse("admin:outbox_outboundemail_change", args=[email.pk]),
        reverse("admin:outbox_notification_change", args=[notification.pk]),
        EMAILS,
        NOTIFICATIONS,
    ]
    client.force_login(secretariat)
    for url in pages:
        assert token not in listed(client, url), url
    assert listed(client, pages[0]).count(str(HIDDEN)) >= 3  # the header, the text and the HTML
    assert str(HIDDEN) in listed(client, pages[1])
    client.force_login(superuser)
    assert token in listed(client, pages[0]) and token in listed(client, pages[1])


def test_an_emails_attachments_show_by_name_type_and_size_to_whoever_may_read_it(
    client, three_committees_mail, secretariat, food_secretariat, superuser
):
    _notification, email = three_committees_mail["nbc"]
    EmailAttachment.objects.create(
        email=email, position=0, filename="paper.pdf", content_type="application/pdf", content=b"%PDF-secret", size=11
    )
    url = reverse("admin:outbox_outboundemail_change", args=[email.pk])
    for reader in (secretariat, superuser):
        client.force_login(reader)
        page = listed(client, url)
        assert "paper.pdf" in page and "application/pdf" in page and ">11<" in page, reader
        assert "%PDF-secret" not in page  # what was sent, not the file itself
        assert 'name="attachments-0-filename"' not in page  # read-only
    client.force_login(food_secretariat)
    assert "paper.pdf" not in client.get(url, follow=True).content.decode()


def test_mask_tokens_hides_unsubscribe_tokens_and_token_parameters_only(member):
    link = unsubscribe_url(member.pk, "digest")
    plain = "https://example.go.kr/proposals/1/?tab=opinions"
    masked = mask_tokens(f"<{link}> and https://example.go.kr/a/?x=1&token=s3cr3t#f and {plain}")
    assert make_token(member.pk, "digest") not in masked and "s3cr3t" not in masked
    assert masked.count(str(HIDDEN)) == 2 and "?x=1&token=" in masked and plain in masked
    assert mask_tokens(plain) == plain


def test_historic_rows_get_the_committee_their_key_names_and_digests_stay_for_superusers(
    committee, food, proposal_in_state, secretariat, food_secretariat, member, mohw
):
    from policies.models import ProposalState

    backfill = importlib.import_module("policies.migrations.0005_outbox_rows_name_their_committee").backfill
    proposal = proposal_in_state(ProposalState.UNDER_REVIEW)
    (consultation,) = services.request_consultations(
        proposal, by=secretariat, agencies=[mohw], deadline=timezone.localdate() + datetime.timedelta(days=5)
    )
    food_meeting = cast.make_meeting(food, food_secretariat, title="Food plenary")
    services.add_agenda_item(
        food_meeting, by=food_secretariat, kind=AgendaItem.Kind.REPORT, title="Food report", presenter=None
    )
    services.publish_agenda(food_meeting, by=food_secretariat)
    now = timezone.now().isoformat()
    expected = {
        f"proposal-event:{proposal.events.get(action='submit').pk}:{member.pk}": committee.pk,
        f"opinion:{consultation.pk}:{now}:{member.pk}": committee.pk,
        f"reminder:consultation:{consultation.pk}:2026-01-01:d1:{member.pk}": committee.pk,
        f"meeting:{food_meeting.pk}:seq1:{member.pk}": food.pk,
        f"reminder:cutoff:{food_meeting.pk}:{now}:{member.pk}": food.pk,
        f"digest:{member.pk}:{now}": None,
        f"decision:999999:{member.pk}": None,  # its object is gone
        "test:something-else": None,
    }
    for key in expected:
        Notification.objects.create(recipient=member, kind="test", subject=key, dedup_key=key)
        OutboundEmail.objects.create(kind="test", dedup_key=key, to_address=member.email, subject=key, body_text="")
    Notification.objects.update(committee=None)
    OutboundEmail.objects.update(committee=None)
    backfill(apps)
    for model in (Notification, OutboundEmail):
        found = dict(model.objects.filter(dedup_key__in=expected).values_list("dedup_key", "committee_id"))
        assert found == expected, model.__name__
