"""core.background: long work starts after commit and, with eager Celery, runs in a thread so
the request that started it returns at once."""

from __future__ import annotations

import threading

import pytest
from celery import shared_task
from django.db import transaction

from exhibition.core import background

seen: list = []
gate = threading.Event()


@shared_task(name="exhibition.tests.background_probe", ignore_result=True)
def probe(*, value: int) -> None:
    gate.wait(5)
    seen.append((value, threading.current_thread().name, background.in_background()))


@pytest.fixture(autouse=True)
def _reset():
    seen.clear()
    gate.clear()
    yield
    gate.set()
    background.wait_for_background(5)


@pytest.mark.django_db(transaction=True)
def test_dispatch_with_threads_returns_before_the_task_ends(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.BACKGROUND_THREADS = True
    with transaction.atomic():
        background.dispatch(probe, value=7)
        assert seen == []  # nothing before commit
    assert seen == []  # committed: started, but the caller did not wait for it
    gate.set()
    assert background.wait_for_background(5) is True
    assert seen == [(7, "background:exhibition.tests.background_probe", True)]


@pytest.mark.django_db(transaction=True)
def test_dispatch_without_threads_runs_inline_after_commit(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.BACKGROUND_THREADS = False
    gate.set()
    with transaction.atomic():
        background.dispatch(probe, value=3)
        assert seen == []
    assert seen == [(3, threading.current_thread().name, False)]


@pytest.mark.django_db(transaction=True)
def test_dispatch_rolled_back_never_runs(settings):
    settings.BACKGROUND_THREADS = True
    gate.set()
    with pytest.raises(RuntimeError), transaction.atomic():
        background.dispatch(probe, value=1)
        raise RuntimeError
    assert background.wait_for_background(5) is True
    assert seen == []
