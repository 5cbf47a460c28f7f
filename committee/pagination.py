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
        self.check_query(request)  # a page size below 1 means the default
        return super().get_page_size(request)

    def get_page_number(self, request, paginator):
        self.check_query(request)  # DRF alone reads an empty `page=` as page 1
        return super().get_page_number(request, paginator)

    def check_query(self, request):
        """Refuses a `page` or `page_size` that is not a whole number (`page` may also be `last`), as the schema
        says, even where nothing is paged: a spreadsheet export holds every row but checks them all the same."""
        for name, words in ((self.page_query_param, self.last_page_strings), (self.page_size_query_param, ())):
            value = request.query_params.get(name)
            if value is not None and value not in words and not re.fullmatch(r"[-+]?\d+", value.strip()):
                raise exceptions.ValidationError({name: [_("A whole number is required.")]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = str(
                    _("Results per page: at most %(max)d; below 1 means the default, %(default)d.")
                    % {"max": self.max_page_size, "default": self.page_size}
                )
        return parameters
