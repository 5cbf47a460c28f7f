"""The API's door: a token for a password, revoking it, and the login throttle by trusted client address.

Tokens themselves (storage, idle expiry, revocation with the password) live in committee/directory/tokens.py.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from committee.directory import tokens, twofactor
from committee.directory.auth import client_address

from . import serializers
from .parsers import JSONParser
from .schema import error_response, errors


class LoginRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting per client address as the sign-in lockout does (NUM_PROXIES)."""

    def get_ident(self, request):
        return client_address(request)

    @property
    def THROTTLE_RATES(self):  # DRF reads its class attribute, fixed at import: read the setting per request
        return api_settings.DEFAULT_THROTTLE_RATES


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's `Authorization: Token <token>` scheme, under the name it always had."""

    target_class = "committee.directory.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class TokenView(APIView):
    """POST: a new token for a username and password (anyone, throttled). DELETE: revoke the token sent."""

    throttle_scope = "login"
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    http_method_names = ["post", "delete", "options"]

    def _method(self) -> str | None:
        # The schema generator asks before there is a request.
        return getattr(self.request, "method", None)

    def get_authenticators(self):
        # Asking for a token needs no credentials (a stale session or token must not stand in the way);
        # revoking needs the token itself: a session has no token to revoke.
        return [tokens.ApiTokenAuthentication()] if self._method() == "DELETE" else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._method() == "DELETE" else []

    def get_throttles(self):
        return [LoginRateThrottle()] if self._method() == "POST" else []

    @extend_schema(
        summary="Get an API token",
        description=(
            "Send it as `Authorization: Token <token>`. It expires after the idle period without use "
            "(each use moves `expiry` on), when revoked (DELETE, or the portal's settings page), and when the "
            "password changes or the account is deactivated. A user with two-factor authentication also sends "
            "`otp`: the code from the authenticator app, or a recovery code. Too many attempts -> 429."
        ),
        auth=[],
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: error_response(
                400, _("Wrong username or password, a missing field, a wrong code, or a malformed body.")
            ),
            **errors(429),
        },
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # Two-factor users send their code here too; a secretariat that must enrol is refused until it has.
        twofactor.check_second_factor(user, request.data.get("otp"), request)
        token, secret = tokens.issue_token(user)
        return Response(serializers.TokenSerializer({"token": secret, "expiry": token.expiry}).data)

    @extend_schema(
        summary="Revoke this token",
        description="Revokes the token that authenticates this request; the user's other tokens keep working.",
        request=None,
        responses={204: OpenApiResponse(description="Revoked: the token no longer authenticates."), **errors(401)},
    )
    def delete(self, request):
        tokens.revoke_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
