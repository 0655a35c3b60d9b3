"""The shared cache's table (login rate limits count across all application processes)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name('polku_cache')}"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_access_log_append_only")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
