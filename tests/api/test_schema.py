"""The OpenAPI schema is valid, has no warnings, and says what every list endpoint really answers."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_validates_with_no_warnings(tmp_path):
    # --fail-on-warn turns any warning (an under-specified field, an enum collision) into an error.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/proposals/{id}/transitions/" in out.read_text()


def resolve(schema, node):
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def test_every_error_status_is_documented(api, secretariat):
    schema = api(secretariat).get("/api/schema/?format=json").json()
    statuses = {
        code for path in schema["paths"].values() for operation in path.values() for code in operation["responses"]
    }
    assert {"400", "401", "403", "404", "409", "412", "413", "429"} <= statuses
    patch = schema["paths"]["/api/v1/proposals/{id}/"]["patch"]
    assert {"400", "403", "404", "409", "412"} <= set(patch["responses"])
    assert "If-Match" in {p["name"] for p in patch["parameters"]}
    upload = schema["paths"]["/api/v1/proposals/{id}/attachments/"]["post"]
    assert "413" in upload["responses"]
    assert "multipart/form-data" in upload["requestBody"]["content"]


def test_every_list_endpoint_answers_the_secretariat_with_the_documented_shape(api, secretariat, world, letters):
    client = api(secretariat)
    schema = client.get("/api/schema/?format=json").json()
    walked = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.content[:200])
        documented = resolve(schema, operations["get"]["responses"]["200"]["content"]["application/json"]["schema"])
        body = response.json()
        assert set(body) == set(documented["properties"]), path
        if "results" in documented["properties"]:
            item = resolve(schema, documented["properties"]["results"]["items"])
            assert body["results"] or path.endswith("/notifications/"), f"{path}: the world should fill this list"
            for row in body["results"]:
                assert set(row) == set(item["properties"]), path
        walked.append(path)
    for expected in ("proposals", "consultations", "meetings", "decisions", "actions", "committees", "me"):
        assert f"/api/v1/{expected}/" in walked


def test_swagger_ui_points_at_the_schema(api, member):
    response = api(member).get("/api/docs/")
    assert response.status_code == 200
    # The page loads its start-up script as a file (no inline script under the CSP); the script names the schema.
    script = api(member).get("/api/docs/?script=")
    assert script.status_code == 200 and b"/api/schema/" in script.content


def test_schema_and_docs_need_a_signed_in_user(api):
    assert api().get("/api/schema/").status_code == 401
    assert api().get("/api/docs/").status_code == 401
