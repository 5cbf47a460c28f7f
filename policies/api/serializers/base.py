"""What every serializer of the API shares: the integer limits and the refusal of fields it does not accept."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


# Refuse fields the endpoint does not accept instead of silently ignoring them (state, reference, ...).
# (A comment, not a docstring: the schema would show it as every serializer's description.)
class StrictFieldsMixin:
    def to_internal_value(self, data):
        # DRF would take a number sent for a text as its digits; the schema says a string, and so do we.
        if isinstance(data, dict):
            wrong = {
                name: [field.error_messages["invalid"]]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField) and isinstance(data.get(name), int | float)
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)

    def validate(self, attrs):
        if isinstance(self.initial_data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(self.initial_data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("This field cannot be set here.")] for name in unknown})
        return super().validate(attrs)
