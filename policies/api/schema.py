"""The OpenAPI schema's shared parts: the error bodies, and the errors every operation can answer, documented once.

Views document their own refusals (403, 409, 412, 413) with `errors(...)`; the generic ones that follow
from how an operation is built (401 when it needs a signed-in user, 404 for an id in the path or a page
past the end, 400 for a list's filters) are added here, so that no operation can forget them.
"""

from http import HTTPStatus

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from committee.errors import ErrorCode
from policies.workflow import WorkflowError


def error_codes() -> list[tuple[str, str]]:
    """Every `code` an error of the API can carry, with the HTTP status it answers, in order of status.

    The transport's codes (committee.errors.ErrorCode) and the domain's refusal kinds, each declared once
    with its status (policies.workflow.WorkflowError); the schema's ErrorCode enum lists them all.
    """
    statuses = {code.value: code.status for code in ErrorCode}
    statuses.update({code: kind.status for code, kind in WorkflowError.kinds.items()})
    return [
        (code, f"{status} {HTTPStatus(status).phrase}")
        for code, status in sorted(statuses.items(), key=lambda item: (item[1], item[0]))
    ]


def code_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=error_codes(),
        help_text=_("What kind of error this is, for programs: stable, unlike the message in detail."),
    )


class ErrorSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            "detail": serializers.CharField(help_text=_("What went wrong, in the caller's language.")),
            "code": code_field(),
        }


class ValidationErrorSerializer(serializers.Serializer):
    """Documented by ValidationErrorSchema below: its keys are the request's own field names."""

    def get_fields(self):
        return {"code": code_field()}


class ValidationErrorSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def map_serializer(self, auto_schema, direction):
        messages = {"type": "array", "items": {"type": "string"}}
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {
            "type": "object",
            "description": str(
                _(
                    "Either {detail: message} about the request as a whole, or {field: [messages]} for each field "
                    "in error (nested fields as nested objects, errors about the whole object under "
                    "non_field_errors)."
                )
            ),
            "properties": {"detail": {"type": "string"}, "non_field_errors": messages, **schema["properties"]},
            "required": schema["required"],
            "additionalProperties": {"anyOf": [messages, {"type": "object", "additionalProperties": True}]},
        }


class StrictFieldsSchema(OpenApiSerializerExtension):
    """A serializer that refuses fields it does not know (StrictFieldsMixin) says so: no additional properties."""

    target_class = "policies.api.serializers.StrictFieldsMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


# DRF refuses the NUL character in text input (400), and PostgreSQL could not store it; it trims whitespace
# (Python's idea of it) before refusing a blank required text. The schema says both, as patterns.
WHITESPACE = "".join(f"\\u{code:04x}" for code in range(0x10000) if chr(code).isspace())
NO_NUL = "^[^\\x00]*$"
NOT_BLANK = f"^[^\\x00]*[^\\x00{WHITESPACE}][^\\x00]*$"
SEARCH_PARAMETERS = {"search"}


def forbid_null_characters(result, generator, request, public):
    """drf-spectacular postprocessing hook: text in request bodies and searches cannot hold NUL characters."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                forbid_nul_in(field)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in SEARCH_PARAMETERS:
                    forbid_nul_in(parameter["schema"])
    return result


def forbid_nul_in(schema: dict) -> None:
    if schema.get("type") == "array":
        forbid_nul_in(schema.get("items", {}))
    elif schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) > 0 else NO_NUL


ERROR_DESCRIPTIONS = {
    400: _("Invalid input: field errors as {field: [messages]}, or {detail}."),
    401: _("Not authenticated."),
    403: _("Your role does not allow this on this object."),
    404: _("No such object, or not visible to you."),
    409: _("The object's state does not allow this."),
    412: _("If-Match (or version) is stale: someone changed the object since you read it."),
    413: _("The file is larger than the limit."),
    429: _("Too many attempts; retry later."),
}


def error_response(code: int, description=None) -> OpenApiResponse:
    body = ValidationErrorSerializer if code == 400 else ErrorSerializer
    return OpenApiResponse(body, description=description or ERROR_DESCRIPTIONS[code])


def errors(*codes) -> dict:
    """Error responses for extend_schema(responses=...)."""
    return {code: error_response(code) for code in codes}


class AutoSchema(SpectacularAutoSchema):
    # Only a GET lists: a POST that creates several objects answers them as a plain array, unfiltered.
    def is_listing(self) -> bool:
        return self.method == "GET" and self._is_list_view()

    def _get_paginator(self):
        return super()._get_paginator() if self.is_listing() else None

    def get_filter_backends(self):
        return super().get_filter_backends() if self.is_listing() else []

    def implicit_errors(self) -> list[int]:
        codes = []
        if any(isinstance(permission, IsAuthenticated) for permission in self.view.get_permissions()):
            codes.append(401)
        if self.is_listing():
            codes.append(400)  # a filter's value the list cannot use
            codes.append(404)  # a page past the end
        if "{" in self.path:
            codes.append(404)
        return codes

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code in self.implicit_errors():
            if str(code) not in bodies:
                bodies[str(code)] = self._get_response_for_code(error_response(code), str(code), direction=direction)
        return dict(sorted(bodies.items()))
