"""Beat schedule rows for the outbox sweeper, reminders and digests (the secretariat may edit them in the admin)."""

from django.db import migrations

# (name, task, every, period, description)
SCHEDULE = [
    (
        "Outbox sweeper",
        "committee.outbox.tasks.sweep_outbox",
        1,
        "minutes",
        "Re-enqueues emails whose delivery is due (retries, and those the broker missed at commit).",
    ),
    (
        "Deadline reminders",
        "policies.tasks.send_reminders",
        15,
        "minutes",
        "Consultation, follow-up action and agenda cut-off reminders; each stage is sent once.",
    ),
    (
        "Email digests",
        "policies.tasks.send_digests",
        1,
        "hours",
        "Sends daily and weekly digests to those whose period has elapsed.",
    ),
]


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period, description in SCHEDULE:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval, "description": description, "enabled": True}
        )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0003_digest_preferences"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
