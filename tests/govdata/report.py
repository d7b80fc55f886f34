"""What the test session measured of the real clients, printed in pytest's terminal summary.

``TIMINGS``: seconds per step of the session fixtures. ``FIELD_COUNTS``: per client and field,
how many values of ours the client was given and how many it holds as we hold them. The closing
note's field table is this summary.
"""

from __future__ import annotations

import contextlib
import resource
import time

TIMINGS: dict[str, float] = {}
FIELD_COUNTS: dict[tuple[str, str], tuple[int, int]] = {}  # (client, field) -> (held, given)
DATASET_COUNTS: dict[str, tuple[int, int]] = {}  # client -> (imported, offered)


@contextlib.contextmanager
def timed(step: str):
    started = time.monotonic()
    yield
    TIMINGS[step] = round(time.monotonic() - started, 1)


def write_summary(terminalreporter) -> None:
    if TIMINGS:
        terminalreporter.section("real clients (seconds)")
        for step, seconds in TIMINGS.items():
            terminalreporter.write_line(f"{step:<40} {seconds:>7}")
        # CPU time does not depend on what else the machine runs: it bounds the wall time a
        # machine of our own would need (the servers, consumers and commands are children).
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        terminalreporter.write_line(
            f"{'CPU: this process / its child processes':<40} "
            f"{own.ru_utime + own.ru_stime:>7.1f} / {children.ru_utime + children.ru_stime:.1f}"
        )
    if DATASET_COUNTS:
        terminalreporter.section("real clients: datasets imported / offered")
        for client, (imported, offered) in sorted(DATASET_COUNTS.items()):
            terminalreporter.write_line(f"{client:<10} {imported:>5} / {offered}")
    if FIELD_COUNTS:
        terminalreporter.section("real clients: values held / values given, per field")
        clients = sorted({client for client, _ in FIELD_COUNTS})
        fields = list(dict.fromkeys(field for _, field in FIELD_COUNTS))
        terminalreporter.write_line(f"{'field':<44}" + "".join(f"{c:>14}" for c in clients))
        for field in fields:
            cells = []
            for client in clients:
                held, given = FIELD_COUNTS.get((client, field), (None, None))
                cells.append(f"{held:>6} / {given:<5}" if given is not None else f"{'–':>14}")
            terminalreporter.write_line(f"{field:<44}" + "".join(f"{c:>14}" for c in cells))
