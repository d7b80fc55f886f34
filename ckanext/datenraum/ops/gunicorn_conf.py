"""gunicorn settings of the production web server.

Start: ``gunicorn --config python:ckanext.datenraum.ops.gunicorn_conf
'ckanext.datenraum.ops.wsgi:create_application()'`` with ``CKAN_INI`` set. The process set
(``processes.py``) passes the rest through the environment:

- ``DATENRAUM_WEB_BIND``: address to listen on (default ``127.0.0.1:5000``);
- ``DATENRAUM_WEB_WORKERS``: worker processes (default 2 × CPU cores + 1, gunicorn's advice
  for sync workers; docs/decisions/0500);
- ``DATENRAUM_WEB_TIMEOUT``: seconds before a silent worker is replaced (default 60).

The access log keeps the usage statistics' promise (docs/decisions/0300): method, path without
the query string, status, size and duration; never the client address, user agent, referrer or
query string.
"""

from __future__ import annotations

import os

# gunicorn reads the module's lowercase names that are settings; the helper below is not one.


def default_workers(cores: int | None = None) -> int:
    return 2 * (cores or os.cpu_count() or 1) + 1


bind = os.environ.get("DATENRAUM_WEB_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("DATENRAUM_WEB_WORKERS") or default_workers())
worker_class = "sync"
timeout = int(os.environ.get("DATENRAUM_WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
# Replace a worker after this many requests (with jitter, so they do not all restart at once):
# bounds the memory a long-running CKAN process can accumulate.
max_requests = 2000
max_requests_jitter = 200
# Each worker loads CKAN itself: a preloaded app would share PostgreSQL and Redis connections
# across the fork.
preload_app = False
proc_name = "datenraum-web"
# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl): two
# servers of one user would take it from each other. The process manager controls gunicorn.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Only a proxy on this machine may set X-Forwarded-Proto and friends.
forwarded_allow_ips = "127.0.0.1"
