"""Pre-moderation and undoing a merge: a session's switch, each topic's and café idea's
review (pending, approved, rejected), and the supports a merge brought over.

Every existing topic and idea was shown as it came in: they are all approved.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 09:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('premoderation', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=10), nullable=False, server_default='approved'))
        batch_op.create_check_constraint(op.f('ck_topics_review'), "review IN ('pending','approved','rejected')")

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=10), nullable=False, server_default='approved'))
        batch_op.create_check_constraint(op.f('ck_ideas_review'), "review IN ('pending','approved','rejected')")

    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_topic_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_supports_via_topic_id_topics'), 'topics', ['via_topic_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    # What waits or was refused was never shown: an older version keeps it hidden.
    op.execute("UPDATE topics SET hidden = true WHERE review <> 'approved'")
    op.execute("UPDATE ideas SET hidden = true WHERE review <> 'approved'")
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_supports_via_topic_id_topics'), type_='foreignkey')
        batch_op.drop_column('via_topic_id')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_ideas_review'), type_='check')
        batch_op.drop_column('review')

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_topics_review'), type_='check')
        batch_op.drop_column('review')

    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_column('premoderation')
