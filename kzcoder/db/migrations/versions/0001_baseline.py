"""Baseline schema: project, documents and their attributes, codes, coders, codings.

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-11-22 04:07:33.076671
"""
import sqlalchemy as sa
from alembic import op

revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


# SQLite's GLOB and PostgreSQL's regular expression say the same: '#' and six upper-case hex digits
_COLOR_CHECK = {"sqlite": "color GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'",
                "postgresql": "color ~ '^#[0-9A-F]{6}$'"}


def upgrade() -> None:
    op.create_table('coders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coders')),
    sa.UniqueConstraint('guid', name=op.f('uq_coders_guid')),
    sa.UniqueConstraint('name', name=op.f('uq_coders_name'))
    )
    op.create_table('codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('shortcut', sa.String(length=1), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint(_COLOR_CHECK[op.get_bind().dialect.name], name=op.f('ck_codes_color_hex')),
    sa.ForeignKeyConstraint(['parent_id'], ['codes.id'], name=op.f('fk_codes_parent_id_codes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codes')),
    sa.UniqueConstraint('guid', name=op.f('uq_codes_guid')),
    sa.UniqueConstraint('shortcut', name=op.f('uq_codes_shortcut'))
    )
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codes_parent_id'), ['parent_id'], unique=False)
    # Code names are unique among siblings; coalesce() makes root codes (NULL parent) count too.
    op.create_index('uq_codes_sibling_name', 'codes',
                    [sa.text('coalesce(parent_id, 0)'), 'name'], unique=True)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source_encoding', sa.String(length=40), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('guid', name=op.f('uq_documents_guid')),
    sa.UniqueConstraint('name', name=op.f('uq_documents_name')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    op.create_table('project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project')),
    sa.UniqueConstraint('guid', name=op.f('uq_project_guid'))
    )
    op.create_table('codings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f('ck_codings_span_order')),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_codings_code_id_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coder_id'], ['coders.id'], name=op.f('fk_codings_coder_id_coders')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_codings_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codings')),
    sa.UniqueConstraint('guid', name=op.f('uq_codings_guid'))
    )
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codings_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_codings_coder_id'), ['coder_id'], unique=False)
        batch_op.create_index('ix_codings_document_start', ['document_id', 'start'], unique=False)

    op.create_table('document_attributes',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_attributes_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'name', name=op.f('pk_document_attributes'))
    )



def downgrade() -> None:
    op.drop_table('document_attributes')
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_index('ix_codings_document_start')
        batch_op.drop_index(batch_op.f('ix_codings_coder_id'))
        batch_op.drop_index(batch_op.f('ix_codings_code_id'))

    op.drop_table('codings')
    op.drop_table('project')
    op.drop_table('documents')
    op.drop_index('uq_codes_sibling_name', table_name='codes')
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_codes_parent_id'))

    op.drop_table('codes')
    op.drop_table('coders')
