"""Gantt's store: tables, migrations and the Database entry point (api)."""
