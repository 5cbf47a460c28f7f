"""The interactive API docs work on a closed network: Swagger UI comes from our own static files."""

import pytest


@pytest.mark.django_db
def test_swagger_ui_is_served_without_a_cdn(api, secretariat):
    response = api(secretariat).get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
