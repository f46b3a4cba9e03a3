"""Login lockouts in the audit trail: an audit event may belong to no session.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('session_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # The events of no session (login lockouts) have no place in the older table.
    op.execute("DELETE FROM audit_events WHERE session_id IS NULL")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('session_id', existing_type=sa.Integer(), nullable=False)
