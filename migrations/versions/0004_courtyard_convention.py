"""courtyard convention

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:50:54.965272
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('conventions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_conventions_council_id_councils'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conventions')),
    sa.UniqueConstraint('council_id', name=op.f('uq_conventions_council_id'))
    )
    op.create_table('article_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('add','amend','repeal')", name=op.f('ck_article_changes_kind')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_article_changes_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_changes')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_article_changes_proposal_id'))
    )
    op.create_table('convention_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('convention_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('adopted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['convention_id'], ['conventions.id'], name=op.f('fk_convention_versions_convention_id_conventions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_convention_versions_decision_id_decisions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_convention_versions')),
    sa.UniqueConstraint('convention_id', 'number', name=op.f('uq_convention_versions_convention_id_number'))
    )
    with op.batch_alter_table('convention_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_convention_versions_convention_id'), ['convention_id'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['convention_versions.id'], name=op.f('fk_articles_version_id_convention_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_articles_version_id_number'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_version_id'), ['version_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_version_id'))

    op.drop_table('articles')
    with op.batch_alter_table('convention_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_convention_versions_convention_id'))

    op.drop_table('convention_versions')
    op.drop_table('article_changes')
    op.drop_table('conventions')

