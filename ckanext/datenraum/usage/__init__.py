"""Privacy-first usage statistics: server-side counting, aggregation, dashboards, quality."""
