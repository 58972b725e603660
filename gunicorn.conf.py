"""gunicorn's settings for Oversight's web process (docs/deploy.md), all from the environment:

- GUNICORN_BIND: where to listen (127.0.0.1:8000); the TLS proxy in front connects here. A
  comma-separated list binds several (unix:/run/oversight/web.sock, fd://3).
- WEB_CONCURRENCY: worker processes (2); GUNICORN_THREADS: threads in each (2: on two cores,
  four threads served fewer requests than two, decision 0031). A worker holds one database
  connection per thread, so workers x threads x web servers stays under PostgreSQL's
  max_connections, less what the task workers use.
- GUNICORN_TIMEOUT: seconds a request may take before its worker is restarted (60; board
  report PDFs and exports are the slowest pages).
- FORWARDED_ALLOW_IPS: the proxy's addresses, whose X-Forwarded-* headers gunicorn trusts
  (127.0.0.1,::1).
- LOG_FORMAT: json (default) or text, as for the application.

The application logs one line per request itself (with its request id), so gunicorn's own
access log is off."""

import os

bind = [part.strip() for part in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
wsgi_app = "oversight.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once), in case
# memory creeps. Starting one costs about 2.5 s of CPU (Django and every app imported, then
# templates compiled and connections opened again) while the other workers carry its share:
# at 2000 that came round every minute or so per worker under load (decision 0026).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No control socket in the home directory: systemd signals the master (HUP, TERM) instead.
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": loglevel.upper(), "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
            }
        },
    }
