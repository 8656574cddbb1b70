"""Every compute's next report is written in full once: the stored report
digests are replaced by one no report has, so a report that changed
nothing since the upgrade still stores the PCPU inventory its NUMA cells'
dedicated CPUs now give (an unchanged report would otherwise skip the
write; a cleared digest would not do, as the stored report is then
compared whole and found the same).

Revision ID: n20a0001
Revises: l21a0001
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa

revision = 'n20a0001'
down_revision = 'l21a0001'
branch_labels = None
depends_on = None

# Not a hex digest: no report digests to it.
REWRITE = 'rewrite'


def upgrade():
    nodes = sa.table('compute_nodes', sa.column('report_digest'))
    op.execute(nodes.update().values(report_digest=REWRITE))


def downgrade():
    # Digests come back with the next report of each compute.
    pass
