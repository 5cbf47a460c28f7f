"""Playwright against Debian's Chromium (never a downloaded browser) and pytest-django's live server."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread; our ORM calls are still synchronous.

    Module-scoped so it outlives the database flush after each live-server test, and is gone again before
    other modules run (a leaked DJANGO_ALLOW_ASYNC_UNSAFE fails `check --deploy` in subprocesses).
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def screenshots():
    """Save full-page screenshots of the main pages for people to look at."""
    folder = Path(os.environ.get("TEST_OUTPUT_DIR", "test-results")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
