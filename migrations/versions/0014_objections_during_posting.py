"""Objections during posting: residents object to the posted minutes, the facilitator answers;
the session's posting end date once extended, and when posting was marked complete.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('posting_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('posting_done_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'objections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('door_number', sa.String(length=20), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('(answer IS NULL) = (answered_at IS NULL)', name=op.f('ck_objections_answered')),
        sa.ForeignKeyConstraint(['entered_by_id'], ['facilitators.id'],
                                name=op.f('fk_objections_entered_by_id_facilitators'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['resident_id'], ['residents.id'],
                                name=op.f('fk_objections_resident_id_residents'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['session_id'], ['sessions.id'],
                                name=op.f('fk_objections_session_id_sessions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
    )
    op.create_index(op.f('ix_objections_session_id'), 'objections', ['session_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_objections_session_id'), table_name='objections')
    op.drop_table('objections')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('posting_done_at')
        batch_op.drop_column('posting_until')
