"""Calendar feed links: a person's and a committee's private feeds, opened by a signed key without signing in,
and the buttons that renew a link (the old one stops working at once)."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from committee.directory.models import Committee, profile_of
from committee.directory.names import display_name
from committee.directory.scope import scope_of
from policies import services
from policies.calendar import feed
from policies.models import Consultation, Meeting
from policies.queries import calendar as feeds
from policies.services.feeds import feed_for_token, feed_path

from .refusals import refusals_as_pages


def feed_url(request, owner) -> str:
    """The owner's private feed link, absolute, as calendar clients need it."""
    return request.build_absolute_uri(feed_path(owner))


def _last_change(content, issued_at):
    moments = [
        content.meetings.aggregate(at=Max("updated_at"))["at"],
        content.consultations.aggregate(at=Max("requested_at"))["at"],
        content.consultations.aggregate(at=Max("answered_at"))["at"],
        content.actions.aggregate(at=Max("created_at"))["at"],
        issued_at,
    ]
    return max(moment for moment in moments if moment is not None)


def _link(request, obj) -> str:
    if isinstance(obj, Meeting):
        path = reverse("portal:meeting", args=[obj.pk])
    elif isinstance(obj, Consultation):
        path = reverse("portal:opinion", args=[obj.pk])
    else:
        path = reverse("portal:action_progress", args=[obj.pk])
    return request.build_absolute_uri(path)


def _calendar_response(request, name: str, content, issued_at) -> HttpResponse:
    updated_at = _last_change(content, issued_at)
    body = feed(name, content, links=lambda obj: _link(request, obj), updated_at=updated_at).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    last_modified = updated_at.timestamp()
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    response = not_modified or HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)  # always revalidate: a renewed link must end at once
    return response


@require_GET
def person_calendar(request, token: str):
    calendar_feed = feed_for_token(token)
    if calendar_feed is None or calendar_feed.user is None or not calendar_feed.user.is_active:
        raise Http404
    user = calendar_feed.user
    profile = profile_of(user)
    with translation.override(profile.language if profile and profile.language else None):
        name = _("Bio Committee Desk: %(name)s") % {"name": display_name(user)}
        return _calendar_response(request, name, feeds.person_feed(user), calendar_feed.rotated_at)


@require_GET
def committee_calendar(request, token: str):
    calendar_feed = feed_for_token(token)
    if calendar_feed is None or calendar_feed.committee is None or not calendar_feed.committee.is_active:
        raise Http404
    committee = calendar_feed.committee
    return _calendar_response(request, committee.name, feeds.committee_feed(committee), calendar_feed.rotated_at)


@login_required
@require_POST
def renew_my_calendar(request):
    services.rotate_calendar_feed(request.user, by=request.user)
    messages.success(request, _("Your calendar link is renewed: calendars subscribed to the old one stop updating."))
    return redirect("portal:preferences")


@login_required
@require_POST
@refusals_as_pages
def renew_committee_calendar(request, pk: int):
    committee = get_object_or_404(Committee, pk=pk)
    services.rotate_calendar_feed(committee, by=request.user)
    messages.success(request, _("The committee's calendar link is renewed."))
    return redirect("portal:meeting_list")


def calendar_context(request) -> dict:
    """The settings page: the person's own feed link."""
    return {"calendar_feed_url": feed_url(request, request.user)}


def committee_feeds_context(request) -> dict:
    """The meetings page: a feed link per committee the person belongs to or staffs, renewable by its staff."""
    scope = scope_of(request.user)
    committees = Committee.objects.filter(pk__in=scope.member_of | scope.staffed, is_active=True).order_by("code")
    return {
        "committee_feeds": [
            {"committee": committee, "url": feed_url(request, committee), "renewable": scope.staffs(committee.pk)}
            for committee in committees
        ]
    }
