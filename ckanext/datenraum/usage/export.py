"""The report as CSV: one figure per row, so suppressed cells stay visible as such."""

from __future__ import annotations

import csv
import io

CSV_COLUMNS = ("section", "subject", "label", "metric", "value", "suppressed")
_SUBJECT_KEYS = ("day", "id", "term", "action")
_LABEL_KEYS = ("title", "name", "term", "action")
_NEVER_SUPPRESSED = frozenset({"quality"})


def report_csv(report: dict) -> str:
    """The report as one long table: one figure per row (empty value = suppressed)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow(row)
    return out.getvalue()


def csv_rows(report: dict):
    period = f"{report['period']['start']}/{report['period']['end']}"
    suppressing = "k_anonymity" in report
    for metric, value in report["totals"].items():
        if value is not None or suppressing:
            yield ("totals", period, "", metric, _cell(value), value is None)
    for section, rows in report.items():
        if section in ("totals", "period", "organization") or not isinstance(rows, list):
            continue
        for row in rows:
            subject = next((str(row[key]) for key in _SUBJECT_KEYS if key in row), "")
            label = next((str(row[key]) for key in _LABEL_KEYS if row.get(key)), "")
            for metric, value in row.items():
                if metric in _SUBJECT_KEYS or metric in _LABEL_KEYS or metric == "dataset_name":
                    continue
                if value is None and (not suppressing or metric in _NEVER_SUPPRESSED):
                    continue  # not applicable (e.g. a dataset without a quality score)
                yield (section, subject, label, metric, _cell(value), value is None)


def _cell(value) -> str:
    return "" if value is None else str(value)
