"""Plain text is plain: an email's subject and text body, and the in-app notification's text, carry
a title as written, never HTML entities; the HTML body escapes it."""

import pytest

from committee.outbox.models import Notification, OutboundEmail
from policies import services
from tests import cast

pytestmark = pytest.mark.django_db

TITLE = "Minister's <b>R&D</b> plan"


def test_a_title_with_quotes_and_markup_reads_as_written_in_text_and_escaped_in_html(
    committee, lead_liaison, secretariat
):
    proposal = cast.make_proposal(committee, lead_liaison, title=TITLE)
    services.submit_proposal(proposal, by=lead_liaison)
    email = OutboundEmail.objects.get(kind="proposal_submitted", to_address=secretariat.email)
    assert TITLE in email.body_text
    assert "&#x27;" not in email.subject + email.body_text and "&amp;" not in email.subject + email.body_text
    html = email.body_html
    assert "Minister&#x27;s &lt;b&gt;R&amp;D&lt;/b&gt; plan" in html and "<b>R&D</b>" not in html
    notification = Notification.objects.get(recipient=secretariat, kind="proposal_submitted")
    assert TITLE in notification.body_text  # what the portal and the API show
