"""Verbs on calendar feed links: issue one on first use, rotate it (the old link stops working at once)."""

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.directory.models import Committee
from committee.directory.scope import scope_of
from policies.models import CalendarFeed
from policies.workflow import NotPermitted

from .audit import audit_change

_SIGNER = signing.Signer(salt="policies.calendar-feed")


def _owner_filter(owner) -> dict:
    return {"committee": owner} if isinstance(owner, Committee) else {"user": owner}


def feed_of(owner) -> CalendarFeed:
    """The owner's feed, issued on first use (a person's or a committee's): issuing is not a change of theirs."""
    feed = CalendarFeed.objects.filter(**_owner_filter(owner)).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(**_owner_filter(owner))
    except IntegrityError:  # issued by a concurrent request a moment ago
        return CalendarFeed.objects.get(**_owner_filter(owner))


def token_of(feed: CalendarFeed) -> str:
    return _SIGNER.sign(feed.key)


def feed_path(owner) -> str:
    """The owner's private feed link (a path; faces make it absolute for calendar clients)."""
    name = "portal:committee_calendar" if isinstance(owner, Committee) else "portal:person_calendar"
    return reverse(name, args=[token_of(feed_of(owner))])


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a link opens, or None for a forged, mangled or rotated one (all answered alike: 404)."""
    try:
        key = _SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    return CalendarFeed.objects.select_related("user", "committee").filter(key=key).first()


def may_rotate(user, owner) -> bool:
    """Each person rotates their own link; a committee's link is rotated by that committee's secretariat."""
    if isinstance(owner, Committee):
        return scope_of(user).staffs(owner.pk)
    return user.is_authenticated and user.pk == owner.pk


@transaction.atomic
def rotate_calendar_feed(owner, *, by) -> CalendarFeed:
    """Issue a new link for the owner's feed; the old one answers 404 from now on."""
    if not may_rotate(by, owner):
        raise NotPermitted(_("Only the committee's secretariat may renew its calendar link."))
    feed = CalendarFeed.objects.select_for_update().filter(pk=feed_of(owner).pk).get()
    feed.key = CalendarFeed._meta.get_field("key").default()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["key", "rotated_at"])
    # The key itself stays out of the log: only that the link was renewed, and when.
    audit_change("calendar_feed.rotated", feed, by=by, fields=("rotated_at",))
    return feed
