"""The schema the store created before migrations existed: sessions, and answers with their grades.

A database from that time has exactly these tables and is stamped as this revision, not re-created.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("token_hash", sa.Text, nullable=False),
        sa.Column("browser_id", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("finished", sa.Boolean(create_constraint=False), nullable=False, server_default=sa.false()),
        sa.Column("state", sa.Text, nullable=False),
    )
    op.create_index("sessions_browser", "sessions", ["browser_id", "created_at"])
    op.create_table(
        "answers",
        sa.Column("session_id", sa.Text, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("grade", sa.Text),
        sa.Column("score", sa.Float),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("session_id", "turn"),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_index("sessions_browser", table_name="sessions")
    op.drop_table("sessions")
