"""The calendar invitation now travels as an attachment (0003 moved the rows): the ics columns go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0003_email_attachments"),
    ]

    operations = [
        migrations.RemoveField(model_name="outboundemail", name="ics_content"),
        migrations.RemoveField(model_name="outboundemail", name="ics_method"),
    ]
