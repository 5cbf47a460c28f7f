"""Error answers of last resort: JSON `{"detail": ...}` for anything under /api/, Django's HTML pages elsewhere.

DRF answers the errors its views raise; these handlers answer what never reaches a view (an unmatched
path, a bad Host header, an oversized body) and what escapes one (a crash), so that an API client never
has to parse an HTML page. The portal and the admin keep Django's pages.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


def bad_request(request, exception):
    if is_api(request):
        return json_error(_("Bad request."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return json_error(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return json_error(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return json_error(_("Internal server error: the failure is logged; try again later."), 500)
    return defaults.server_error(request)
