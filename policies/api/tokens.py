"""The API's door: the login throttle by trusted client address."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from committee.directory.auth import client_address


class LoginRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, counting per client address as the sign-in lockout does (NUM_PROXIES)."""

    def get_ident(self, request):
        return client_address(request)

    @property
    def THROTTLE_RATES(self):  # DRF reads its class attribute, fixed at import: read the setting per request
        return api_settings.DEFAULT_THROTTLE_RATES
