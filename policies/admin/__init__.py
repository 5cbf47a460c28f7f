"""The secretariat's admin: every model of the committee's work, with access from policies.permissions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import decisions, meetings, proposals, reference  # noqa: F401  (registers the model admins)

admin.site.site_header = _("Bio Committee Desk – secretariat")
admin.site.site_title = _("Bio Committee Desk")
admin.site.index_title = _("Secretariat")
