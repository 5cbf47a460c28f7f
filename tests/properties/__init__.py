"""Property-based tests (Hypothesis): rules that hold for all inputs, checked on generated ones."""

from django.db import transaction
from hypothesis import HealthCheck, settings


def database_examples(max_examples: int) -> settings:
    """Settings for a property over database rows.

    Function-scoped fixtures (the committee, the cast) are made once per test, not per example; that is safe
    because every example runs in `rolled_back`, so none sees what another wrote.
    """
    return settings(
        max_examples=max_examples,
        suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.function_scoped_fixture],
    )


def rolled_back(run) -> None:
    """Run one example in a savepoint and undo everything it wrote, counters and sequences' rows included."""
    with transaction.atomic():
        run()
        transaction.set_rollback(True)
