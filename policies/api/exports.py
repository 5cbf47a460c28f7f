"""`?format=csv` and `?format=xlsx` on the API's lists of records: the secretariat's spreadsheets, with the same
filters, search and ordering as the JSON list (policies/exports.py writes them)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer

from committee.directory.scope import scope_of
from policies import exports
from policies.workflow import NotPermitted

from .base import JSONErrorsMixin


class _Spreadsheet(BaseRenderer):
    """Lets `?format=` (or Accept) choose a spreadsheet; the list answers the file itself, never through here."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise exceptions.NotAcceptable(_("Only lists can be exported."))


class CSVRenderer(_Spreadsheet):
    media_type, format = "text/csv", "csv"


class XLSXRenderer(_Spreadsheet):
    media_type, format = exports.CONTENT_TYPES["xlsx"], "xlsx"


FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv", "xlsx"],
    description="csv (UTF-8 with BOM) or xlsx: every matching row as a spreadsheet; the secretariat only.",
)


class ExportableList(JSONErrorsMixin):
    """Mixed into a list viewset before its base: spreadsheets of the filtered list for the secretariat; a
    refusal answers JSON, as every error of the API does."""

    def get_renderers(self):
        renderers = super().get_renderers()
        if getattr(self, "action", None) == "list" and not getattr(self, "swagger_fake_view", False):
            renderers += [CSVRenderer(), XLSXRenderer()]
        return renderers

    def list(self, request, *args, **kwargs):
        extension = request.accepted_renderer.format
        if extension not in exports.CONTENT_TYPES:
            return super().list(request, *args, **kwargs)
        if not scope_of(request.user).is_secretariat:
            raise NotPermitted(_("Only the secretariat exports lists."))
        self.paginator.check_query(request)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        return exports.http_response(queryset, extension)


# The list's other answers, for the schema: the spreadsheets `?format=` asks for.
SPREADSHEET_RESPONSES = {
    (200, "text/csv"): OpenApiTypes.BINARY,
    (200, exports.CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY,
}
