"""actions across meetings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:43:31.934559
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('photo', sa.String(length=80), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_updates_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['facilitators.id'], name=op.f('fk_action_updates_by_id_facilitators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('council_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_kind', sa.String(length=20), nullable=False, server_default='resident'))
        batch_op.create_check_constraint(
            'owner_kind', "owner_kind IN ('resident','building_head','volunteers','property','partner')")
        batch_op.create_index(batch_op.f('ix_actions_council_id'), ['council_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_actions_council_id_councils'), 'councils', ['council_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_ratings_session_id'), ['session_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_ratings_session_id_sessions'), 'sessions', ['session_id'], ['id'], ondelete='CASCADE')

    # Actions and ratings made before: their council is their session's, their rating's meeting the action's.
    op.execute("UPDATE actions SET council_id = (SELECT council_id FROM sessions WHERE sessions.id = actions.session_id)")
    op.execute("UPDATE ratings SET session_id = (SELECT session_id FROM actions WHERE actions.id = ratings.action_id)")




def downgrade() -> None:

    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ratings_session_id_sessions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_ratings_session_id'))
        batch_op.drop_column('session_id')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_actions_owner_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_actions_council_id_councils'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_actions_council_id'))
        batch_op.drop_column('owner_kind')
        batch_op.drop_column('council_id')

    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))

    op.drop_table('action_updates')

