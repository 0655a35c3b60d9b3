import sqlite3
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "polku.core"
    label = "core"
    verbose_name = _("Polku kernel")

    def ready(self) -> None:
        connection_created.connect(tune_sqlite)
        from polku.core import audit, auth, checks  # noqa: F401 - connects signal receivers and checks

        audit.register_models()


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def tune_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Make the demo database behave like PostgreSQL where it matters.

    SQLite's LOWER() folds only ASCII letters; names like "MÄKI" need Unicode folding
    (PostgreSQL's lower() already does it).
    """
    if connection.vendor == "sqlite":
        connection.connection.create_function("LOWER", 1, _lower, deterministic=True)
        # Django assumes SQLite's old limit of 999 bound parameters, which would split one
        # page's access-log rows into several INSERTs; ask the library for its real limit.
        connection.features.max_query_params = connection.connection.getlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
        )
