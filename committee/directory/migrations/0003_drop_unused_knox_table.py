"""Drop the table knox's own first migration creates for its default token model.

KNOX_TOKEN_MODEL swaps that model for directory.ApiToken, so Django no longer knows the table, but it still
references auth_user: flushing the database (every transactional test does) cannot truncate auth_user while
it is there. Nothing ever wrote to it.
"""

from django.db import migrations


def drop_knox_table(apps, schema_editor):
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TABLE IF EXISTS knox_authtoken{cascade}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_api_tokens"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop_knox_table, migrations.RunPython.noop)]
