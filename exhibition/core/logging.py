"""Structured logs: one JSON object per line, with the request id of the request that caused it.

* :class:`RequestIdMiddleware` takes the proxy's ``X-Request-ID`` (when it looks like one) or
  makes a new id, keeps it in a context variable for the request, and answers with it.
* :func:`current_request_id` is read by :class:`ContextFilter` (every log record gets
  ``request_id``, ``task_id`` and ``task_name``) and by the Celery signal below, which puts
  the id in the headers of every task the request queues; the worker restores it while the
  task runs, so a task's log lines carry the id of the request that queued it.
* :class:`JsonFormatter` writes the record as one line of JSON. ``LOG_FORMAT=text`` gives
  readable lines for development.

The records go through the root logger only (every other logger propagates to it and has
no handler of its own), so each line is written once.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from celery import signals

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_task: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("task", default=("", ""))

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
HEADER = "request_id"


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id (the proxy's ``X-Request-ID`` if it is sane) and return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx responses (django.request) after the
        # middleware chain has returned, and those lines need the id too. The next request on
        # this thread sets its own.
        set_request_id(request_id)
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        return response


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task_name`` to every record (empty when none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        task_id, task_name = _task.get()
        record.task_id = getattr(record, "task_id", "") or task_id
        record.task_name = getattr(record, "task_name", "") or task_name
        return True


_STANDARD = set(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "request_id",
    "task_id",
    "task_name",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id", "task_name"):
            value = getattr(record, key, "")
            if value:
                out[key] = value
        for key, value in vars(record).items():  # extra={...} given by the caller
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        if record.exc_info:
            out["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def logging_config(*, level: str = "INFO", fmt: str = "json") -> dict[str, Any]:
    """The ``LOGGING`` setting: one handler, on the root logger; Django's own loggers propagate to it.

    Python warnings become log records too (logger ``py.warnings``), so stderr holds only JSON lines.
    """
    logging.captureWarnings(True)
    formatter = (
        {"()": JsonFormatter}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s%(task_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": ContextFilter}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "default", "filters": ["context"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults give these their own console handlers as well: that printed every
            # line twice (once there, once at the root). Here they only propagate.
            "django": {"handlers": [], "level": level, "propagate": True},
            # One line per request: exhibition.request (MetricsMiddleware) writes it, with the view,
            # status and duration. runserver's access line and Django's 4xx warnings repeated it (two
            # or three lines per request); 5xx keep their traceback (django.request at ERROR).
            "django.server": {"handlers": [], "level": "CRITICAL", "propagate": True},
            "django.request": {"handlers": [], "level": "ERROR", "propagate": True},
            "django.db.backends": {"level": "INFO"},
            "celery": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.access": {"handlers": [], "level": level, "propagate": True},
            # django-axes logs every sign-in at INFO: only its warnings matter.
            "axes": {"level": "WARNING"},
        },
    }


# --- Celery: carry the id into the tasks a request queues ----------------------------------------


def connect_celery_signals() -> None:
    @signals.before_task_publish.connect(weak=False)
    def _add_request_id(headers=None, **_kwargs):
        request_id = _request_id.get()
        if headers is not None and request_id and not headers.get(HEADER):
            headers[HEADER] = request_id

    @signals.task_prerun.connect(weak=False)
    def _enter_task(task_id=None, task=None, **_kwargs):
        request_id = getattr(task.request, HEADER, None) or ""
        task.request._log_tokens = (
            _request_id.set(request_id or _request_id.get()),
            _task.set((task_id or "", task.name)),
        )

    @signals.task_postrun.connect(weak=False)
    def _leave_task(task=None, **_kwargs):
        tokens = getattr(task.request, "_log_tokens", None)
        if tokens:
            try:
                _request_id.reset(tokens[0])
                _task.reset(tokens[1])
            except ValueError:  # reset from another context (eager tasks inside a request)
                pass
            task.request._log_tokens = None
