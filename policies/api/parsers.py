"""Request body parsers: DRF's, with JSON nested too deeply answering 400 instead of 500."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Nothing this API accepts is nested more than a few levels; a generous bound keeps every later step
# (validation, error messages that quote the value) far from Python's recursion limit.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit: int) -> bool:
    """Whether lists and objects in `data` nest deeper than `limit`, walked without recursion."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing documents nested deeper than MAX_JSON_DEPTH with a 400.

    Python's decoder raises RecursionError (not ValueError) at about a thousand levels, which DRF let
    through as a 500; below that, a value a few hundred levels deep could still exhaust the stack later.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = json_depth_exceeds(data, MAX_JSON_DEPTH)
        if too_deep:
            raise ParseError(
                _("JSON parse error - lists and objects may be nested at most %(depth)d levels deep.")
                % {"depth": MAX_JSON_DEPTH}
            )
        return data
