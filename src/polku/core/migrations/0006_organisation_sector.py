from django.db import migrations, models


def private_providers(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Until now the kind said it: providers and employers are private, social enterprises third
    # sector; everything else was a public agency.
    Organisation = apps.get_model("core", "Organisation")
    Organisation.objects.filter(kind__in=["service_provider", "employer"]).update(sector="private")
    Organisation.objects.filter(kind="social_enterprise").update(sector="third_sector")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_organisation_hsds_id")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="sector",
            field=models.CharField(
                choices=[
                    ("public", "Public"),
                    ("private", "Private"),
                    ("third_sector", "Third sector"),
                ],
                default="public",
                max_length=16,
                verbose_name="sector",
            ),
        ),
        migrations.RunPython(private_providers, migrations.RunPython.noop),
    ]
