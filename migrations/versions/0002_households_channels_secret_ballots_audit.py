"""households, channels, secret ballots, audit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:10:33.515340
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('door_number', sa.String(length=20), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('owner', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_households_council_id_councils'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('council_id', 'door_number', name=op.f('uq_households_council_id_door_number'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_council_id'), ['council_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_audit_events_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_audit_events_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_session_id'), ['session_id'], unique=False)

    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=30), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_participations_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('poll_id', 'voter_key', name=op.f('uq_participations_poll_id_voter_key'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_poll_id'), ['poll_id'], unique=False)

    op.create_table('poll_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('yes', sa.Integer(), nullable=False),
    sa.Column('no', sa.Integer(), nullable=False),
    sa.Column('abstain', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('hands','paper')", name=op.f('ck_poll_counts_channel')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['facilitators.id'], name=op.f('fk_poll_counts_entered_by_id_facilitators')),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_counts_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_counts')),
    sa.UniqueConstraint('poll_id', 'channel', name=op.f('uq_poll_counts_poll_id_channel'))
    )
    with op.batch_alter_table('poll_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_counts_poll_id'), ['poll_id'], unique=False)

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voter_key', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='phone'))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('area_m2', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('replaced_channel', sa.String(length=10), nullable=True))
        batch_op.alter_column('participant_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('cast_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_ballots_poll_id_participant_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_ballots_poll_id_voter_key'), ['poll_id', 'voter_key'])
        batch_op.drop_constraint(batch_op.f('fk_ballots_participant_id_participants'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_ballots_household_id_households'), 'households', ['household_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_ballots_entered_by_id_facilitators'), 'facilitators', ['entered_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ballots_participant_id_participants'), 'participants', ['participant_id'], ['id'], ondelete='SET NULL')
    # Ballots cast before households existed were one per person.
    op.execute("UPDATE ballots SET voter_key = 'p:' || participant_id WHERE voter_key IS NULL")

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('certificate', sa.JSON(), nullable=False, server_default='{}'))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_participants_household_id_households'), 'households', ['household_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_participants_added_by_id_facilitators'), 'facilitators', ['added_by_id'], ['id'])

    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=10), nullable=False, server_default='person'))
        batch_op.add_column(sa.Column('secret', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('quorum', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('present', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_column('present')
        batch_op.drop_column('quorum')
        batch_op.drop_column('secret')
        batch_op.drop_column('unit')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_added_by_id_facilitators'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_participants_household_id_households'), type_='foreignkey')
        batch_op.drop_column('added_by_id')
        batch_op.drop_column('household_id')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('certificate')

    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ballots_participant_id_participants'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ballots_entered_by_id_facilitators'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ballots_household_id_households'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_ballots_participant_id_participants'), 'participants', ['participant_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('uq_ballots_poll_id_voter_key'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_ballots_poll_id_participant_id'), ['poll_id', 'participant_id'])
        batch_op.alter_column('cast_at',
               existing_type=sa.DateTime(timezone=True),
               nullable=False)
        batch_op.alter_column('participant_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('replaced_channel')
        batch_op.drop_column('area_m2')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('channel')
        batch_op.drop_column('household_id')
        batch_op.drop_column('voter_key')

    with op.batch_alter_table('poll_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_counts_poll_id'))

    op.drop_table('poll_counts')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_poll_id'))

    op.drop_table('participations')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_session_id'))

    op.drop_table('audit_events')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_council_id'))

    op.drop_table('households')
