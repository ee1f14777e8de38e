"""Foundation: areas, accounts, roles, outbox and worker heartbeats.

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 21:52:47.253680
"""

from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table('gemeenten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('gemeenten', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_gemeenten_geom', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_done_at'), ['done_at'], unique=False)

    op.create_table('worker_heartbeats',
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('worker')
    )
    op.create_geospatial_table('wijken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('cbs_naam', sa.String(length=160), nullable=False),
    sa.Column('gemeente_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['gemeente_id'], ['gemeenten.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_wijken_geom', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_wijken_gemeente_id'), ['gemeente_id'], unique=False)

    op.create_geospatial_table('buurten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('naam', sa.String(length=160), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=False),
    sa.Column('geom', Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('buurten', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_buurten_geom', ['geom'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_buurten_wijk_id'), ['wijk_id'], unique=False)

    op.create_geospatial_table('plekken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('naam', sa.String(length=160), nullable=False),
    sa.Column('soort', sa.String(length=40), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('locatie', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('locatie_rd', Geometry(geometry_type='POINT', srid=28992, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('bij_benadering', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('naam')
    )
    with op.batch_alter_table('plekken', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_plekken_locatie', ['locatie'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_geospatial_index('idx_plekken_locatie_rd', ['locatie_rd'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_plekken_wijk_id'), ['wijk_id'], unique=False)

    op.create_geospatial_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('naam', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('login_token', sa.String(length=64), nullable=False),
    sa.Column('postcode', sa.String(length=7), nullable=True),
    sa.Column('huisnummer', sa.String(length=10), nullable=True),
    sa.Column('home', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('home_rd', Geometry(geometry_type='POINT', srid=28992, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry'), nullable=True),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('buurt_id', sa.Integer(), nullable=True),
    sa.Column('taal', sa.String(length=5), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['buurt_id'], ['buurten.id'], ),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email'),
    sa.UniqueConstraint('login_token')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_users_home', ['home'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_geospatial_index('idx_users_home_rd', ['home_rd'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_users_buurt_id'), ['buurt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_wijk_id'), ['wijk_id'], unique=False)

    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'role', 'wijk_id')
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_user_id'))

    op.drop_table('role_grants')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_wijk_id'))
        batch_op.drop_index(batch_op.f('ix_users_buurt_id'))
        batch_op.drop_geospatial_index('idx_users_home_rd', postgresql_using='gist', column_name='home_rd')
        batch_op.drop_geospatial_index('idx_users_home', postgresql_using='gist', column_name='home')

    op.drop_geospatial_table('users')
    with op.batch_alter_table('plekken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plekken_wijk_id'))
        batch_op.drop_geospatial_index('idx_plekken_locatie_rd', postgresql_using='gist', column_name='locatie_rd')
        batch_op.drop_geospatial_index('idx_plekken_locatie', postgresql_using='gist', column_name='locatie')

    op.drop_geospatial_table('plekken')
    with op.batch_alter_table('buurten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buurten_wijk_id'))
        batch_op.drop_geospatial_index('idx_buurten_geom', postgresql_using='gist', column_name='geom')

    op.drop_geospatial_table('buurten')
    with op.batch_alter_table('wijken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wijken_gemeente_id'))
        batch_op.drop_geospatial_index('idx_wijken_geom', postgresql_using='gist', column_name='geom')

    op.drop_geospatial_table('wijken')
    op.drop_table('worker_heartbeats')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_done_at'))
        batch_op.drop_index(batch_op.f('ix_outbox_messages_created_at'))

    op.drop_table('outbox_messages')
    with op.batch_alter_table('gemeenten', schema=None) as batch_op:
        batch_op.drop_geospatial_index('idx_gemeenten_geom', postgresql_using='gist', column_name='geom')

    op.drop_geospatial_table('gemeenten')
