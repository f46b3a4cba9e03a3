"""How an issue came in (the council's page, a worker's entry of a written or spoken issue or
one from a roaming council, a building head raising it for a household) and which worker
entered it; residents marked as building head (楼门长) of a building. Every issue raised before
came in on the page.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

CHANNELS = "'page','written','spoken','roaming','building_head'"


def upgrade() -> None:
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=20), server_default='page', nullable=False))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_issues_entered_by_id_facilitators'), 'facilitators',
                                    ['entered_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_issues_channel'), f"channel IN ({CHANNELS})")
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('building_head', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_column('building_head')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_issues_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_issues_entered_by_id_facilitators'), type_='foreignkey')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('channel')
