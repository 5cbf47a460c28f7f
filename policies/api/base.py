"""Shared API behaviour: the exception handler, the restricted base viewset, pagination and If-Match."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import DataError
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from policies.services import AttachmentTooLarge
from policies.workflow import InvalidState, NotPermitted, StaleVersion, WorkflowError

# One place that says which refusal of the domain is which HTTP answer.
WORKFLOW_STATUS = (
    (AttachmentTooLarge, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    (StaleVersion, status.HTTP_412_PRECONDITION_FAILED),
    (NotPermitted, status.HTTP_403_FORBIDDEN),
    (InvalidState, status.HTTP_409_CONFLICT),
)


def validation_error_body(error: ValidationError):
    """Field errors as {"field": ["message", ...]}; errors about the whole object as {"detail": "..."}."""
    if hasattr(error, "error_dict"):
        messages = {field: [str(m) for m in errors] for field, errors in error.message_dict.items()}
        whole = messages.pop(NON_FIELD_ERRORS, None)
        if whole and not messages:
            return {"detail": " ".join(whole)}
        if whole:
            messages[api_settings.NON_FIELD_ERRORS_KEY] = whole
        return messages
    return {"detail": " ".join(str(m) for m in error.messages)}


def exception_handler(exc, context):
    """DRF's handler, plus the domain's refusals mapped to their HTTP status with a readable reason."""
    response = None
    if isinstance(exc, WorkflowError):
        code = next((code for cls, code in WORKFLOW_STATUS if isinstance(exc, cls)), status.HTTP_409_CONFLICT)
        response = Response({"detail": str(exc.message)}, status=code)
    elif isinstance(exc, ValidationError):
        response = Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, ProtectedError):
        response = Response(
            {"detail": _("This object is still referenced by others and cannot be deleted.")},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, ObjectDoesNotExist):
        # A row disappeared between the lookup and the verb (deleted concurrently).
        response = Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    elif isinstance(exc, DataError):
        # Values the database cannot hold (numbers out of range) are the client's mistake, not a crash.
        response = Response({"detail": _("A value is out of the accepted range.")}, status=status.HTTP_400_BAD_REQUEST)
    if response is not None:
        set_rollback()
        return response
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, list):
        # Errors not about one field (a search with a NUL byte, say) still answer {"detail": "..."}.
        response.data = {"detail": " ".join(str(message) for message in response.data)}
    return response


class JSONErrorsMixin:
    """Errors of a view that renders something else on success (the schema as YAML, the docs as HTML) answer JSON."""

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # A page size that is not a number is a mistake to report; one below 1 means the default.
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not re.fullmatch(r"[-+]?\d+", value.strip()):
            raise exceptions.ValidationError({self.page_size_query_param: [_("A whole number is required.")]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Results per page: at most %(max)d; below 1 means the default, %(default)d.")
                    % {"max": self.max_page_size, "default": self.page_size}
                )
        return parameters


class RestrictedViewSet(viewsets.GenericViewSet):
    """Querysets restricted by the one permission policy: what a user may not see answers 404.

    Subclasses set `queryset` (for the schema and the base query), `visible` (a `permissions.visible_*`
    function) and `optimise(queryset)` for the joins and prefetches that keep lists at a constant
    number of queries.
    """

    visible = None
    pagination_class = Pagination

    def get_queryset(self):
        queryset = self.optimise(super().get_queryset())
        return type(self).visible(self.request.user, queryset)

    def optimise(self, queryset):
        return queryset


# --- optimistic concurrency ----------------------------------------------------------------------

_ETAG = re.compile(r'(?:W/)?"(\d{1,9})"|(\d{1,9})', re.ASCII)


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version_from(request, body_version: int | None = None) -> int | None:
    """The version the client last read: If-Match if sent, else the body's `version`, else None.

    Without either the write is unconditional (last write wins); `*` means "any version".
    """
    header = request.headers.get("If-Match")
    if header is None:
        return body_version
    header = header.strip()
    if header == "*":
        return None
    match = _ETAG.fullmatch(header)
    if not match:
        raise exceptions.ParseError(_('If-Match must be one ETag as returned by this API, such as "3".'))
    return int(match.group(1) or match.group(2))
