"""The agency register: which agencies are expected to report (and in which years), and their parent.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agencies') as batch:
        batch.add_column(sa.Column('registered', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('parent', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('first_year', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('last_year', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agencies') as batch:
        for column in ('last_year', 'first_year', 'parent', 'registered'):
            batch.drop_column(column)
