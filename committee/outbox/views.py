"""Portal pages: the user's notifications, marking them read, and the one-click unsubscribe page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from .models import Notification
from .unsubscribe import handler_for, read_token


def own_notifications(user):
    return Notification.objects.filter(recipient=user)


@login_required
def notification_list(request):
    notifications = own_notifications(request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications.only("id", "subject", "kind", "url", "created_at", "read_at"), 25).get_page(
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
    """GET shows a confirmation page; POST (from that page or a mail client's one-click button) unsubscribes."""
    try:
        user_id, list_name = read_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(
            _("This unsubscribe link is not valid. Change your digest settings in the portal.")
        )
    handler = handler_for(list_name)
    user = get_user_model().objects.filter(pk=user_id).first()
    if handler is None or user is None:
        raise Http404(_("There is nothing to unsubscribe from with this link."))
    if request.method == "POST":
        handler(user_id)
        return render(request, "notifications/unsubscribed.html", {"list_name": list_name})
    return render(request, "notifications/unsubscribe.html", {"token": token, "list_name": list_name})
