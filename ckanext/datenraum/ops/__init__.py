"""Operations: the production process set, its schedule, health endpoint and WSGI entry point.

``processes`` describes the process set once and renders it for supervisor (``make run``) and
systemd; ``schedule`` runs the periodic jobs through CKAN's background-job queue; ``health``
answers load balancers; ``wsgi`` and ``gunicorn_conf`` start CKAN under gunicorn.
"""
