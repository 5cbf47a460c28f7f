"""The signed-in user: roles, memberships and digest preferences."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committee.directory.models import CommitteeMembership, profile_of, seoul_today
from policies.models import (
    DigestPreference,
)

from ..fields import (
    OptionalEmailField,
    area_field,
)
from .base import StrictFieldsMixin


class MembershipSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CommitteeMembership
        fields = ["committee", "role", "term_start", "term_end"]
        read_only_fields = fields


class RolesSerializer(serializers.Serializer):
    secretariat = serializers.ListField(
        child=serializers.CharField(), help_text=_("Codes of the committees whose secretariat you belong to.")
    )
    liaison_agency = serializers.CharField(allow_null=True, help_text=_("Acronym of the agency you are liaison of."))
    memberships = MembershipSerializer(many=True, help_text=_("Your current committee memberships."))


class DigestSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=DigestPreference.Frequency.choices, required=False)
    areas = area_field(many=True, required=False, help_text=_("Policy area codes; empty means every area."))


class MeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    email = OptionalEmailField(read_only=True, allow_null=True, help_text=_("Null when none is on file."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    digest = DigestSerializer(required=False)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "email", "roles", "language", "digest"]
        read_only_fields = ["id", "username", "first_name", "last_name", "email"]

    @extend_schema_field(RolesSerializer)
    def get_roles(self, user) -> dict:
        today = seoul_today()
        profile = profile_of(user)
        memberships = [m for m in user.memberships.select_related("committee") if m.is_current(today)]
        return {
            "secretariat": list(user.staffed_committees.order_by("code").values_list("code", flat=True)),
            "liaison_agency": profile.agency.acronym if profile and profile.agency_id else None,
            "memberships": MembershipSerializer(memberships, many=True).data,
        }

    def to_representation(self, user):
        data = super().to_representation(user)
        profile = profile_of(user)
        data["language"] = profile.language if profile else settings.LANGUAGE_CODE
        preference = DigestPreference.objects.filter(user=user).prefetch_related("areas").first()
        data["digest"] = {
            "frequency": preference.frequency if preference else DigestPreference.Frequency.WEEKLY.value,
            "areas": sorted(area.code for area in preference.areas.all()) if preference else [],
        }
        return data
