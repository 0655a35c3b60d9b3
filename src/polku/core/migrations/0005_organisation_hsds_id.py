"""Give every organisation a stable HSDS id for the service catalogue's export and import.

A unique UUID default on AddField is evaluated once, so every existing row would get the same
value: the column is added nullable, filled row by row, then made unique and required.
"""

import uuid

from django.db import migrations, models


def give_each_organisation_an_id(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    for organisation in Organisation.objects.filter(hsds_id__isnull=True).only("pk"):
        organisation.hsds_id = uuid.uuid4()
        organisation.save(update_fields=["hsds_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_security_event_client"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="hsds_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="HSDS id"),
        ),
        migrations.RunPython(give_each_organisation_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="hsds_id",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="HSDS id"
            ),
        ),
    ]
