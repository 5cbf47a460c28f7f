"""The signed-in user: roles, memberships, digest preferences and how each kind of email reaches them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from committee.dates import seoul_today
from committee.directory.models import CommitteeMembership, profile_of
from committee.outbox.models import EmailChoice
from policies.models import (
    DigestPreference,
)
from policies.notifications import CHOOSABLE_KINDS, MANDATORY_KINDS
from policies.queries.preferences import email_choices_of
from policies.services.feeds import feed_path

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


class EmailChoicesSerializer(serializers.Serializer):
    """Per kind of email: "instant" (emailed now), "digest" (only listed in the digest) or "off" (no email; the
    notification still shows in the portal). Kinds a person must receive are always "instant"."""

    def get_fields(self):
        fields = {
            str(kind): serializers.ChoiceField(
                choices=EmailChoice.Delivery.choices, required=False, help_text=f"{kind.label} ({kind})"
            )
            for kind in CHOOSABLE_KINDS
        }
        for kind in sorted(MANDATORY_KINDS):
            fields[str(kind)] = serializers.ChoiceField(
                choices=[EmailChoice.Delivery.INSTANT.value],
                required=False,
                help_text=_("%(kind)s: mail a person must receive; always instant.") % {"kind": kind.label},
                error_messages={"invalid_choice": _("This kind of email cannot be turned off.")},
            )
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                message = _("There is no kind of email called this.")
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class MeSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    email = OptionalEmailField(read_only=True, allow_null=True, help_text=_("Null when none is on file."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    digest = DigestSerializer(required=False)
    email_choices = EmailChoicesSerializer(required=False)
    calendar_feed_url = serializers.SerializerMethodField(
        help_text=_("Your private calendar feed (iCalendar): meetings, your agency's deadlines and due dates.")
    )

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "roles",
            "language",
            "digest",
            "email_choices",
            "calendar_feed_url",
        ]
        read_only_fields = ["id", "username", "first_name", "last_name", "email", "calendar_feed_url"]

    def get_calendar_feed_url(self, user) -> str:
        request = self.context.get("request")
        path = feed_path(user)
        return request.build_absolute_uri(path) if request is not None else path

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
        data["email_choices"] = email_choices_of(user)
        return data
