"""Notification kinds are one vocabulary: stored as slugs, shown in the reader's words wherever they are listed."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from committee.outbox.kinds import KINDS
from committee.outbox.models import Notification, OutboundEmail
from policies.notifications import Kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_kind_of_letter_has_words_of_its_own_in_each_language(language):
    with translation.override(language):
        words = [KINDS.label_of(kind) for kind in Kind.values]
    assert all(word not in Kind.values for word in words)  # words, not the stored slug
    assert len(set(words)) == len(words)
    if language == "ko":
        assert all(any("\uac00" <= char <= "\ud7a3" for char in word) for word in words), words


def test_the_outbox_lists_and_filters_kinds_in_words(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.go.kr", "pw-Root-2026!")
    Notification.objects.create(recipient=root, kind=Kind.DECISION_RECORDED, subject="Decision", dedup_key="k1")
    OutboundEmail.objects.create(
        to_address="a@example.go.kr", subject="Decision", kind=Kind.DECISION_RECORDED, dedup_key="k1"
    )
    client.force_login(root)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    with translation.override("ko"):
        words = str(Kind.DECISION_RECORDED.label)
    for url in (reverse("admin:outbox_notification_changelist"), reverse("admin:outbox_outboundemail_changelist")):
        page = client.get(url).content.decode()
        assert f'<td class="field-kind_label">{words}</td>' in page, url
        assert f"?kind={Kind.DECISION_RECORDED.value}" in page  # the filter offers it, by its words
