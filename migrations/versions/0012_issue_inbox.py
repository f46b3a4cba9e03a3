"""The issue inbox: issues residents raise on a council's page any day, the residents who
support them, and the facilitator's triage (answered, carried into a session, escalated to the
parent council or a named unit with a reply deadline, merged into another issue).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 10:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'issues',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('council_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.String(length=200), nullable=False),
        sa.Column('door_number', sa.String(length=20), nullable=False),
        sa.Column('photo', sa.String(length=80), nullable=True),
        sa.Column('tag', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('merged_into_id', sa.Integer(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('escalated_to_id', sa.Integer(), nullable=True),
        sa.Column('unit', sa.String(length=100), nullable=False),
        sa.Column('reply_due', sa.Date(), nullable=True),
        sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('open','answered','carried','escalated','merged')",
                           name=op.f('ck_issues_state')),
        sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_issues_council_id_councils'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_issues_resident_id_residents'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['merged_into_id'], ['issues.id'], name=op.f('fk_issues_merged_into_id_issues'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['escalated_to_id'], ['councils.id'],
                                name=op.f('fk_issues_escalated_to_id_councils'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_issues_topic_id_topics'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issues')),
    )
    op.create_index(op.f('ix_issues_council_id'), 'issues', ['council_id'], unique=False)
    op.create_index(op.f('ix_issues_escalated_to_id'), 'issues', ['escalated_to_id'], unique=False)
    op.create_table(
        'issue_supports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issue_id', sa.Integer(), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['issue_id'], ['issues.id'], name=op.f('fk_issue_supports_issue_id_issues'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['resident_id'], ['residents.id'],
                                name=op.f('fk_issue_supports_resident_id_residents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_supports')),
        sa.UniqueConstraint('issue_id', 'resident_id', name=op.f('uq_issue_supports_issue_id_resident_id')),
    )
    op.create_index(op.f('ix_issue_supports_issue_id'), 'issue_supports', ['issue_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_issue_supports_issue_id'), table_name='issue_supports')
    op.drop_table('issue_supports')
    op.drop_index(op.f('ix_issues_escalated_to_id'), table_name='issues')
    op.drop_index(op.f('ix_issues_council_id'), table_name='issues')
    op.drop_table('issues')
