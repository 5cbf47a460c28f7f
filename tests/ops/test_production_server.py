"""The production stack serves: gunicorn with DEBUG off, static files by WhiteNoise after collectstatic."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.test_deployment import INHERITED, PRODUCTION_ENV, ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def production_server(tmp_path, db, settings):
    port = free_port()
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    env.update(PRODUCTION_ENV)
    # Plain HTTP on loopback: no TLS redirect for this probe; everything else as in production.
    env.update(
        {
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(tmp_path / "static"),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{settings.DATABASES['default']['NAME']}",
        }
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert collected.returncode == 0, collected.stderr
    server = subprocess.Popen(
        [str(GUNICORN), "committee.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/login/")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_serves_pages_and_static_files_with_debug_off(production_server):
    status, body = fetch(f"{production_server}/login/")
    assert status == 200 and b"csrfmiddlewaretoken" in body
    for path in (
        "/static/portal/portal.css",
        "/static/admin/css/base.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
    ):
        status, _body = fetch(f"{production_server}{path}")
        assert status == 200, path
    assert fetch(f"{production_server}/api/v1/proposals/")[0] == 401
    assert fetch(f"{production_server}/no-such-page/")[0] == 404
