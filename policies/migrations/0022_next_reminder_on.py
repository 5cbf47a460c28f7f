"""The reminder sweep's schedule: the day each consultation and follow-up action is next due a reminder, with a
partial index each, so a run reads the rows due instead of every open one.

Open rows start at their first stage (3 days before a consultation's deadline, 7 before an action's due date, as
policies.reminders says today); the first run after this catches up with each row's current stage, and the
deduplication keys keep whatever was sent before from going out again.
"""

from django.db import migrations, models

FIRST_STAGES = """
UPDATE policies_consultation SET next_reminder_on = deadline - 3 WHERE status = 'open';
UPDATE policies_followupaction SET next_reminder_on = due_date - 7 WHERE status <> 'done';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0021_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="next_reminder_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="next reminder on"),
        ),
        migrations.AddField(
            model_name="followupaction",
            name="next_reminder_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="next reminder on"),
        ),
        migrations.RunSQL(FIRST_STAGES, reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="consultation",
            index=models.Index(
                condition=models.Q(("status", "open")), fields=["next_reminder_on"], name="consultation_reminder_due"
            ),
        ),
        migrations.AddIndex(
            model_name="followupaction",
            index=models.Index(
                condition=models.Q(("status", "done"), _negated=True),
                fields=["next_reminder_on"],
                name="action_reminder_due",
            ),
        ),
    ]
