"""Open Space and World Café: agenda wall, groups, reports, dots; café tables, rounds,
seating and harvest; candidate proposals drawn from needs and ideas.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 12:10:08.505802
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cafe_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_cafe_rounds_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafe_rounds')),
    sa.UniqueConstraint('session_id', 'number', name=op.f('uq_cafe_rounds_session_id_number'))
    )
    with op.batch_alter_table('cafe_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cafe_rounds_session_id'), ['session_id'], unique=False)

    op.create_table('slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_slots_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slots')),
    sa.UniqueConstraint('session_id', 'name', name=op.f('uq_slots_session_id_name'))
    )
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slots_session_id'), ['session_id'], unique=False)

    op.create_table('spaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_spaces_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spaces')),
    sa.UniqueConstraint('session_id', 'name', name=op.f('uq_spaces_session_id_name'))
    )
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spaces_session_id'), ['session_id'], unique=False)

    op.create_table('cafe_tables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['host_id'], ['participants.id'], name=op.f('fk_cafe_tables_host_id_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_cafe_tables_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cafe_tables')),
    sa.UniqueConstraint('host_id', name=op.f('uq_cafe_tables_host_id')),
    sa.UniqueConstraint('session_id', 'name', name=op.f('uq_cafe_tables_session_id_name'))
    )
    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cafe_tables_session_id'), ['session_id'], unique=False)

    op.create_table('breakout_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=True),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_breakout_groups_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_breakout_groups_slot_id_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_breakout_groups_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_breakout_groups_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakout_groups')),
    sa.UniqueConstraint('space_id', 'slot_id', name=op.f('uq_breakout_groups_space_id_slot_id')),
    sa.UniqueConstraint('topic_id', name=op.f('uq_breakout_groups_topic_id'))
    )
    with op.batch_alter_table('breakout_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakout_groups_session_id'), ['session_id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.Column('round_number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['participants.id'], name=op.f('fk_ideas_author_id_participants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_ideas_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_ideas_table_id_cafe_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas'))
    )
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_session_id'), ['session_id'], unique=False)

    op.create_table('seats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('round_number', sa.Integer(), nullable=False),
    sa.Column('table_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_seats_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_seats_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['table_id'], ['cafe_tables.id'], name=op.f('fk_seats_table_id_cafe_tables'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seats')),
    sa.UniqueConstraint('participant_id', 'round_number', name=op.f('uq_seats_participant_id_round_number'))
    )
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seats_session_id'), ['session_id'], unique=False)

    op.create_table('dots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('(topic_id IS NULL) <> (idea_id IS NULL)', name=op.f('ck_dots_one_target')),
    sa.CheckConstraint('count > 0', name=op.f('ck_dots_count')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_dots_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_dots_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_dots_session_id_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_dots_topic_id_topics'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dots')),
    sa.UniqueConstraint('participant_id', 'idea_id', name=op.f('uq_dots_participant_id_idea_id')),
    sa.UniqueConstraint('participant_id', 'topic_id', name=op.f('uq_dots_participant_id_topic_id'))
    )
    with op.batch_alter_table('dots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dots_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dots_session_id'), ['session_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['breakout_groups.id'], name=op.f('fk_memberships_group_id_breakout_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_memberships_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['slots.id'], name=op.f('fk_memberships_slot_id_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('participant_id', 'slot_id', name=op.f('uq_memberships_participant_id_slot_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_group_id'), ['group_id'], unique=False)

    op.create_table('report_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.CheckConstraint("kind IN ('point','need')", name=op.f('ck_report_lines_kind')),
    sa.ForeignKeyConstraint(['group_id'], ['breakout_groups.id'], name=op.f('fk_report_lines_group_id_breakout_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_lines'))
    )
    with op.batch_alter_table('report_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_lines_group_id'), ['group_id'], unique=False)

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('need_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('idea_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_proposals_idea_id'), ['idea_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_proposals_need_id'), ['need_id'])
        batch_op.create_foreign_key(batch_op.f('fk_proposals_idea_id_ideas'), 'ideas', ['idea_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_proposals_need_id_report_lines'), 'report_lines', ['need_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dots', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('dots_per_topic', sa.Integer(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('dotting', sa.String(length=10), nullable=False, server_default='ready'))
        batch_op.create_check_constraint(op.f('ck_sessions_dotting'), "dotting IN ('ready','open','closed')")
        batch_op.add_column(sa.Column('current_round', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('top_ideas', sa.Integer(), nullable=False, server_default='5'))



def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sessions_dotting'), type_='check')
        batch_op.drop_column('top_ideas')
        batch_op.drop_column('current_round')
        batch_op.drop_column('dotting')
        batch_op.drop_column('dots_per_topic')
        batch_op.drop_column('dots')

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_need_id_report_lines'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_proposals_idea_id_ideas'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_proposals_need_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_proposals_idea_id'), type_='unique')
        batch_op.drop_column('idea_id')
        batch_op.drop_column('need_id')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('left')

    with op.batch_alter_table('report_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_lines_group_id'))

    op.drop_table('report_lines')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_group_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('dots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dots_session_id'))
        batch_op.drop_index(batch_op.f('ix_dots_participant_id'))

    op.drop_table('dots')
    with op.batch_alter_table('seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seats_session_id'))

    op.drop_table('seats')
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_session_id'))

    op.drop_table('ideas')
    with op.batch_alter_table('breakout_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakout_groups_session_id'))

    op.drop_table('breakout_groups')
    with op.batch_alter_table('cafe_tables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cafe_tables_session_id'))

    op.drop_table('cafe_tables')
    with op.batch_alter_table('spaces', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spaces_session_id'))

    op.drop_table('spaces')
    with op.batch_alter_table('slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slots_session_id'))

    op.drop_table('slots')
    with op.batch_alter_table('cafe_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cafe_rounds_session_id'))

    op.drop_table('cafe_rounds')
