"""Participants who joined on the remote-vote page and never in the room: they vote, they are
not present (no attendance, no 到会, no points for coming). Every participant before joined in
the room, or is counted as such: the database default keeps them present.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remote', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('remote')
