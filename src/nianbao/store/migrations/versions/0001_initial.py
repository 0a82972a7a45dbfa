"""Initial schema: agencies, reports, versions, cells, sections, findings, decisions, failures, users.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 14:14:45.926447
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('norm_name', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('region', sa.String(length=255), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('is_government', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('norm_name')
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_agencies_region'), ['region'], unique=False)

    op.create_table('decisions',
    sa.Column('finding_key', sa.String(length=40), nullable=False),
    sa.Column('decision', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('finding_key')
    )
    op.create_table('ingest_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ingest_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_failures_path'), ['path'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=8), nullable=True),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('cross_dirty', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agency_id', 'year', name='uq_reports_agency_year')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_cross_dirty'), ['cross_dirty'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_current_version_id'), ['current_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_year'), ['year'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('other_report_id', sa.Integer(), nullable=True),
    sa.Column('scope', sa.String(length=12), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('defect', sa.String(length=12), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('cells', sa.Text(), nullable=False),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('data', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['other_report_id'], ['reports.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_other_report_id'), ['other_report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_report_id'), ['report_id'], unique=False)

    op.create_table('report_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('source', sa.LargeBinary(), nullable=False),
    sa.Column('report_json', sa.Text(), nullable=False),
    sa.Column('raw_agency', sa.String(length=255), nullable=True),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ingested_by', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('content_hash'),
    sa.UniqueConstraint('report_id', 'version', name='uq_versions_report_version')
    )
    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_versions_report_id'), ['report_id'], unique=False)

    op.create_table('cells',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('tbl', sa.String(length=20), nullable=False),
    sa.Column('row', sa.String(length=40), nullable=False),
    sa.Column('col', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=True),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('raw', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('provenance', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.create_index('ix_cells_report_ref', ['report_id', 'tbl', 'row', 'col'], unique=False)
        batch_op.create_index(batch_op.f('ix_cells_version_id'), ['version_id'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('heading', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['report_versions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sections_version_id'), ['version_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_version_id'))
        batch_op.drop_index(batch_op.f('ix_sections_report_id'))

    op.drop_table('sections')
    with op.batch_alter_table('cells', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cells_version_id'))
        batch_op.drop_index('ix_cells_report_ref')

    op.drop_table('cells')
    with op.batch_alter_table('report_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_versions_report_id'))

    op.drop_table('report_versions')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_report_id'))
        batch_op.drop_index(batch_op.f('ix_findings_other_report_id'))

    op.drop_table('findings')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_year'))
        batch_op.drop_index(batch_op.f('ix_reports_current_version_id'))
        batch_op.drop_index(batch_op.f('ix_reports_cross_dirty'))
        batch_op.drop_index(batch_op.f('ix_reports_agency_id'))

    op.drop_table('reports')
    op.drop_table('users')
    with op.batch_alter_table('ingest_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingest_failures_path'))

    op.drop_table('ingest_failures')
    op.drop_table('decisions')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_region'))
        batch_op.drop_index(batch_op.f('ix_agencies_level'))

    op.drop_table('agencies')

