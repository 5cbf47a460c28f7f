"""The API's content negotiation (its own module: DRF reads the setting when rest_framework.views is imported)."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """`?format=` names one of the view's formats. DRF alone ignores an empty one (answering JSON to a request the
    schema calls invalid) and answers an unknown one 404, as if the list did not exist."""

    def select_renderer(self, request, renderers, format_suffix=None):
        parameter = self.settings.URL_FORMAT_OVERRIDE
        requested = request.query_params.get(parameter)
        offered = [renderer.format for renderer in renderers]
        if requested is not None and requested not in offered:
            message = _("Choose one of: %(formats)s.") % {"formats": ", ".join(offered)}
            raise exceptions.ValidationError({parameter: [message]})
        return super().select_renderer(request, renderers, format_suffix)
