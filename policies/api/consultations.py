"""The consultations endpoint: asking agencies for opinions, answering, and the secretariat's extend, close and
withdraw. Thin: querysets from the permission policy, writes through the consultation verbs."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from committee.directory.scope import scope_of
from policies import permissions, services
from policies.models import Consultation

from . import filters, serializers
from .base import RestrictedViewSet
from .exports import FORMAT_PARAMETER, SPREADSHEET_RESPONSES, ExportableList
from .schema import errors

_ENDED = (
    "Only a consultation still awaiting its opinion (status `open`) can be {verb} (else 409 `invalid_state`); "
    "the consulted agency's liaisons are told by notification and email. Secretariat of the proposal's "
    "committee only (else 403)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List consultations on proposals you may see",
        parameters=[FORMAT_PARAMETER],
        responses={
            (200, "application/json"): serializers.ConsultationSerializer,
            **SPREADSHEET_RESPONSES,
            **errors(400, 401, 403),
        },
    ),
    retrieve=extend_schema(
        summary="One consultation", responses={200: serializers.ConsultationSerializer, **errors(401, 404)}
    ),
)
class ConsultationViewSet(ExportableList, mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    queryset = Consultation.objects.all()
    visible = staticmethod(permissions.visible_consultations)
    serializer_class = serializers.ConsultationSerializer
    filterset_class = filters.ConsultationFilter
    ordering_fields = ["deadline", "requested_at", "answered_at"]
    ordering = ["deadline", "id"]

    def optimise(self, queryset):
        related = queryset.select_related("proposal", "agency", "requested_by", "answered_by")
        return related.prefetch_related("attachments")

    def get_serializer_class(self):
        return {
            "create": serializers.ConsultationRequestSerializer,
            "opinion": serializers.OpinionSerializer,
            "extend": serializers.ExtensionSerializer,
            "close": serializers.ReasonSerializer,
            "withdraw": serializers.ReasonSerializer,
        }.get(self.action, serializers.ConsultationSerializer)

    def represent(self, consultation) -> Response:
        fresh = self.optimise(self.get_queryset()).get(pk=consultation.pk)
        return Response(serializers.ConsultationSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Ask agencies for their opinion (secretariat)",
        description="One agency or several. Give `deadline` (a date) or `working_days` (Korean working days from "
        "today), not both. The proposal must be submitted or under review (else 409).",
        request=serializers.ConsultationRequestSerializer,
        responses={201: serializers.ConsultationSerializer(many=True), **errors(400, 401, 403, 409)},
    )
    def create(self, request, *args, **kwargs):
        if not scope_of(request.user).is_secretariat:
            raise exceptions.PermissionDenied(_("Only the secretariat may request opinions."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        consultations = services.request_consultations(
            data["proposal"],
            by=request.user,
            agencies=data["agencies"],
            deadline=data.get("deadline"),
            working_days=data.get("working_days"),
            question=data["question"],
        )
        fresh = self.optimise(self.get_queryset()).filter(pk__in=[c.pk for c in consultations])
        data = serializers.ConsultationSerializer(fresh, many=True, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Give or revise your agency's opinion",
        description="By liaisons of the consulted agency. On time until the end of the deadline day (KST), when it "
        "may also be revised; after the deadline an open consultation still takes one opinion, marked `late`, "
        "until the secretariat closes or withdraws it (then 409). A position other than concur needs an "
        "opinion text.",
        request=serializers.OpinionSerializer,
        responses={200: serializers.ConsultationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        consultation = self.get_object()
        services.require_opinion_giver(consultation, by=request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answered = services.give_opinion(consultation, by=request.user, **serializer.validated_data)
        return self.represent(answered)

    @extend_schema(
        summary="Extend the deadline (secretariat)",
        description="Give a later `deadline` (a date) or `working_days` from today, not both; it must be later than "
        "the current deadline and not in the past (else 400). An open or answered consultation on a proposal "
        "not yet decided or withdrawn (else 409). The consulted agency's liaisons are told.",
        request=serializers.ExtensionSerializer,
        responses={200: serializers.ConsultationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        consultation = self.get_object()
        services.require_consultation_manager(consultation, by=request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extended = services.extend_consultation(
            consultation, by=request.user, deadline=data.get("deadline"), working_days=data.get("working_days")
        )
        return self.represent(extended)

    @extend_schema(
        summary="Close: the opinion is no longer needed (secretariat)",
        description=_ENDED.format(verb="closed"),
        request=serializers.ReasonSerializer,
        responses={200: serializers.ConsultationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._end(services.close_consultation)

    @extend_schema(
        summary="Withdraw the request (secretariat)",
        description=_ENDED.format(verb="withdrawn"),
        request=serializers.ReasonSerializer,
        responses={200: serializers.ConsultationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._end(services.withdraw_consultation)

    def _end(self, verb) -> Response:
        consultation = self.get_object()
        services.require_consultation_manager(consultation, by=self.request.user)
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return self.represent(verb(consultation, by=self.request.user, reason=serializer.validated_data["reason"]))
