"""Playwright against Debian's Chromium (never a downloaded browser) and pytest-django's live server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in this thread; our ORM calls are still synchronous.

    Set for the browser modules only (autouse, so it is set up before Playwright starts and removed after it
    stops): leaked into the session it would also make `check --deploy` in the ops tests' subprocesses fail.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# pytest-playwright keeps Playwright (and its running event loop) for the whole session, which would trip
# Django's async-safety check in every database test that runs after these. Here it lives for a module.


@pytest.fixture(scope="module")
def playwright(_pw_api_request_contexts):
    instance = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(instance)
    yield instance
    instance.stop()


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    instance = launch_browser()
    yield instance
    instance.close()


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


@pytest.fixture(scope="module")
def browser_context_args():
    # Not built on pytest-playwright's: that one needs its session-long Playwright (for --device).
    return {"locale": "en-US", "viewport": {"width": 1280, "height": 900}}


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
