"""Test settings: the project's settings, with fast hashing and in-memory e-mail."""

from exhibition.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tasks run in-process unless a test starts a real worker (tests/core/test_celery_redis.py).
CELERY_TASK_ALWAYS_EAGER = True
# Uploaded files in memory: no test writes to disk, and any code that reached for a local path
# instead of the storage API (S3 in production) would fail here.
STORAGES["default"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}  # noqa: F405
STORAGES["private"] = {"BACKEND": "django.core.files.storage.InMemoryStorage"}  # noqa: F405
# Throttles stay out of the way of the suite; tests/core/test_api_exposure.py sets a low rate to see one.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"heavy": "100000/hour"}}  # noqa: F405
