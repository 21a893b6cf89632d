"""Alembic migrations for the store (run on start by db.migrate)."""
