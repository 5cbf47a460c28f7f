"""Meetings, decisions and follow-up actions through the API: read by the committee, run by its secretariat.

Every write is one service verb, so the API refuses exactly what the admin refuses, with the same words. What
the caller may not see answers 404; where it can be known before the body is read, the role (403) and the state
(409 `invalid_state`) are refused first, then the input (400), then the rest of the verb's rules (400, 409,
`meeting_not_started` for what can be recorded only once a meeting has started).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from policies import permissions, services
from policies.models import AgendaItem, Decision, FollowUpAction, Meeting
from policies.queries.carry_over import agenda_suggestions

from . import filters, serializers
from .base import RestrictedViewSet
from .exports import FORMAT_PARAMETER, SPREADSHEET_RESPONSES, ExportableList
from .schema import errors
from .serializers.minutes import PublicSummarySerializer

ITEM_ID = OpenApiParameter("item_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="An agenda item's id.")


def require_secretariat(request, message) -> None:
    """Refuse before reading the body: a caller who staffs no committee learns that, not what to type."""
    if not permissions.scope_of(request.user).is_secretariat:
        raise exceptions.PermissionDenied(message)


@extend_schema_view(
    list=extend_schema(
        summary="List meetings of your committees", responses={200: serializers.MeetingSerializer, **errors(400, 401)}
    ),
    retrieve=extend_schema(
        summary="One meeting with its agenda and attendance",
        responses={200: serializers.MeetingSerializer, **errors(401, 404)},
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = Meeting.objects.all()
    visible = staticmethod(permissions.visible_meetings)
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    search_fields = ["title", "location"]
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["-starts_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def optimise(self, queryset):
        return queryset.select_related("committee").prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("proposal", "presenter", "decision")),
            "attendances__member",
        )

    def get_serializer_class(self):
        return {
            "create": serializers.MeetingCreateSerializer,
            "partial_update": serializers.MeetingUpdateSerializer,
            "items": serializers.AgendaItemCreateSerializer,
            "reorder": serializers.AgendaOrderSerializer,
            "cancel": serializers.CancelSerializer,
            "attendance": serializers.AttendanceRecordSerializer,
        }.get(self.action, serializers.MeetingSerializer)

    def valid_data(self, request) -> dict:
        serializer = self.get_serializer(data=request.data, partial=self.action == "partial_update")
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def represent(self, meeting, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=meeting.pk)
        data = serializers.MeetingSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Call a meeting (secretariat)",
        description="A place or an online link is required; it ends after it starts, and the submission cut-off "
        "comes before the start. Planned until its agenda is published.",
        request=serializers.MeetingCreateSerializer,
        responses={201: serializers.MeetingSerializer, **errors(400, 401, 403)},
    )
    def create(self, request, *args, **kwargs):
        require_secretariat(request, _("Only the committee's secretariat may call meetings."))
        data = self.valid_data(request)
        meeting = services.create_meeting(by=request.user, committee=data.pop("committee"), **data)
        return self.represent(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a meeting's time, place or title (secretariat)",
        description="Until it is held or cancelled. A published invitation is sent again, updated in calendars.",
        request=serializers.MeetingUpdateSerializer,
        responses={200: serializers.MeetingSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "change", by=request.user)
        changed = services.update_meeting(meeting, by=request.user, changes=self.valid_data(request))
        return self.represent(changed)

    @extend_schema(
        summary="Put an item on the agenda (secretariat)",
        description="An accepted proposal of the committee (it becomes scheduled) or a report or briefing with its "
        "own title, placed last. Until the meeting is held or cancelled.",
        request=serializers.AgendaItemCreateSerializer,
        responses={201: serializers.AgendaItemSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "change", by=request.user)
        item = services.add_agenda_item(meeting, by=request.user, **self.valid_data(request))
        item = AgendaItem.objects.select_related("proposal", "presenter").get(pk=item.pk)
        data = serializers.AgendaItemSerializer(item, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="What to carry over onto the agenda (secretariat)",
        description="While the agenda can change (planned or agenda published; else 409), what the committee's "
        "secretariat may want on it, each with why: proposals deferred at earlier meetings (most deferrals "
        "first), other accepted proposals not yet scheduled (longest waiting first), follow-up actions of the "
        "committee's decisions that are overdue or reported done and awaiting verification (as report items), "
        "then minutes awaiting approval. Nothing already on this agenda. Members and liaisons who see the "
        "meeting get 403; put a suggestion on the agenda with `POST .../items/`.",
        request=None,
        responses={200: serializers.AgendaSuggestionSerializer(many=True), **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def suggestions(self, request, pk=None):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "change", by=request.user)
        offered = agenda_suggestions(meeting, user=request.user)
        return Response(serializers.AgendaSuggestionSerializer(offered, many=True).data)

    @extend_schema(
        summary="Take an item off the agenda (secretariat)",
        description="Its proposal goes back to accepted; a decided item stays (409). Answers the meeting.",
        parameters=[ITEM_ID],
        request=None,
        responses={200: serializers.MeetingSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>[0-9]{1,18})", url_name="item")
    def item(self, request, pk=None, item_id=None):
        meeting = self.get_object()
        item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
        if item is None:
            raise exceptions.NotFound(_("This meeting's agenda has no such item."))
        services.remove_agenda_item(item, by=request.user)
        return self.represent(meeting)

    @extend_schema(
        summary="Reorder the agenda (secretariat)",
        description="Give every item id of the agenda exactly once, in the new order.",
        request=serializers.AgendaOrderSerializer,
        responses={200: serializers.MeetingSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "change", by=request.user)
        services.reorder_agenda(meeting, by=request.user, item_ids=self.valid_data(request)["items"])
        return self.represent(meeting)

    @extend_schema(
        summary="Publish the agenda (secretariat)",
        description="A planned meeting with at least one item; members and the presenting agencies are invited.",
        request=None,
        responses={200: serializers.MeetingSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self.represent(services.publish_agenda(self.get_object(), by=request.user))

    @extend_schema(
        summary="Cancel a meeting (secretariat)",
        description="Undecided proposals on its agenda go back to accepted; if the agenda was published, invitees "
        "are told. The reason is optional.",
        request=serializers.CancelSerializer,
        responses={200: serializers.MeetingSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "cancel", by=request.user)
        reason = self.valid_data(request)["reason"]
        return self.represent(services.cancel_meeting(meeting, by=request.user, reason=reason))

    @extend_schema(
        summary="Record a member's attendance (secretariat)",
        description="Once the meeting has started (else 409 `meeting_not_started`), for a member of the committee "
        "on the meeting day; recording again replaces the member's entry.",
        request=serializers.AttendanceRecordSerializer,
        responses={200: serializers.AttendanceSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        services.check_meeting_action(meeting, "record_attendance", by=request.user)
        attendance = services.record_attendance(meeting, by=request.user, **self.valid_data(request))
        return Response(serializers.AttendanceSerializer(attendance, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Mark a meeting as held (secretariat)",
        description="A meeting whose agenda was published, once it has started (else 409 `meeting_not_started`).",
        request=None,
        responses={200: serializers.MeetingSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        return self.represent(services.mark_meeting_held(self.get_object(), by=request.user))


@extend_schema_view(
    list=extend_schema(
        summary="List decisions of your committees",
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): serializers.DecisionSerializer,
            **SPREADSHEET_RESPONSES,
            **errors(400, 401, 403),
        },
    ),
    retrieve=extend_schema(summary="One decision", responses={200: serializers.DecisionSerializer, **errors(401, 404)}),
)
class DecisionViewSet(ExportableList, mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = Decision.objects.all()
    visible = staticmethod(permissions.visible_decisions)
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter
    search_fields = ["number", "resolution", "agenda_item__proposal__title"]
    ordering_fields = ["decided_at", "number"]
    ordering = ["-decided_at", "-id"]

    def optimise(self, queryset):
        return queryset.select_related("agenda_item__meeting__committee", "agenda_item__proposal").prefetch_related(
            "follow_up_actions"
        )

    def get_serializer_class(self):
        return {
            "create": serializers.DecisionRecordSerializer,
            "publish": PublicSummarySerializer,
        }.get(self.action, serializers.DecisionSerializer)

    def represent(self, decision) -> Response:
        fresh = self.get_queryset().get(pk=decision.pk)
        return Response(serializers.DecisionSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Make a decision public (secretariat)",
        description="Lists it in the public register with a summary for the public, which may differ from the "
        "resolution; only once the minutes of its meeting are final (else 409 `invalid_state`). Sending a new "
        "summary for a public decision replaces it.",
        request=PublicSummarySerializer,
        responses={200: serializers.DecisionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        decision = self.get_object()
        require_secretariat(request, _("Only the committee's secretariat may make decisions public."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        summary = serializer.validated_data["summary"]
        return self.represent(services.make_decision_public(decision, summary=summary, by=request.user))

    @extend_schema(
        summary="Withdraw a decision from the public register (secretariat)",
        description="A decision that is not public answers 409.",
        request=None,
        responses={200: serializers.DecisionSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self.represent(services.withdraw_from_public(self.get_object(), by=request.user))

    @extend_schema(
        summary="Record the decision on an agenda item (secretariat)",
        description=(
            "On an item for decision of a meeting whose agenda is published, once the meeting has started (else "
            "409 `meeting_not_started`); a quorum is needed unless deferred. Votes are all given or none, never "
            "more than the members counted present, and agree with the outcome by simple majority of votes cast "
            "(more for than against; a rejection is a motion that did not carry) unless `outcome_basis` says "
            "why the outcome stands otherwise (e.g. consensus without a vote). An item you cannot see is "
            "reported as not existing (400)."
        ),
        request=serializers.DecisionRecordSerializer,
        responses={201: serializers.DecisionSerializer, **errors(400, 401, 403, 409)},
    )
    def create(self, request, *args, **kwargs):
        require_secretariat(request, _("Only the committee's secretariat may record decisions."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        decision = services.record_decision(data.pop("agenda_item"), by=request.user, **data)
        fresh = self.get_queryset().get(pk=decision.pk)
        data = serializers.DecisionSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List follow-up actions you may see",
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): serializers.FollowUpActionSerializer,
            **SPREADSHEET_RESPONSES,
            **errors(400, 401, 403),
        },
    ),
    retrieve=extend_schema(
        summary="One follow-up action with its progress reports",
        responses={200: serializers.FollowUpActionSerializer, **errors(401, 404)},
    ),
)
class FollowUpActionViewSet(ExportableList, mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = FollowUpAction.objects.all()
    visible = staticmethod(permissions.visible_actions)
    serializer_class = serializers.FollowUpActionSerializer
    filterset_class = filters.FollowUpActionFilter
    search_fields = ["title", "description"]
    ordering_fields = ["due_date", "created_at", "percent_complete"]
    ordering = ["due_date", "id"]

    def optimise(self, queryset):
        # The meeting gives the action's committee, which decides whether the reader acts as its secretariat.
        return queryset.select_related(
            "decision__agenda_item__proposal", "decision__agenda_item__meeting", "agency"
        ).prefetch_related("progress_reports__reported_by", "progress_reports__attachments")

    def get_serializer_class(self):
        return {
            "create": serializers.FollowUpAssignSerializer,
            "progress": serializers.ProgressSerializer,
            "reopen": serializers.ReopenSerializer,
        }.get(self.action, serializers.FollowUpActionSerializer)

    def represent(self, follow_up, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=follow_up.pk)
        data = serializers.FollowUpActionSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    @extend_schema(
        summary="Assign a follow-up action (secretariat)",
        description="After an adopted decision (else 409), to an agency, due today (KST) or later.",
        request=serializers.FollowUpAssignSerializer,
        responses={201: serializers.FollowUpActionSerializer, **errors(400, 401, 403, 409)},
    )
    def create(self, request, *args, **kwargs):
        require_secretariat(request, _("Only the committee's secretariat may assign follow-up actions."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        assigned = services.assign_follow_up_action(data.pop("decision"), by=request.user, **data)
        return self.represent(assigned, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report progress on an action (responsible agency)",
        description="`reports_done` sets 100% and awaits the secretariat's verification; a done action answers 409.",
        request=serializers.ProgressSerializer,
        responses={201: serializers.ProgressReportSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        follow_up = self.get_object()
        services.require_progress_reporter(follow_up, by=request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_progress(follow_up, by=request.user, **serializer.validated_data)
        return Response(serializers.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Verify an action reported done (secretariat)",
        request=None,
        responses={200: serializers.FollowUpActionSerializer, **errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self.represent(services.verify_action(self.get_object(), by=request.user))

    @extend_schema(
        summary="Reopen an action reported done (secretariat)",
        description="The comment says why; it is kept as a progress report and the action is in progress again.",
        request=serializers.ReopenSerializer,
        responses={200: serializers.FollowUpActionSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        follow_up = self.get_object()
        services.check_step(follow_up, "reopen", by=request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reopened = services.reopen_action(follow_up, by=request.user, comment=serializer.validated_data["comment"])
        return self.represent(reopened)
