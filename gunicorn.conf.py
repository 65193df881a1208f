"""gunicorn for production: `gunicorn -c gunicorn.conf.py wsgi:app` behind a reverse proxy
(README, "Exploitation"). Every setting can be changed by an environment variable or on the
command line (`-w`, `-b`, `--timeout` win over this file)."""

import os

os.environ.setdefault("FLASK_CONFIG", "production")

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers behind a buffering proxy (nginx): a slow client never holds a worker. 4 workers
# on 2 cores is what bench/load measured, on SQLite (WAL) and PostgreSQL alike.
workers = int(os.environ.get("GUNICORN_WORKERS", 4))
worker_class = "sync"
# A request still running after `timeout` seconds gets its worker killed (its transaction is
# rolled back by the database); SIGTERM lets requests in flight finish for `graceful_timeout`.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle workers now and then (memory), not all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # empty: no access log
errorlog = "-"
# No runtime control socket (gunicornc): its default path is shared by every instance.
control_socket_disable = True
# X-Forwarded-* from the local proxy only (the app's TRUSTED_PROXIES says how many hops).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Bring the search index in step with the database before the workers start (cheap on a
    small database; only the retry queue on a large one). SEARCH_CHECK_AT_START=0 skips it."""
    if os.environ.get("SEARCH_CHECK_AT_START", "1") in {"0", "false", "no", "off"}:
        return
    from ideas import create_app
    from ideas.search.sync import check_at_startup

    done = check_at_startup(create_app(os.environ["FLASK_CONFIG"]))
    if done:
        server.log.info(done)


def post_worker_init(worker):
    """Each worker reads the search index's shared data (facets, columns) before its first
    request, instead of a user's search paying for it."""
    from ideas.search.sync import warm_worker

    warm_worker(worker.wsgi)


def worker_abort(worker):
    worker.log.warning("worker %s killed by the timeout (%ss) in the middle of a request: "
                       "its transaction is rolled back", worker.pid, worker.cfg.timeout)
