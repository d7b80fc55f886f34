"""Usage statistics tables: daily aggregates and metadata quality scores.

Revision ID: 7d1a3c5e0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "7d1a3c5e0001"
down_revision = None
branch_labels = None
depends_on = None


def _counts(*names):
    return [sa.Column(name, sa.Integer, nullable=False, server_default="0") for name in names]


def upgrade():
    op.create_table(
        "datenraum_usage_site_day",
        sa.Column("day", sa.Date, primary_key=True),
        *_counts(
            "views_human",
            "views_machine",
            "downloads_human",
            "downloads_machine",
            "api_calls",
            "searches_human",
            "searches_machine",
            "visitors",
            "opted_out",
        ),
    )
    op.create_table(
        "datenraum_usage_dataset_day",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("harvest_source_id", sa.UnicodeText),
        *_counts(
            "views_human", "views_machine", "downloads_human", "downloads_machine", "visitors"
        ),
    )
    op.create_table(
        "datenraum_usage_resource_day",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        *_counts("downloads_human", "downloads_machine"),
    )
    op.create_table(
        "datenraum_usage_api_day",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("action", sa.UnicodeText, primary_key=True),
        *_counts("calls"),
    )
    op.create_table(
        "datenraum_usage_search_day",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("term", sa.UnicodeText, primary_key=True),
        sa.Column("filters", sa.UnicodeText, primary_key=True),
        *_counts("searches_human", "searches_machine", "zero_results"),
    )
    op.create_table(
        "datenraum_usage_quality",
        sa.Column("dataset_id", sa.UnicodeText, primary_key=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("scored_at", sa.DateTime, nullable=False),
        *_counts(
            "total",
            "findability",
            "accessibility",
            "interoperability",
            "reusability",
            "contextuality",
        ),
        sa.Column("details", sa.UnicodeText, nullable=False, server_default="{}"),
    )


def downgrade():
    for table in (
        "datenraum_usage_quality",
        "datenraum_usage_search_day",
        "datenraum_usage_api_day",
        "datenraum_usage_resource_day",
        "datenraum_usage_dataset_day",
        "datenraum_usage_site_day",
    ):
        op.drop_table(table)
