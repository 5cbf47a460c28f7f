"""The unread-notification count for the portal's navigation bar."""

from .models import Notification


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": None}
    return {"unread_notification_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count()}
