"""Everything under /api/ answers JSON, errors included (404, 405, 500, 400); the portal keeps its HTML pages."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse
from django.urls.exceptions import NoReverseMatch
from rest_framework.exceptions import APIException
from rest_framework.test import APIClient
from rest_framework.views import APIView

from committee import urls as project_urls

pytestmark = pytest.mark.django_db

# Values tried for each URL parameter: an id no object has, and codes in the spellings the routes accept.
SAMPLE_VALUES = ("987654", "NOPE", "nope", "json")


def api_route_names(patterns=None, namespace=""):
    """The name of every route under /api/, namespaced as reverse() wants it."""
    if patterns is None:
        (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/"]
        yield from api_route_names(api.url_patterns, api.namespace)
        return
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from api_route_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, namespace, list(pattern.pattern.regex.groupindex)


def api_paths():
    """One concrete path for every route under /api/, its parameters filled with values that match no object."""
    paths = set()
    for name, namespace, parameters in api_route_names():
        for value in SAMPLE_VALUES:
            try:
                paths.add(reverse(f"{namespace}:{name}", kwargs=dict.fromkeys(parameters, value)))
                break
            except NoReverseMatch:
                continue
        else:
            raise AssertionError(f"no sample value fits the route {name} ({parameters})")
    return sorted(paths)


# The code each status answers with in these walks, whoever answers it (DRF, or committee/errors.py).
CODE_OF = {
    400: "bad_request",
    401: "not_authenticated",
    404: "not_found",
    405: "method_not_allowed",
    500: "server_error",
}


def assert_json_error(response, status):
    assert response.status_code == status, (response.request["PATH_INFO"], response.status_code, response.content[:200])
    assert response["Content-Type"] == "application/json", (response.request["PATH_INFO"], response["Content-Type"])
    body = json.loads(response.content)
    assert isinstance(body["detail"], str) and body["detail"], body
    assert body["code"] == CODE_OF[status], (response.request["PATH_INFO"], body)


@pytest.fixture
def signed_in(secretariat):
    client = APIClient(raise_request_exception=False)
    client.force_login(secretariat)
    return client


def test_the_walk_reaches_every_kind_of_api_route():
    paths = api_paths()
    for expected in ("/api/schema/", "/api/docs/", "/api/v1/proposals/", "/api/v1/notifications/987654/read/"):
        assert expected in paths
    assert "/api/v1/proposals/987654/attachments/987654/" in paths
    assert len(paths) >= 30


def test_unmatched_paths_under_api_answer_json_404(signed_in):
    unmatched = ["/api/", "/api/v1/", "/api/v1/agencies//", "/api/v2/proposals/", "/api/v1/no-such-thing/"]
    for path_ in unmatched + [f"{p}no-such-thing/" for p in api_paths()]:
        assert_json_error(signed_in.get(path_), 404)


def test_objects_that_do_not_exist_answer_json_404(signed_in):
    for path_ in api_paths():
        if any(f"/{value}/" in path_ for value in SAMPLE_VALUES):
            method = next(m for m in ("GET", "POST", "PATCH", "DELETE") if m in signed_in.options(path_)["Allow"])
            assert_json_error(signed_in.generic(method, path_, "{}", content_type="application/json"), 404)


def test_methods_a_path_does_not_allow_answer_json_405_with_allow(signed_in):
    for path_ in api_paths():
        response = signed_in.put(path_, {}, format="json")
        assert_json_error(response, 405)
        assert "PUT" not in response["Allow"] and "OPTIONS" in response["Allow"], (path_, response["Allow"])


def test_anonymous_callers_get_json_401_everywhere_but_the_token_endpoint():
    client = APIClient()
    for path_ in api_paths():
        if path_ != "/api/v1/auth/token/":
            assert_json_error(client.get(path_), 401)


def crash_every_request(get_response):
    """Middleware installed by the test below: whatever the path, the request fails with an unexpected error."""

    def middleware(request):
        raise RuntimeError("forced by the test")

    return middleware


def test_a_crash_anywhere_under_api_answers_json_500(settings, secretariat):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.api.test_json_errors.crash_every_request"]
    client = APIClient(raise_request_exception=False)
    for path_ in ["/api/", "/api/v1/no-such-thing/", *api_paths()]:
        assert_json_error(client.get(path_), 500)
        assert_json_error(client.post(path_, {}, format="json"), 500)


# A URLconf for the crash tests: the project's routes plus views that fail inside, under /api/ and outside it.
class CrashingAPIView(APIView):
    permission_classes = []

    def get(self, request):
        raise ZeroDivisionError("a bug inside an API view")


class UnhandledAPIException(APIView):
    permission_classes = []

    def get(self, request):
        raise APIException()  # DRF's own 500


def crashing_page(request):
    raise ZeroDivisionError("a bug inside a plain view")


urlpatterns = [
    path("api/v1/test-crash/", CrashingAPIView.as_view()),
    path("api/v1/test-api-exception/", UnhandledAPIException.as_view()),
    path("api/v1/test-plain-crash/", crashing_page),
    path("test-page-crash/", crashing_page),
    *project_urls.urlpatterns,
]
handler400, handler403 = project_urls.handler400, project_urls.handler403
handler404, handler500 = project_urls.handler404, project_urls.handler500


@pytest.mark.urls("tests.api.test_json_errors")
@pytest.mark.parametrize("path_", ["/api/v1/test-crash/", "/api/v1/test-api-exception/", "/api/v1/test-plain-crash/"])
def test_a_crash_inside_an_api_view_answers_json_500(path_):
    assert_json_error(APIClient(raise_request_exception=False).get(path_), 500)


@pytest.mark.urls("tests.api.test_json_errors")
def test_portal_pages_keep_their_html_error_pages(client):
    client.raise_request_exception = False
    crashed = client.get("/test-page-crash/")
    assert crashed.status_code == 500
    assert crashed["Content-Type"].startswith("text/html")
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("text/html")


def test_a_bad_host_under_api_answers_json_400_and_html_elsewhere():
    client = APIClient(raise_request_exception=False, HTTP_HOST="evil.example")
    assert_json_error(client.get("/api/v1/proposals/"), 400)
    page = client.get("/login/")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")
