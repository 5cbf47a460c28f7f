"""Without EMAIL_HOST, the worker writes each email to a file of its own in var/mail/, as the README says."""

import email

import pytest

from committee.outbox.delivery import deliver
from committee.outbox.models import OutboundEmail
from policies import services
from tests import cast

pytestmark = pytest.mark.django_db


def test_the_default_without_an_smtp_host_is_one_file_per_message():
    from committee import settings as project_settings

    assert project_settings.EMAIL_HOST or project_settings.EMAIL_BACKEND == "committee.outbox.mailfiles.EmailBackend"


def test_a_batch_sent_over_one_connection_becomes_one_file_per_message(
    settings, tmp_path, committee, draft, lead_liaison
):
    settings.EMAIL_BACKEND = "committee.outbox.mailfiles.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    for number in range(2):
        cast.make_secretariat(committee, f"secretariat-{number}")
    services.submit_proposal(draft, by=lead_liaison)
    ids = list(OutboundEmail.objects.values_list("id", flat=True))
    assert len(ids) == 2
    assert deliver(ids)["sent"] == 2
    files = sorted(tmp_path.iterdir())
    assert [path.suffix for path in files] == [".eml", ".eml"]
    recipients = sorted(email.message_from_bytes(path.read_bytes())["To"] for path in files)
    assert recipients == ["secretariat-0@example.go.kr", "secretariat-1@example.go.kr"]
