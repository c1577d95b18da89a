"""Test settings: the project's production settings (DEBUG off is the default), with fast
hashing, in-memory e-mail, plain HTTP and a test-only secret key."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789abcdef")


def _own_redis_database(url: str, worker: str) -> str:
    """`make test` runs the suite in two processes (pytest-xdist: gw0, gw1). Each has its own test
    database (pytest-django names it); this gives each its own Redis database as well, so a test
    that empties Redis or starts a Celery worker sees only its own process's keys and queues."""
    if not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base - int(worker[2:])) % 16}"))


if os.environ.get("REDIS_URL"):  # before the settings read it; subprocesses (Celery, gunicorn) inherit it
    os.environ["REDIS_URL"] = _own_redis_database(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

from exhibition.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# WhiteNoise indexes STATIC_ROOT in every test client it is built for: an empty one here, whatever a
# benchmark may have collected into the project's staticfiles/ (1,871 files made each test ~0.15 s slower).
STATIC_ROOT = Path(tempfile.gettempdir()) / "exhibition-tests-static"
STATIC_ROOT.mkdir(exist_ok=True)
# Tasks run in-process unless a test starts a real worker (tests/core/test_celery_redis.py).
CELERY_TASK_ALWAYS_EAGER = True
# Lockout and rate-limit counts live in this process only (cleared before each test); the
# tests that prove they are shared start real web processes on the real Redis.
CACHES["ratelimit"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}  # noqa: F405
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
# Uploaded files in memory: no test writes to disk, and any code that reached for a local path
# instead of the storage API (S3 in production) would fail here.
STORAGES["default"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}  # noqa: F405
STORAGES["private"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}  # noqa: F405
# Throttles stay out of the way of the suite; tests/core/test_api_exposure.py sets a low rate to see one.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"heavy": "100000/hour"}}  # noqa: F405
# Eager tasks that core.background would start in a thread run in the caller's thread, so a
# test sees the finished work when its request returns (browser tests that show progress
# turn threads back on and wait with core.background.wait_for_background).
BACKGROUND_THREADS = False
# SQLite: the test database is a file, not Django's shared-cache memory database. In shared
# cache a table lock fails at once ("database table is locked") instead of waiting out the busy
# timeout, so a page read while a background thread writes (browser tests turn threads on)
# would fail here although it waits, as it should, on the demo's file database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"exhibition-tests-{os.getpid()}.sqlite3")
    }
