"""gunicorn settings: ``gunicorn -c python:exhibition.gunicorn_conf exhibition.wsgi``.

Everything can still be overridden on the command line (``-w``, ``-b``). Access lines come from
the application (one JSON line per request, with its request id), not from gunicorn.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then; jitter keeps them from restarting together
max_requests_jitter = 500
accesslog = None
errorlog = "-"
# gunicorn's control socket has one default path per user: two web processes on one machine
# would take it from each other. Not used here (deploys restart the process), so off.
control_socket_disable = True


def child_exit(server, worker):
    """A finished worker's metrics files stay summed (counters) or are dropped (live gauges)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn reads this file in its master before any application code; prometheus_client is
        # needed only in multiprocess mode, and only by this hook
        from prometheus_client import multiprocess  # noqa: PLC0415 -- only with PROMETHEUS_MULTIPROC_DIR

        multiprocess.mark_process_dead(worker.pid)
