"""The API's pagination, every list's, the notifications' included (DEFAULT_PAGINATION_CLASS; its own module:
DRF reads the setting when rest_framework.generics is imported)."""

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # A page size that is not a number is a mistake to report; one below 1 means the default.
        value = request.query_params.get(self.page_size_query_param)
        if value is not None and not re.fullmatch(r"[-+]?\d+", value.strip()):
            raise exceptions.ValidationError({self.page_size_query_param: [_("A whole number is required.")]})
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        # DRF reads an empty `page=` as page 1; the schema says a whole number (or `last`), so say so.
        value = request.query_params.get(self.page_query_param)
        if value is not None and value not in self.last_page_strings and not re.fullmatch(r"[-+]?\d+", value.strip()):
            raise exceptions.ValidationError({self.page_query_param: [_("A whole number is required.")]})
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Results per page: at most %(max)d; below 1 means the default, %(default)d.")
                    % {"max": self.max_page_size, "default": self.page_size}
                )
        return parameters
