"""Minutes through the API: read by whoever sees the meeting (drafts by its secretariat), commented on by the
committee's members while in review, and drafted, sent for review, finalised and corrected by its secretariat.

As elsewhere, what the caller may not see answers 404; the role (403) and the state (409 `invalid_state`) are
refused before the body is read, then the input (400).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from policies import permissions, services
from policies.models import AgendaItem, Minutes, MinutesComment
from policies.services.minutes import record_minutes_opened
from policies.workflow import Actor

from . import filters
from .base import RestrictedViewSet
from .meetings import require_secretariat
from .schema import errors
from .serializers import minutes as minutes_serializers


@extend_schema_view(
    list=extend_schema(
        summary="List minutes you may read",
        description="Minutes in review or final of the meetings you see; drafts only for their secretariat. A row "
        "leaves out the content, which each minutes' own URL gives.",
        responses={200: minutes_serializers.MinutesListSerializer, **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One meeting's minutes",
        description="Opening minutes in review as a member records that you looked at them (no more reminders).",
        responses={200: minutes_serializers.MinutesSerializer, **errors(401, 404)},
    ),
)
class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = Minutes.objects.all()
    visible = staticmethod(permissions.visible_minutes)
    serializer_class = minutes_serializers.MinutesSerializer
    filterset_class = filters.MinutesFilter
    ordering = ["-meeting__starts_at", "-id"]

    def optimise(self, queryset):
        comments = MinutesComment.objects.select_related("author").order_by("created_at", "pk")
        return queryset.select_related("meeting__committee").prefetch_related(
            "versions", Prefetch("comments", queryset=comments)
        )

    def get_serializer_class(self):
        return {
            "create": minutes_serializers.MinutesStartSerializer,
            "summaries": minutes_serializers.SummariesSerializer,
            "review": minutes_serializers.ReviewSerializer,
            "correct": minutes_serializers.CorrectionSerializer,
            "comments": minutes_serializers.MinutesCommentCreateSerializer,
            "list": minutes_serializers.MinutesListSerializer,
        }.get(self.action, minutes_serializers.MinutesSerializer)

    def valid_data(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def represent(self, minutes, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=minutes.pk)
        data = minutes_serializers.MinutesSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        minutes = self.get_object()
        if Actor.MEMBER in permissions.actors_for(request.user, minutes):
            record_minutes_opened(minutes, by=request.user)
        return self.represent(minutes)

    @extend_schema(
        summary="Start the minutes of a held meeting (secretariat)",
        description="Drafted from the meeting's data; a meeting's minutes are started once (the existing ones "
        "answer 200). A meeting that is not held answers 409; one you cannot see, 400.",
        request=minutes_serializers.MinutesStartSerializer,
        responses={
            201: minutes_serializers.MinutesSerializer,
            200: minutes_serializers.MinutesSerializer,
            **errors(400, 401, 403, 409),
        },
    )
    def create(self, request, *args, **kwargs):
        require_secretariat(request, _("Only the committee's secretariat may draft minutes."))
        meeting_id = self.valid_data(request)["meeting"]
        meeting = permissions.visible_meetings(request.user).filter(pk=meeting_id).first()
        if meeting is None:
            raise exceptions.ValidationError({"meeting": [_("No such meeting.")]})
        existed = Minutes.objects.filter(meeting=meeting).exists()
        minutes = services.start_minutes(meeting, by=request.user)
        return self.represent(minutes, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        summary="Write discussion summaries (secretariat)",
        description="Plain text by agenda item id, while the minutes are draft or in review (final: 409).",
        request=minutes_serializers.SummariesSerializer,
        responses={200: minutes_serializers.MinutesSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def summaries(self, request, pk=None):
        minutes = self.get_object()
        services.check_minutes_action(minutes, "edit", by=request.user)
        return self.represent(services.save_summaries(minutes, by=request.user, **self.valid_data(request)))

    @extend_schema(
        summary="Send the draft minutes to the members for review (secretariat)",
        description="Members are asked for comments by a deadline in Korean working days from today.",
        request=minutes_serializers.ReviewSerializer,
        responses={200: minutes_serializers.MinutesSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        minutes = self.get_object()
        services.check_minutes_action(minutes, "send_for_review", by=request.user)
        days = self.valid_data(request)["working_days"]
        return self.represent(services.send_minutes_for_review(minutes, by=request.user, working_days=days))

    @extend_schema(
        summary="Finalise minutes in review (secretariat)",
        description="Locks them as version 1; the members are told and the PDF is built.",
        request=None,
        responses={200: minutes_serializers.MinutesSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        return self.represent(services.finalise_minutes(self.get_object(), by=request.user))

    @extend_schema(
        summary="Correct final minutes (secretariat)",
        description="A new version with the reason supersedes the current one, which is kept unchanged.",
        request=minutes_serializers.CorrectionSerializer,
        responses={200: minutes_serializers.MinutesSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        minutes = self.get_object()
        services.check_minutes_action(minutes, "correct", by=request.user)
        data = self.valid_data(request)
        corrected = services.correct_minutes(
            minutes, by=request.user, reason=data["reason"], summaries=data.get("summaries") or {}
        )
        return self.represent(corrected)

    @extend_schema(
        summary="Comment on minutes in review (member)",
        description="Members of the committee only (403 for anyone else), while the minutes are in review "
        "(else 409); on one agenda item of the meeting or on the whole.",
        request=minutes_serializers.MinutesCommentCreateSerializer,
        responses={201: minutes_serializers.MinutesCommentSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        minutes = self.get_object()
        services.check_minutes_action(minutes, "comment", by=request.user)
        data = self.valid_data(request)
        item = None
        if data.get("agenda_item") is not None:
            item = AgendaItem.objects.filter(meeting_id=minutes.meeting_id, pk=data["agenda_item"]).first()
            if item is None:
                message = _("This item is not on the agenda of this meeting.")
                raise exceptions.ValidationError({"agenda_item": [message]})
        comment = services.comment_on_minutes(minutes, by=request.user, text=data["text"], agenda_item=item)
        data = minutes_serializers.MinutesCommentSerializer(comment, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
