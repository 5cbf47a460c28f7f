"""The meeting change page's links to the meeting's papers (served, permission-checked, by the portal)."""

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ShowsPapers:
    """A read-only `papers` field: each kind's newest version first, then the older ones."""

    @admin.display(description=_("papers"))
    def papers(self, obj):
        documents = list(obj.documents.all()) if obj is not None and obj.pk else []
        if not documents:
            return gettext("No paper has been built yet.")
        rows = (
            (
                reverse("portal:meeting_paper_version", args=[obj.pk, document.kind, document.version]),
                document.get_kind_display(),
                gettext("version %(version)s") % {"version": document.version},
                timezone.localtime(document.built_at).strftime("%Y-%m-%d %H:%M"),
            )
            for document in documents
        )
        return format_html("<ul>{}</ul>", format_html_join("", '<li><a href="{}">{} ({})</a> {}</li>', rows))
