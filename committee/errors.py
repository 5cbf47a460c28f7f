"""The API's error vocabulary, and the error answers of last resort: JSON under /api/, Django's pages elsewhere.

Every error the API answers is `{"detail": message, "code": code}` (field errors add `{field: [messages]}`):
`detail` is for people, in their language, and may change; `code` is for programs and never does. The
codes below are those of the transport (DRF, these handlers); the domain's refusals carry their own
(`policies.workflow.WorkflowError` and its kinds), and the schema documents both as one enum.

DRF answers the errors its views raise; these handlers answer what never reaches a view (an unmatched
path, a bad Host header, an oversized body) and what escapes one (a crash), so that an API client never
has to parse an HTML page. The portal and the admin keep Django's pages.
"""

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


class ErrorCode(StrEnum):
    """An error's stable name, and the HTTP status it answers. DRF's own codes keep DRF's names."""

    status: int

    def __new__(cls, value: str, status: int):
        member = str.__new__(cls, value)
        member._value_ = value
        member.status = status
        return member

    VALIDATION = "validation", 400  # field errors, or a rule about the whole request
    PARSE_ERROR = "parse_error", 400  # a body or header that cannot be read
    BAD_REQUEST = "bad_request", 400  # refused before any view: a bad Host header, too many fields
    NOT_AUTHENTICATED = "not_authenticated", 401
    AUTHENTICATION_FAILED = "authentication_failed", 401  # a token or password that is wrong
    PERMISSION_DENIED = "permission_denied", 403  # the endpoint is not for this caller
    SECOND_FACTOR_REQUIRED = "second_factor_required", 403  # written by committee.directory.twofactor
    NOT_FOUND = "not_found", 404
    METHOD_NOT_ALLOWED = "method_not_allowed", 405
    NOT_ACCEPTABLE = "not_acceptable", 406
    IN_USE = "in_use", 409  # still referenced by other objects, so not deleted
    TOO_LARGE = "too_large", 413  # a body over DATA_UPLOAD_MAX_MEMORY_SIZE (a file over its own limit says the same)
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", 415
    THROTTLED = "throttled", 429
    SERVER_ERROR = "server_error", 500


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def error_body(message, code: str) -> dict:
    return {"detail": str(message), "code": str(code)}


def json_error(message: str, code: ErrorCode) -> JsonResponse:
    return JsonResponse(error_body(message, code), status=code.status)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        return content_too_large(request)
    if is_api(request):
        return json_error(_("Bad request."), ErrorCode.BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(_("You do not have permission to perform this action."), ErrorCode.PERMISSION_DENIED)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return json_error(_("Not found."), ErrorCode.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return json_error(_("Internal server error: the failure is logged; try again later."), ErrorCode.SERVER_ERROR)
    return defaults.server_error(request)


def content_too_large(request):
    """413, not Django's 400: the request was well formed, only too big, and the sender should know the limit."""
    message = _("The request is larger than the limit of %(limit)s. Send less text, or files one at a time.") % {
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }
    if is_api(request):
        return json_error(message, ErrorCode.TOO_LARGE)
    return HttpResponse(loader.render_to_string("413.html", {"message": message}, request), status=413)
