"""Prikbord: posts of six kinds, reports and conversations; plekken become ontmoetingsplekken.

The foundation's `plekken` held only demo rows without an author, which a post needs; they are
dropped here and `omkijken seed-demo` puts them back as ontmoetingsplekken.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:30:18.570805
"""

from alembic import op
import sqlalchemy as sa
from geoalchemy2 import Geometry

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_geospatial_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('soort', sa.String(length=20), nullable=False),
    sa.Column('titel', sa.String(length=120), nullable=False),
    sa.Column('beschrijving', sa.Text(), nullable=False),
    sa.Column('categorie', sa.String(length=30), nullable=True),
    sa.Column('auteur_id', sa.Integer(), nullable=False),
    sa.Column('namens_id', sa.Integer(), nullable=True),
    sa.Column('wijk_id', sa.Integer(), nullable=True),
    sa.Column('buurt_id', sa.Integer(), nullable=True),
    sa.Column('op_huisadres', sa.Boolean(), nullable=False),
    sa.Column('locatie', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('locatie_rd', Geometry(geometry_type='POINT', srid=28992, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('toon_locatie', Geometry(geometry_type='POINT', srid=4326, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('toon_locatie_rd', Geometry(geometry_type='POINT', srid=28992, dimension=2, spatial_index=False, from_text='ST_GeomFromEWKT', name='geometry', nullable=False), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sluit_reden', sa.String(length=30), nullable=True),
    sa.Column('verborgen', sa.Boolean(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['auteur_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['buurt_id'], ['buurten.id'], ),
    sa.ForeignKeyConstraint(['namens_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['wijk_id'], ['wijken.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_geospatial_index('idx_posts_locatie_rd', ['locatie_rd'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_geospatial_index('idx_posts_toon_locatie', ['toon_locatie'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_geospatial_index('idx_posts_toon_locatie_rd', ['toon_locatie_rd'], unique=False, postgresql_using='gist', postgresql_ops={})
        batch_op.create_index(batch_op.f('ix_posts_auteur_id'), ['auteur_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_categorie'), ['categorie'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_soort'), ['soort'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_verborgen'), ['verborgen'], unique=False)
        batch_op.create_index(batch_op.f('ix_posts_wijk_id'), ['wijk_id'], unique=False)

    op.create_table('aanbod',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('categorieen', sa.JSON(), nullable=False),
    sa.Column('dagdelen', sa.JSON(), nullable=False),
    sa.Column('radius_m', sa.Integer(), nullable=False),
    sa.Column('wijk_ids', sa.JSON(), nullable=False),
    sa.Column('talen', sa.JSON(), nullable=False),
    sa.Column('capaciteit', sa.Integer(), nullable=False),
    sa.Column('heeft_vog', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('gesprekken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('deelnemer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deelnemer_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('post_id', 'deelnemer_id')
    )
    with op.batch_alter_table('gesprekken', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gesprekken_deelnemer_id'), ['deelnemer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gesprekken_post_id'), ['post_id'], unique=False)

    op.create_table('hulpvragen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wil', sa.Text(), nullable=False),
    sa.Column('kan_zelf', sa.Text(), nullable=False),
    sa.Column('nodig', sa.Text(), nullable=False),
    sa.Column('dagdelen', sa.JSON(), nullable=False),
    sa.Column('datum', sa.Date(), nullable=True),
    sa.Column('periode_tot', sa.Date(), nullable=True),
    sa.Column('voorkeur_taal', sa.String(length=5), nullable=True),
    sa.Column('voorkeur_geslacht', sa.String(length=5), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('initiatieven',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vraagt', sa.JSON(), nullable=False),
    sa.Column('fase', sa.String(length=20), nullable=False),
    sa.Column('losgelaten_reden', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('meldingen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('melder_id', sa.Integer(), nullable=False),
    sa.Column('reden', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('afgehandeld_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['melder_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('post_id', 'melder_id')
    )
    with op.batch_alter_table('meldingen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meldingen_post_id'), ['post_id'], unique=False)

    op.create_table('ontmoetingsplekken',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plek_soort', sa.String(length=20), nullable=False),
    sa.Column('adres', sa.String(length=160), nullable=False),
    sa.Column('openingstijden', sa.JSON(), nullable=False),
    sa.Column('bij_benadering', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('vacatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uren', sa.String(length=120), nullable=False),
    sa.Column('plaats', sa.String(length=160), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('activiteiten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('eind', sa.DateTime(timezone=True), nullable=True),
    sa.Column('herhaling', sa.String(length=60), nullable=False),
    sa.Column('herhaling_tot', sa.Date(), nullable=True),
    sa.Column('plek_id', sa.Integer(), nullable=True),
    sa.Column('initiatief_id', sa.Integer(), nullable=True),
    sa.Column('prijs', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('regels_gelezen', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['id'], ['posts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['initiatief_id'], ['initiatieven.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plek_id'], ['ontmoetingsplekken.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('activiteiten', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activiteiten_start'), ['start'], unique=False)

    op.create_table('berichten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gesprek_id', sa.Integer(), nullable=False),
    sa.Column('afzender_id', sa.Integer(), nullable=False),
    sa.Column('tekst', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['afzender_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['gesprek_id'], ['gesprekken.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('berichten', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_berichten_gesprek_id'), ['gesprek_id'], unique=False)

    with op.batch_alter_table('plekken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plekken_wijk_id'))
        batch_op.drop_geospatial_index('idx_plekken_locatie_rd', postgresql_using='gist', column_name='locatie_rd')
        batch_op.drop_geospatial_index('idx_plekken_locatie', postgresql_using='gist', column_name='locatie')

    op.drop_geospatial_table('plekken')


def downgrade():
    with op.batch_alter_table('berichten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_berichten_gesprek_id'))

    op.drop_table('berichten')
    with op.batch_alter_table('activiteiten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activiteiten_start'))

    op.drop_table('activiteiten')
    op.drop_table('vacatures')
    op.drop_table('ontmoetingsplekken')
    with op.batch_alter_table('meldingen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meldingen_post_id'))

    op.drop_table('meldingen')
    op.drop_table('initiatieven')
    op.drop_table('hulpvragen')
    with op.batch_alter_table('gesprekken', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gesprekken_post_id'))
        batch_op.drop_index(batch_op.f('ix_gesprekken_deelnemer_id'))

    op.drop_table('gesprekken')
    op.drop_table('aanbod')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_posts_wijk_id'))
        batch_op.drop_index(batch_op.f('ix_posts_verborgen'))
        batch_op.drop_index(batch_op.f('ix_posts_status'))
        batch_op.drop_index(batch_op.f('ix_posts_soort'))
        batch_op.drop_index(batch_op.f('ix_posts_created_at'))
        batch_op.drop_index(batch_op.f('ix_posts_categorie'))
        batch_op.drop_index(batch_op.f('ix_posts_auteur_id'))
        batch_op.drop_geospatial_index('idx_posts_toon_locatie_rd', postgresql_using='gist', column_name='toon_locatie_rd')
        batch_op.drop_geospatial_index('idx_posts_toon_locatie', postgresql_using='gist', column_name='toon_locatie')
        batch_op.drop_geospatial_index('idx_posts_locatie_rd', postgresql_using='gist', column_name='locatie_rd')

    op.drop_geospatial_table('posts')

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

