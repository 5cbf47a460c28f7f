"""Changelist buttons that export what the list shows (its filters, search and order) as CSV or XLSX."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.urls import path
from django.utils.translation import gettext as _

from policies import exports


class ExportsChangelist:
    """Mixed into a model admin whose model policies/exports.py has a table for."""

    change_list_template = "admin/policies/change_list_exports.html"

    def get_urls(self):
        opts = self.model._meta
        export = path(
            "export.<str:extension>",
            self.admin_site.admin_view(self.export_view),
            name=f"{opts.app_label}_{opts.model_name}_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request, extension: str):
        if extension not in exports.CONTENT_TYPES:
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("These filters are not valid for this list."))
        return exports.http_response(changelist.queryset, extension)
