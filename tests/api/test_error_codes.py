"""Every error the API answers carries a stable `code` beside its message, and the schema documents every code."""

import inspect

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import exceptions
from rest_framework.test import APIClient, APIRequestFactory

from committee.directory.services import GrantRefused
from committee.errors import ErrorCode
from policies.api.base import code_of, exception_handler
from policies.api.schema import error_codes
from policies.services import AttachmentTooLarge
from policies.workflow import InvalidState, NotPermitted, StaleVersion, WorkflowError
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def proposal_url(proposal, rest=""):
    return f"/api/v1/proposals/{proposal.pk}/{rest}"


def assert_error(response, status, code):
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body.get("detail", ""), str)
    return body


def test_a_refused_verb_answers_the_status_and_code_its_class_carries(
    api, lead_liaison, secretariat, proposal_in_state
):
    submitted = proposal_in_state("submitted")
    assert_error(
        api(secretariat).post(proposal_url(submitted, "transitions/"), {"action": "accept"}, format="json"),
        409,
        "invalid_state",
    )
    assert_error(
        api(lead_liaison).post(proposal_url(submitted, "transitions/"), {"action": "start_review"}, format="json"),
        403,
        "not_permitted",
    )


def test_a_stale_version_answers_412_stale_version(api, lead_liaison, draft):
    client = api(lead_liaison)
    stale = f'"{draft.version}"'
    assert client.patch(proposal_url(draft), {"title": "First"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    response = client.patch(proposal_url(draft), {"title": "Second"}, format="json", HTTP_IF_MATCH=stale)
    assert_error(response, 412, "stale_version")


def test_a_file_over_the_limit_answers_413_too_large(api, lead_liaison, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    upload = SimpleUploadedFile("plan.txt", b"x" * 11, content_type="text/plain")
    response = api(lead_liaison).post(proposal_url(draft, "attachments/"), {"file": upload}, format="multipart")
    assert_error(response, 413, "too_large")


def test_field_errors_answer_validation_beside_the_fields(api, secretariat, proposal_in_state):
    proposal = proposal_in_state("under_review")
    response = api(secretariat).post(proposal_url(proposal, "transitions/"), {"action": "return"}, format="json")
    body = assert_error(response, 400, "validation")
    assert body["comment"]


def test_filters_and_unknown_fields_answer_validation(api, lead_liaison, draft):
    assert_error(api(lead_liaison).get("/api/v1/proposals/?state=bogus"), 400, "validation")
    body = assert_error(
        api(lead_liaison).patch(proposal_url(draft), {"state": "accepted"}, format="json"), 400, "validation"
    )
    assert body["state"]


def test_a_field_the_client_named_code_keeps_its_message_without_hiding_the_code(api, lead_liaison, draft):
    response = api(lead_liaison).patch(proposal_url(draft), {"code": "x", "detail": "y"}, format="json")
    body = assert_error(response, 400, "validation")
    assert [message.split(":")[0] for message in body["non_field_errors"]] == ["detail", "code"]


def test_unreadable_input_answers_parse_error(api, lead_liaison, draft):
    client = api(lead_liaison)
    assert_error(
        client.generic("PATCH", proposal_url(draft), "{not json", content_type="application/json"), 400, "parse_error"
    )
    assert_error(client.patch(proposal_url(draft), {}, format="json", HTTP_IF_MATCH="abc"), 400, "parse_error")


def test_authentication_errors_answer_their_codes():
    assert_error(APIClient().get("/api/v1/proposals/"), 401, "not_authenticated")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/v1/proposals/"), 401, "authentication_failed")


def test_an_endpoint_not_for_the_caller_answers_permission_denied(api, lead_liaison, draft):
    response = api(lead_liaison).post("/api/v1/consultations/", {}, format="json")
    assert_error(response, 403, "permission_denied")
    csrf = APIClient(enforce_csrf_checks=True)
    csrf.force_login(lead_liaison)
    assert_error(csrf.patch("/api/v1/me/", {"language": "ko"}, format="json"), 403, "permission_denied")


def test_what_is_not_there_answers_not_found(api, secretariat):
    client = api(secretariat)
    assert_error(client.get("/api/v1/proposals/987654/"), 404, "not_found")
    assert_error(client.get("/api/v1/proposals/?page=999"), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")  # answered outside DRF


def test_method_media_type_and_accept_errors_answer_their_codes(api, lead_liaison, draft):
    client = api(lead_liaison)
    assert_error(client.put(proposal_url(draft), {}, format="json"), 405, "method_not_allowed")
    response = client.generic("PATCH", proposal_url(draft), "title=x", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")
    assert_error(client.get(proposal_url(draft), HTTP_ACCEPT="application/xml"), 406, "not_acceptable")


@pytest.mark.usefixtures("redis_cache")
def test_too_many_sign_in_attempts_answer_throttled(lead_liaison):
    client = APIClient()
    for _attempt in range(10):
        response = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
        assert_error(response, 400, "validation")
    response = client.post("/api/v1/auth/token/", {"username": "liaison-msit", "password": PASSWORD}, format="json")
    assert_error(response, 429, "throttled")


def test_a_bad_host_answers_bad_request_outside_drf():
    assert_error(APIClient(HTTP_HOST="evil.example").get("/api/v1/proposals/"), 400, "bad_request")


def test_a_body_over_the_request_limit_answers_413_with_the_limit_and_changes_nothing(
    api, lead_liaison, draft, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(lead_liaison).patch(proposal_url(draft), {"title": "x" * 2000}, format="json")
    assert_error(response, 413, "too_large")
    assert "1000" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.title != "x" * 2000


def test_a_portal_form_over_the_request_limit_answers_a_413_page_that_says_so(client, lead_liaison, draft, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(lead_liaison)
    response = client.post(f"/proposals/{draft.pk}/edit/", {"title": "x" * 2000})
    assert response.status_code == 413
    assert "1000" in response.content.decode() and "go back" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title != "x" * 2000


def handled(exc):
    return exception_handler(exc, {"request": APIRequestFactory().get("/"), "view": None})


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (InvalidState("x"), 409, "invalid_state"),
        (NotPermitted("x"), 403, "not_permitted"),
        (StaleVersion("x"), 412, "stale_version"),
        (AttachmentTooLarge("x"), 413, "too_large"),
        (ValidationError("x"), 400, "validation"),
        (exceptions.APIException(), 500, "server_error"),  # DRF's bare exception says "error"; by its status
        (exceptions.Throttled(wait=3), 429, "throttled"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_the_handler_answers_each_kind_with_its_code(exc, status, code):
    response = handled(exc)
    assert (response.status_code, response.data["code"]) == (status, code)


def test_every_refusal_kind_declares_its_status_and_a_code_of_its_own():
    kinds = WorkflowError.kinds
    assert {"invalid_state", "not_permitted", "stale_version", "too_large"} <= set(kinds)
    for code, kind in kinds.items():
        assert kind.code == code and 400 <= kind.status < 500
    with pytest.raises(TypeError, match="must declare"):
        type("Undeclared", (WorkflowError,), {})
    with pytest.raises(TypeError, match="already answers"):
        type("Clash", (WorkflowError,), {"status": 400, "code": "invalid_state"})


def test_every_drf_error_class_has_a_documented_code_of_its_own_status():
    documented = dict(error_codes())
    for _name, cls in inspect.getmembers(exceptions, inspect.isclass):
        if issubclass(cls, exceptions.APIException):
            code = code_of(cls.__new__(cls), cls.status_code)  # what the handler says for one of these
            assert documented[code].startswith(str(cls.status_code)), (cls, code)


def test_the_schema_documents_every_code_and_requires_it(api, secretariat):
    schema = api(secretariat).get("/api/schema/?format=json").json()["components"]["schemas"]
    documented = set(schema["ErrorCodeEnum"]["enum"])
    assert documented == {code.value for code in ErrorCode} | set(WorkflowError.kinds)
    for component in ("Error", "ValidationError"):
        assert "code" in schema[component]["required"]
        assert schema[component]["properties"]["code"]["allOf"] == [{"$ref": "#/components/schemas/ErrorCodeEnum"}]
    assert "`too_large` - 413" in schema["ErrorCodeEnum"]["description"]


def test_the_second_factor_gate_uses_a_documented_code():
    # committee.directory may not import committee.errors (.importlinter): its literal is checked here.
    assert ErrorCode("second_factor_required").status == 403


def test_grant_refusals_carry_the_same_status_and_code_as_the_lifecycles():
    assert (GrantRefused.status, GrantRefused.code) == (NotPermitted.status, NotPermitted.code)
