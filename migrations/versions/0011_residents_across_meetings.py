"""Residents across meetings: one record per person in a community, each participant points at one;
participation points (活力值): rules per community, a league table by choice, an action's resident owner.

Every existing participant is brought onto a resident: the participants of one community that
joined from the same device (its token) become one resident, named as they last called
themselves; everyone the facilitator entered becomes a resident of their own, which the
facilitator can then link to the person's phone record.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 09:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _homes(conn) -> dict[int, int]:
    """Each council's home for residents: the nearest community at or above it, else itself
    (domain.residents.home_of, repeated here as a migration must not change with the code)."""
    rows = {cid: (parent, level) for cid, parent, level in conn.execute(sa.text(
        "SELECT id, parent_id, level FROM councils"))}
    homes = {}
    for cid in rows:
        at, home = cid, cid
        while at is not None:
            parent, level = rows[at]
            if level == 'community':
                home = at
                break
            at = parent
        homes[cid] = home
    return homes


def upgrade() -> None:
    op.create_table(
        'residents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('display_name', sa.String(length=40), nullable=False),
        sa.Column('door_number', sa.String(length=20), nullable=False),
        sa.Column('device_token', sa.String(length=64), nullable=True),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['community_id'], ['councils.id'], name=op.f('fk_residents_community_id_councils'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['merged_into_id'], ['residents.id'], name=op.f('fk_residents_merged_into_id_residents'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
        sa.UniqueConstraint('community_id', 'device_token', name=op.f('uq_residents_community_id_device_token')),
    )
    op.create_index(op.f('ix_residents_community_id'), 'residents', ['community_id'], unique=False)
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resident_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_participants_resident_id'), ['resident_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_participants_resident_id_residents'), 'residents',
                                    ['resident_id'], ['id'], ondelete='SET NULL')

    # participation points (活力值): each community's rules, its choice of a league table, and
    # the resident who owns an action
    op.create_table(
        'point_rules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('deed', sa.String(length=20), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.CheckConstraint("deed IN ('attend','raise_topic','topic_decided','convene_group','action_on_time','rate')",
                           name=op.f('ck_point_rules_deed')),
        sa.ForeignKeyConstraint(['community_id'], ['councils.id'], name=op.f('fk_point_rules_community_id_councils'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_point_rules')),
        sa.UniqueConstraint('community_id', 'deed', name=op.f('uq_point_rules_community_id_deed')),
    )
    op.create_index(op.f('ix_point_rules_community_id'), 'point_rules', ['community_id'], unique=False)
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('league_table', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_resident_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_actions_owner_resident_id_residents'), 'residents',
                                    ['owner_resident_id'], ['id'], ondelete='SET NULL')

    conn = op.get_bind()
    homes = _homes(conn)
    # the stored time is copied as it is: on SQLite the text the models wrote, on PostgreSQL a timestamp
    insert = sa.text("INSERT INTO residents (community_id, display_name, door_number, device_token, created_at) "
                     "VALUES (:home, :name, :door, :token, :at) RETURNING id")
    found: dict[tuple[int, str], int] = {}
    rows = conn.execute(sa.text(
        "SELECT p.id, p.display_name, p.door_number, p.device_token, p.added_by_id, p.joined_at, s.council_id "
        "FROM participants p JOIN sessions s ON s.id = p.session_id ORDER BY p.joined_at DESC, p.id DESC")).all()
    for pid, name, door, token, added_by, joined_at, council_id in rows:  # latest first: the name kept
        home = homes[council_id]
        key = (home, token)
        if added_by is not None or key not in found:
            rid = conn.execute(insert, {"home": home, "name": name, "door": door or '', "at": joined_at,
                                        "token": None if added_by is not None else token}).scalar_one()
            if added_by is None:
                found[key] = rid
        else:
            rid = found[key]
        conn.execute(sa.text("UPDATE participants SET resident_id = :r WHERE id = :p"), {"r": rid, "p": pid})


def downgrade() -> None:
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_actions_owner_resident_id_residents'), type_='foreignkey')
        batch_op.drop_column('owner_resident_id')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_column('league_table')
    op.drop_index(op.f('ix_point_rules_community_id'), table_name='point_rules')
    op.drop_table('point_rules')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participants_resident_id_residents'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participants_resident_id'))
        batch_op.drop_column('resident_id')
    op.drop_index(op.f('ix_residents_community_id'), table_name='residents')
    op.drop_table('residents')
