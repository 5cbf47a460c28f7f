"""Shared API behaviour: the exception handler, the restricted base viewset, pagination and If-Match."""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from committee.errors import ErrorCode, error_body
from committee.pagination import Pagination
from policies.workflow import WorkflowError

# Keys of every error body; a request field of the same name has its messages under non_field_errors.
RESERVED_KEYS = ("detail", "code")


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


def flat_messages(value) -> list[str]:
    if isinstance(value, dict):
        return [message for item in value.values() for message in flat_messages(item)]
    if isinstance(value, list):
        return [message for item in value for message in flat_messages(item)]
    return [str(value)]


def with_code(data, code: str) -> dict:
    """An error body with its stable `code` beside the messages, whatever shape the messages came in."""
    if not isinstance(data, dict):
        # Errors not about one field (a search with a NUL byte, say) still answer {"detail": "..."}.
        return error_body(" ".join(flat_messages(data)), code)
    body = dict(data)
    for key in RESERVED_KEYS:
        if key in body and not isinstance(body[key], str):  # a field the client named "code" or "detail"
            moved = [f"{key}: {message}" for message in flat_messages(body.pop(key))]
            body[api_settings.NON_FIELD_ERRORS_KEY] = [*body.get(api_settings.NON_FIELD_ERRORS_KEY, []), *moved]
    body["code"] = str(code)
    return body


def domain_error_response(exc) -> Response | None:
    """The answer to what the domain and the database raise; None for what DRF answers itself."""
    if isinstance(exc, WorkflowError):
        return Response(error_body(exc.message, exc.code), status=exc.status)
    if isinstance(exc, ValidationError):
        return Response(with_code(validation_error_body(exc), ErrorCode.VALIDATION), status=400)
    if isinstance(exc, ProtectedError):
        message = _("This object is still referenced by others and cannot be deleted.")
        return Response(error_body(message, ErrorCode.IN_USE), status=ErrorCode.IN_USE.status)
    if isinstance(exc, ObjectDoesNotExist):
        # A row disappeared between the lookup and the verb (deleted concurrently).
        return Response(error_body(_("Not found."), ErrorCode.NOT_FOUND), status=ErrorCode.NOT_FOUND.status)
    if isinstance(exc, DataError):
        # Values the database cannot hold (numbers out of range) are the client's mistake, not a crash.
        message = _("A value is out of the accepted range.")
        return Response(error_body(message, ErrorCode.VALIDATION), status=ErrorCode.VALIDATION.status)
    return None


def code_of(exc, status_code: int) -> ErrorCode:
    """The stable code of an error DRF answered: its exception's own code, which keeps DRF's names."""
    if isinstance(exc, exceptions.ValidationError):
        return ErrorCode.VALIDATION
    if isinstance(exc, Http404):
        return ErrorCode.NOT_FOUND
    if isinstance(exc, PermissionDenied):
        return ErrorCode.PERMISSION_DENIED
    try:
        return ErrorCode(getattr(exc, "default_code", None))
    except ValueError:
        # An exception class this API does not know (DRF's bare APIException says "error"): by its status.
        fallback = ErrorCode.SERVER_ERROR if status_code >= 500 else ErrorCode.BAD_REQUEST
        return next((code for code in ErrorCode if code.status == status_code), fallback)


def exception_handler(exc, context):
    """DRF's handler, plus the domain's refusals at the status they carry; every answer says its `code`."""
    response = domain_error_response(exc)
    if response is not None:
        set_rollback()
        return response
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = with_code(response.data, code_of(exc, response.status_code))
    return response


class JSONErrorsMixin:
    """Errors of a view that renders something else on success (the schema as YAML, the docs as HTML) answer JSON."""

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(response, "exception", False):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


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
