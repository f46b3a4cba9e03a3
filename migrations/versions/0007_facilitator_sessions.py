"""Sessions that end: a facilitator's session epoch, in every login cookie and live connection.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts get "0", which no cookie carries: every facilitator logs in once more.
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.String(length=32), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
