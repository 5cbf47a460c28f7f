"""Refused requests (403) in the audit log, from every face alike: the portal, the API and the admin.

A refused verb rolls its transaction back, and an entry written inside it would vanish with it. This
middleware writes after the view has answered, outside any transaction the view opened, so the refusal
stays on record whichever handler turned it into a 403. It sees the responses, not the exceptions, so it
also logs 403s that no verb raised (a missing CSRF token, the admin refusing a page).
"""

from committee.audit.log import record

from .auth import audit_address


def _reason(response) -> str:
    """The refusal's words where the face kept them (the API's `detail`)."""
    data = getattr(response, "data", None)
    detail = data.get("detail") if isinstance(data, dict) else None
    return str(detail) if detail else ""


class RefusalAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            match = getattr(request, "resolver_match", None)
            where = f"{request.method} {request.path}"
            if match is not None:
                where += f" ({match.view_name} {dict(match.kwargs)})" if match.kwargs else f" ({match.view_name})"
            reason = _reason(response)
            record(
                "request.refused",
                actor=getattr(request, "user", None),
                detail=f"{where}: {reason}" if reason else where,
                client_address=audit_address(request),
            )
        return response
