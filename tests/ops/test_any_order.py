"""The suite passes in any order: what a transactional test empties is put back before the next test runs.

pytest-django ends a transactional test by flushing every table, migrated rows included (policy areas, content
types, periodic tasks); `tests/conftest.py` loads the post-migration snapshot back right away. Without it, a
test that happens to follow a transactional one finds no policy areas (and the browser test answered 500).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from policies.models import PolicyArea
from tests import conftest


def migrated_rows() -> dict[str, list]:
    return {
        "policy areas": sorted(PolicyArea.objects.values_list("code", flat=True)),
        "content types": sorted(ContentType.objects.values_list("app_label", "model")),
        "periodic tasks": sorted(PeriodicTask.objects.values_list("name", flat=True)),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_the_migrations_made_is_back_after_the_flush_that_ends_a_transactional_test(request):
    before = migrated_rows()
    assert all(before.values()), before
    # As pytest-django's teardown does for a serialized_rollback test (no post_migrate to rebuild anything).
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    ContentType.objects.clear_cache()
    assert not any(migrated_rows().values())

    conftest.restore_migrated_rows(request.config)

    assert migrated_rows() == before
    # The sequences moved past the reloaded keys: a new row does not collide with a restored one.
    PolicyArea.objects.create(code="test-new-area", name_en="New", name_ko="새 분야")


def test_the_snapshot_is_loaded_back_after_every_transactional_test_but_the_last(request, monkeypatch):
    assert request.config.pluginmanager.is_registered(conftest), "the hook below must be the one pytest runs"
    restored = []
    monkeypatch.setattr(conftest, "restore_migrated_rows", restored.append)
    transactional, plain = request.node.parent.collect()[0], request.node
    assert conftest.is_transactional(transactional) and not conftest.is_transactional(plain)

    def tear_down(item, nextitem):
        hook = conftest.pytest_runtest_teardown(item, nextitem)
        next(hook)
        with pytest.raises(StopIteration):
            hook.send(None)

    tear_down(transactional, nextitem=plain)
    assert restored == [request.config]
    tear_down(plain, nextitem=transactional)
    tear_down(transactional, nextitem=None)  # the last test: the test database is about to be dropped
    assert restored == [request.config]
