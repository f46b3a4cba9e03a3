"""Co-facilitators: a council granted to another facilitator.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('council_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_council_grants_council_id_councils'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['facilitator_id'], ['facilitators.id'], name=op.f('fk_council_grants_facilitator_id_facilitators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['facilitators.id'], name=op.f('fk_council_grants_granted_by_id_facilitators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_grants')),
    sa.UniqueConstraint('council_id', 'facilitator_id', name=op.f('uq_council_grants_council_id_facilitator_id'))
    )
    with op.batch_alter_table('council_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_grants_council_id'), ['council_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_council_grants_facilitator_id'), ['facilitator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('council_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_grants_facilitator_id'))
        batch_op.drop_index(batch_op.f('ix_council_grants_council_id'))
    op.drop_table('council_grants')
