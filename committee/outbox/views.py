"""Portal pages: the user's notifications, marking them read, and the one-click unsubscribe page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .kinds import KINDS, is_mandatory
from .models import Notification
from .unsubscribe import handler, read_token


def own_notifications(user):
    return Notification.objects.filter(recipient=user)


@login_required
def notification_list(request):
    notifications = own_notifications(request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.only("id", "subject", "texts", "kind", "url", "created_at", "read_at"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list, "only_unread": request.GET.get("unread") == "1"},
    )


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(own_notifications(request.user), pk=pk)
    if notification.read_at is None:
        own_notifications(request.user).filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    target = request.POST.get("next") or ""
    if request.POST.get("open") and notification.url:
        target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=_allowed_hosts(request)):
        return redirect(target)
    return redirect("notifications:list")


def _allowed_hosts(request):
    return {request.get_host(), urlsplit(settings.SITE_URL).netloc}


@login_required
@require_POST
def mark_all_read(request):
    count = own_notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("Marked %(count)d notifications as read.") % {"count": count})
    return redirect("notifications:list")


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a session or CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a confirmation page; POST (from that page or a mail client's one-click button) turns that kind
    of email off for that person. A kind people must receive is explained, never turned off."""
    try:
        user_id, kind = read_token(token)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe-invalid.html", status=400)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or kind not in KINDS.known():
        raise Http404(_("There is nothing to unsubscribe from with this link."))
    context = {"token": token, "kind": kind, "kind_label": KINDS.label_of(kind)}
    if is_mandatory(kind):
        # A mail client's one-click POST gets the same explanation; 409: the request cannot be honoured.
        status = 409 if request.method == "POST" else 200
        return render(request, "notifications/unsubscribe-mandatory.html", context, status=status)
    if request.method == "POST":
        handler()(user, kind)
        return render(request, "notifications/unsubscribed.html", context)
    return render(request, "notifications/unsubscribe.html", context)
