"""Reference data: committees, agencies and policy areas, as the API shows them."""

from rest_framework import serializers

from committee.directory.models import Agency, Committee
from policies.models import (
    PolicyArea,
)


class CommitteeSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    agencies = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "code", "name_ko", "name_en", "kind", "parent", "description", "agencies", "is_active"]


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "acronym", "name_ko", "name_en", "is_active"]


class PolicyAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyArea
        fields = ["id", "code", "name_ko", "name_en", "description", "position", "is_active"]
