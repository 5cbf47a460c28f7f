"""Thin viewsets: querysets from the permission policy, writes through the service verbs.

Meetings, decisions and follow-up actions live in meetings.py."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from committee.directory.models import Agency, Committee
from policies import permissions, services
from policies.models import (
    Consultation,
    PolicyArea,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
)
from policies.search import PROPOSAL_FIELDS, search_proposals

from . import filters, serializers
from .base import Pagination, RestrictedViewSet, etag_for, expected_version_from
from .exports import FORMAT_PARAMETER, SPREADSHEET_RESPONSES, ExportableList
from .parsers import JSONParser
from .schema import errors

ETAG_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=r'^[ \t]*(\*|(W/)?"[0-9]{1,9}"|[0-9]{1,9})[ \t]*$',  # what expected_version_from accepts
    description=(
        'The ETag you read (e.g. "3"). Stale -> 412. Optional: without it (and without `version`) '
        "the change is unconditional, last write wins."
    ),
)


def with_etag(response: Response, proposal) -> Response:
    response["ETag"] = etag_for(proposal.version)
    return response


# --- reference data ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List committees", responses={200: serializers.CommitteeSerializer, **errors(401)}),
    retrieve=extend_schema(
        summary="One committee, by code", responses={200: serializers.CommitteeSerializer, **errors(401, 404)}
    ),
)
class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    """Committees are reference data: every authenticated user may read them."""

    queryset = Committee.objects.select_related("parent").prefetch_related("agencies")
    serializer_class = serializers.CommitteeSerializer
    pagination_class = Pagination
    lookup_field = "code"
    lookup_value_regex = "[A-Z0-9-]+"
    search_fields = ["code", "name_ko", "name_en"]
    ordering_fields = ["code"]
    filterset_class = filters.CommitteeFilter


@extend_schema_view(
    list=extend_schema(summary="List agencies", responses={200: serializers.AgencySerializer, **errors(401)}),
    retrieve=extend_schema(
        summary="One agency, by acronym", responses={200: serializers.AgencySerializer, **errors(401, 404)}
    ),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Agency.objects.all()
    serializer_class = serializers.AgencySerializer
    pagination_class = Pagination
    lookup_field = "acronym"
    lookup_value_regex = "[A-Z0-9-]+"
    search_fields = ["acronym", "name_ko", "name_en"]
    ordering_fields = ["acronym"]
    filterset_class = filters.AgencyFilter


@extend_schema_view(
    list=extend_schema(summary="List policy areas", responses={200: serializers.PolicyAreaSerializer, **errors(401)}),
    retrieve=extend_schema(
        summary="One policy area, by code", responses={200: serializers.PolicyAreaSerializer, **errors(401, 404)}
    ),
)
class PolicyAreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PolicyArea.objects.all()
    serializer_class = serializers.PolicyAreaSerializer
    pagination_class = Pagination
    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_-]+"
    search_fields = ["code", "name_ko", "name_en"]
    ordering_fields = ["position", "code"]
    filterset_class = filters.PolicyAreaFilter


# --- proposals -----------------------------------------------------------------------------------

ATTACHMENT_ID = OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)


EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    enum=["full"],
    description=(
        "`full`: each row as the proposal's own page shows it (body, timeline, consultations, attachments). "
        "Without it a row carries the proposal's facts, the opinions summed up by position and your allowed "
        "actions."
    ),
)


def expands(request) -> bool:
    """Whether the list was asked for whole proposals; any other value of `expand` is refused, not ignored."""
    value = request.query_params.get("expand")
    if value is None:
        return False
    if value != "full":  # given empty too: the schema's only value is `full`
        raise exceptions.ValidationError({"expand": [_("Use expand=full, or leave it out.")]})
    return True


@extend_schema_view(
    list=extend_schema(
        summary="List the proposals you may see",
        parameters=[FORMAT_PARAMETER, EXPAND_PARAMETER],
        responses={
            (200, "application/json"): serializers.ProposalListSerializer,
            **SPREADSHEET_RESPONSES,
            **errors(400, 401, 403),
        },
    ),
    retrieve=extend_schema(
        summary="One proposal with its timeline, consultations and attachments",
        description="The ETag header carries the version, for If-Match on PATCH.",
        responses={200: serializers.ProposalSerializer, **errors(401, 404)},
    ),
)
class ProposalViewSet(ExportableList, mixins.ListModelMixin, mixins.RetrieveModelMixin, RestrictedViewSet):
    """Proposals: other agencies' drafts are invisible (404), not forbidden."""

    queryset = Proposal.objects.all()
    visible = staticmethod(permissions.visible_proposals)
    serializer_class = serializers.ProposalSerializer
    filterset_class = filters.ProposalFilter
    search_function = staticmethod(search_proposals)
    search_fields = PROPOSAL_FIELDS  # what the search looks in, for DRF's bookkeeping
    ordering_fields = ["created_at", "updated_at", "submitted_at", "reference", "title", "state"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def optimise(self, queryset):
        # Writes look the proposal up only to lock and change it; the joins serve representations.
        if self.action == "list" and not expands(self.request):
            return self.for_list(queryset)
        return self.with_details(queryset) if self.action in ("list", "retrieve") else queryset

    @staticmethod
    def for_list(queryset):
        """What a list row needs (ProposalListSerializer): no body, no timeline, no attachments."""
        return (
            queryset.defer("body")
            .select_related("committee", "lead_agency", "policy_area")
            .prefetch_related(
                "co_sponsors",
                "secondary_areas",
                Prefetch("consultations", queryset=Consultation.objects.select_related("agency")),
            )
        )

    @staticmethod
    def with_details(queryset):
        return queryset.select_related("committee", "lead_agency", "policy_area").prefetch_related(
            "co_sponsors",
            "secondary_areas",
            "attachments",
            Prefetch("events", queryset=ProposalEvent.objects.select_related("actor")),
            Prefetch("consultations", queryset=Consultation.objects.select_related("agency")),
        )

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file's own type, whatever the client's Accept header asks for.
        return super().perform_content_negotiation(request, force=force or self.action == "attachment")

    def get_serializer_class(self):
        if self.action == "list" and not expands(self.request):
            return serializers.ProposalListSerializer
        return {
            "create": serializers.ProposalCreateSerializer,
            "partial_update": serializers.ProposalUpdateSerializer,
            "transitions": serializers.TransitionSerializer,
            "attachments": serializers.AttachmentUploadSerializer,
        }.get(self.action, serializers.ProposalSerializer)

    def represent(self, proposal, status_code=status.HTTP_200_OK) -> Response:
        """The full, fresh representation of a proposal after a write, with its ETag."""
        fresh = permissions.visible_proposals(self.request.user, self.with_details(Proposal.objects)).get(
            pk=proposal.pk
        )
        data = serializers.ProposalSerializer(fresh, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=status_code), fresh)

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        return with_etag(Response(self.get_serializer(proposal).data), proposal)

    @extend_schema(
        summary="Draft a proposal",
        description="Liaisons draft for their own agency (the default lead agency). The draft is private until "
        "submitted.",
        request=serializers.ProposalCreateSerializer,
        responses={201: serializers.ProposalSerializer, **errors(400, 401, 403)},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = services.create_proposal(
            by=request.user,
            committee=data["committee"],
            lead_agency=data.get("lead_agency"),
            title=data["title"],
            summary=data["summary"],
            body=data.get("body", ""),
            requested_decision=data["requested_decision"],
            policy_area=data["policy_area"],
            estimated_budget_krw=data.get("estimated_budget_krw"),
            co_sponsors=data.get("co_sponsors", ()),
            secondary_areas=data.get("secondary_areas", ()),
        )
        return self.represent(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Revise a draft or returned proposal",
        description=(
            "Only the lead agency, only in draft or returned. Optimistic concurrency: send the ETag you read in "
            "If-Match (or the `version` field); if someone changed the proposal since, the answer is 412 and "
            "nothing changes. Without either the change is unconditional (last write wins). Fields that "
            "cannot be changed (state, reference, committee, ...) answer 400."
        ),
        parameters=[ETAG_PARAMETER],
        request=serializers.ProposalUpdateSerializer,
        responses={200: serializers.ProposalSerializer, **errors(400, 401, 403, 404, 409, 412)},
    )
    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        services.require_editable(proposal, by=request.user)  # a refusal, not a lecture on the input
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        expected = expected_version_from(request, changes.pop("version", None))
        updated = services.update_proposal(proposal, by=request.user, changes=changes, expected_version=expected)
        return self.represent(updated)

    @extend_schema(
        summary="Move a proposal along the workflow",
        description=(
            "submit / withdraw (lead agency), start_review / return / accept (secretariat). A comment is "
            "required to return. Role forbids -> 403; state forbids -> 409. Accepting or returning a proposal "
            "whose opinions are still awaited needs `open_consultations` (`keep` or `close`); without it -> 409 "
            "with code `open_consultations`, naming the agencies."
        ),
        request=serializers.TransitionSerializer,
        responses={200: serializers.ProposalSerializer, **errors(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        proposal = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        moved = services.transition_proposal(
            proposal,
            data["action"],
            by=request.user,
            comment=data["comment"],
            open_consultations=data["open_consultations"],
        )
        return self.represent(moved)

    @extend_schema(
        summary="Attach a file",
        description="Multipart upload of `file`, by the lead agency while draft or returned. Over the size "
        "limit -> 413; a type not accepted -> 400.",
        request={"multipart/form-data": serializers.AttachmentUploadSerializer},
        responses={201: serializers.AttachmentSerializer, **errors(400, 401, 403, 404, 409, 413)},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        proposal = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.add_attachment(proposal, by=request.user, uploaded_file=serializer.validated_data["file"])
        data = serializers.AttachmentSerializer(attachment, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="Download an attachment",
        description="Only for proposals you may see; the file keeps its original name and its type.",
        parameters=[ATTACHMENT_ID],
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in settings.ATTACHMENT_CONTENT_TYPES},
            **errors(401, 404),
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove an attachment",
        parameters=[ATTACHMENT_ID],
        responses={204: None, **errors(401, 403, 404, 409)},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"attachments/(?P<attachment_id>[0-9]{1,18})",
        url_name="attachment",
    )
    def attachment(self, request, pk=None, attachment_id=None):
        proposal = self.get_object()
        attachment = ProposalAttachment.objects.filter(proposal=proposal, pk=attachment_id).first()
        if attachment is None:
            raise exceptions.NotFound(_("This proposal has no such attachment."))
        if request.method == "DELETE":
            services.remove_attachment(attachment, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            raise exceptions.NotFound(_("The stored file is missing; tell the secretariat.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )


# --- the current user ----------------------------------------------------------------------------


class MeView(APIView):
    """Who you are, your roles, your language and your digest preference."""

    serializer_class = serializers.MeSerializer
    parser_classes = [JSONParser]

    @extend_schema(summary="Who am I", responses={200: serializers.MeSerializer, **errors(401)})
    def get(self, request):
        return Response(serializers.MeSerializer(request.user, context={"request": request}).data)

    @extend_schema(
        summary="Change your language, digest preference or email choices",
        description="The digest preference is created on the first change.",
        request=serializers.MeSerializer,
        responses={200: serializers.MeSerializer, **errors(400, 401)},
    )
    def patch(self, request):
        serializer = serializers.MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        digest = data.get("digest", {})
        services.update_preferences(
            request.user,
            language=data.get("language"),
            frequency=digest.get("frequency"),
            areas=digest.get("areas"),
            email_choices=data.get("email_choices"),
        )
        request.user.refresh_from_db()
        return Response(serializers.MeSerializer(request.user, context={"request": request}).data)
