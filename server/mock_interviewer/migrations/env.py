"""Alembic's entry point: migrations run on the connection db.migrate() passes in (never from alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from mock_interviewer.db import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through mock_interviewer.db.migrate(), which passes a connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
