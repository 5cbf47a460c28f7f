"""The files of an opinion or a progress report as download links on the admin's read-only inlines."""

from django.urls import reverse
from django.utils.html import format_html_join


def file_links(files, url_name: str) -> str:
    """Links through the portal's download views, which check visibility; /media/ is never served directly."""
    links = format_html_join(
        ", ", '<a href="{}">{}</a>', ((reverse(url_name, args=[stored.pk]), stored.original_name) for stored in files)
    )
    return links or "—"
