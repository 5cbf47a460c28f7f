"""Deployment checks for sign-in protection (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches whose counters live in one process: each gunicorn worker would keep its own sign-in failures and
# throttle counts, multiplying the limits by the number of workers (the dummy cache counts nothing at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is private to each process, so the sign-in lockout and the API's "
            "login throttle count separately in every worker.",
            hint="Set REDIS_URL so that every process shares one cache.",
            id="directory.W001",
        )
    ]
