"""Private calendar feeds: one secret link per person and one per committee, revocable by rotating its key."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from committee.audit.tracking import RemembersLoadedValues


def new_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(RemembersLoadedValues, models.Model):
    """The key behind a feed link. The link carries the key signed with SECRET_KEY (policies/services/feeds.py),
    so a copy of this table alone opens no feed; rotating the key kills every copy of the old link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    committee = models.OneToOneField(
        "directory.Committee", on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    rotated_at = models.DateTimeField(_("link issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, committee__isnull=True)
                | models.Q(user__isnull=True, committee__isnull=False),
                name="calendar_feed_has_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.user or self.committee}"
