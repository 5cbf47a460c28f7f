"""REST API of notifications: each user lists and marks their own, nobody else's."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    # In the language of the request, as they read in the portal.
    subject = serializers.CharField(source="shown_subject", read_only=True)
    body_text = serializers.CharField(source="shown_body_text", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body_text", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


UNREAD_VALUES = {"true": True, "1": True, "false": False, "0": False}


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only notifications not yet marked read.")]
    )
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first; `?unread=true` lists only unread ones."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; get_queryset restricts to the user's own
    filter_backends = []

    def get_queryset(self):
        queryset = Notification.objects.filter(recipient=self.request.user)
        if self.action == "list" and self.only_unread():
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def only_unread(self) -> bool:
        # A word other than true or false is a mistake to report, not a filter to drop silently.
        value = self.request.query_params.get("unread", "false").strip().lower()
        if value not in UNREAD_VALUES:
            raise exceptions.ValidationError({"unread": [_("Use true or false.")]})
        return UNREAD_VALUES[value]

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
        marked = unread.update(read_at=timezone.now())
        return Response({"marked": marked})

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()})
