"""Voting windows: a poll may stay open after its meeting until a deadline kept in the
database (closes_at, UTC), and residents vote in it remotely (a ballot's channel 'remote').

The ballots' channel gets its CHECK constraint here, with the new channel in it (the models
had always declared one, no migration had created it).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_polls_closes_at'), ['closes_at'], unique=False)
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_check_constraint(batch_op.f('ck_ballots_channel'),
                                         "channel IN ('phone','entered','remote')")


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE ballots SET channel = 'phone' WHERE channel = 'remote'"))
    conn.execute(sa.text("UPDATE ballots SET replaced_channel = 'phone' WHERE replaced_channel = 'remote'"))
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ballots_channel'), type_='check')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_closes_at'))
        batch_op.drop_column('closes_at')
