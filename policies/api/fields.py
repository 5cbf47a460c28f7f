"""Serializer fields: relations by acronym or code, and "not yet" as null rather than a blank string."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS, ManyRelatedField

from committee.directory.models import Agency, Committee
from policies import permissions
from policies.models import Consultation, PolicyArea


class CodesField(ManyRelatedField):
    """Several codes: a JSON array, not any iterable (DRF's own would read an object's keys as the codes)."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class CodeField(serializers.SlugRelatedField):
    @classmethod
    def many_init(cls, *args, **kwargs):
        shared = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return CodesField(child_relation=cls(*args, **kwargs), **shared)


def agency_field(**kwargs):
    return CodeField(slug_field="acronym", queryset=Agency.objects.filter(is_active=True), **kwargs)


def area_field(**kwargs):
    return CodeField(slug_field="code", queryset=PolicyArea.objects.filter(is_active=True), **kwargs)


def committee_field(**kwargs):
    return CodeField(slug_field="code", queryset=Committee.objects.filter(is_active=True), **kwargs)


class StrictBooleanField(serializers.BooleanField):
    """true or false, as the schema says; not 1, "yes" or "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


# "Not yet" is stored blank but travels as null, so the documented enum or format holds only real values.
class BlankAsNullMixin:
    def to_representation(self, value):
        return None if value == "" else super().to_representation(value)


class OptionalChoiceField(BlankAsNullMixin, serializers.ChoiceField):
    pass


class OptionalURLField(BlankAsNullMixin, serializers.URLField):
    pass


class OptionalEmailField(BlankAsNullMixin, serializers.EmailField):
    pass


def position_field():
    return OptionalChoiceField(
        choices=Consultation.Position.choices,
        read_only=True,
        allow_null=True,
        help_text=_("The agency's position; null until it answers."),
    )


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class AllowedActionsField(serializers.Field):
    """What the requesting user may do to the object now: the actions its workflow table offers them."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj) -> list[str]:
        return permissions.allowed_actions(self.context["request"].user, obj)
