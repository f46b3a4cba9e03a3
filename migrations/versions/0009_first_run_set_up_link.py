"""First run: the one-time set-up link that creates the first facilitator account.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('setup_tokens',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_setup_tokens_single')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_setup_tokens'))
    )


def downgrade() -> None:
    op.drop_table('setup_tokens')
