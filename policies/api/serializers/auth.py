"""The token endpoint's request and answer."""

from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, write_only=True)
    otp = serializers.CharField(
        required=False, write_only=True, help_text="Two-factor users only: a TOTP code or a recovery code."
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Shown once: only a hash of it is stored.")
    expiry = serializers.DateTimeField(
        read_only=True, help_text="When the token expires unless used; each use moves this on by the idle period."
    )
