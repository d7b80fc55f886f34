"""Search terms: distinct daily visitors, so the public k counts people, not requests.

Rows aggregated before this revision get 0 visitors: their terms stay off the public report
(the aggregation job recomputes the days whose buffers are still in Redis).

Revision ID: 7d1a3c5e0002
Revises: 7d1a3c5e0001
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "7d1a3c5e0002"
down_revision = "7d1a3c5e0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "datenraum_usage_search_day",
        sa.Column("visitors", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("datenraum_usage_search_day", "visitors")
