"""The committee's five policy areas, with stable codes the API and digests rely on."""

from django.db import migrations

POLICY_AREAS = [
    ("health", "보건의료", "Health care", 10),
    ("food", "식량", "Food", 20),
    ("resources", "자원", "Resources", 30),
    ("energy", "에너지", "Energy", 40),
    ("environment", "환경", "Environment", 50),
]


def create_policy_areas(apps, schema_editor):
    PolicyArea = apps.get_model("policies", "PolicyArea")
    for code, name_ko, name_en, position in POLICY_AREAS:
        PolicyArea.objects.update_or_create(
            code=code, defaults={"name_ko": name_ko, "name_en": name_en, "position": position}
        )


def remove_policy_areas(apps, schema_editor):
    PolicyArea = apps.get_model("policies", "PolicyArea")
    PolicyArea.objects.filter(code__in=[code for code, *_ in POLICY_AREAS], proposals__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial")]

    operations = [migrations.RunPython(create_policy_areas, remove_policy_areas)]
