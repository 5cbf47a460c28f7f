"""The one Celery app, configured from Django settings (CELERY_ namespace)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "committee.settings")

app = Celery("committee")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def keep_healthy_database_connections(task=None, **_kwargs) -> None:
    """Around each task, drop a database connection that is broken or older than CONN_MAX_AGE and keep the rest.

    Celery closes every connection after every task unless CELERY_DB_REUSE_MAX is set (settings.py), and opening
    one was a third of the time from an event's commit to its email (bench/smtp.py). A kept connection is checked
    first (one SELECT 1), so a task that follows a database restart connects anew instead of failing.
    """
    if task is not None and task.request.is_eager:
        return  # run inline, inside the caller's transaction: its connection is the caller's
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
        if connection.connection is not None and not connection.is_usable():
            connection.close()
