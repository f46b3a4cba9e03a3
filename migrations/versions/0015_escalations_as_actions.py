"""Escalations as actions: an issue escalated to the parent council or a named unit becomes an
action of the issue's council (no meeting, no decision), so its reply is rated at the council's
next evaluate step like every action. Two new kinds of owner: the parent council and a unit.
An issue already escalated and waiting for its reply gets its action here.
The owner is as long as a unit's or council's name (100), and the update that records the reply
as long as a reply (500).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

KINDS = "'resident','building_head','volunteers','property','partner'"
SOURCE = ("(session_id IS NOT NULL AND decision_id IS NOT NULL AND issue_id IS NULL)"
          " OR (session_id IS NULL AND decision_id IS NULL AND issue_id IS NOT NULL)")


def upgrade() -> None:
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issue_id', sa.Integer(), nullable=True))
        batch_op.alter_column('session_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('decision_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('owner', existing_type=sa.String(length=40), type_=sa.String(length=100),
                              existing_nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_actions_issue_id_issues'), 'issues', ['issue_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_actions_issue_id'), ['issue_id'])
        batch_op.drop_constraint(batch_op.f('ck_actions_owner_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_actions_owner_kind'),
                                         "owner_kind IN ('resident','building_head','volunteers','property','partner','unit','council')")
        batch_op.create_check_constraint(batch_op.f('ck_actions_source'), SOURCE)
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.alter_column('note', existing_type=sa.String(length=200), type_=sa.String(length=500),
                              existing_nullable=False)
    op.execute("""
        INSERT INTO actions (council_id, issue_id, what, owner, owner_kind, deadline, status, rating_open, created_at)
        SELECT i.council_id, i.id, i.text,
               CASE WHEN i.escalated_to_id IS NULL THEN i.unit ELSE COALESCE(c.name, '') END,
               CASE WHEN i.escalated_to_id IS NULL THEN 'unit' ELSE 'council' END,
               i.reply_due, 'planned', FALSE, COALESCE(i.escalated_at, i.created_at)
        FROM issues i LEFT JOIN councils c ON c.id = i.escalated_to_id
        WHERE i.state = 'escalated' AND i.reply_due IS NOT NULL""")


def downgrade() -> None:
    # An escalation's action has no meeting to belong to: it goes, with its updates and ratings.
    conn = op.get_bind()
    gone = "SELECT id FROM actions WHERE issue_id IS NOT NULL"
    conn.execute(sa.text(f"DELETE FROM ratings WHERE action_id IN ({gone})"))
    conn.execute(sa.text(f"DELETE FROM action_updates WHERE action_id IN ({gone})"))
    conn.execute(sa.text("DELETE FROM actions WHERE issue_id IS NOT NULL"))
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.alter_column('note', existing_type=sa.String(length=500), type_=sa.String(length=200),
                              existing_nullable=False)
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_actions_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_actions_owner_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_actions_owner_kind'), f"owner_kind IN ({KINDS})")
        batch_op.drop_constraint(batch_op.f('uq_actions_issue_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_actions_issue_id_issues'), type_='foreignkey')
        batch_op.alter_column('owner', existing_type=sa.String(length=100), type_=sa.String(length=40),
                              existing_nullable=False)
        batch_op.alter_column('decision_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('session_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('issue_id')
