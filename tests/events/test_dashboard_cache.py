"""The organiser's dashboard figures are counted once and shared, and never go stale after a write."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from exhibition.accounts.models import TradeVisitor, User

pytestmark = pytest.mark.django_db(transaction=True)  # writes signal the dashboard on commit


def _dashboard(client, event) -> str:
    resp = client.get(reverse("events:home", kwargs={"event_slug": event.slug}))
    assert resp.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", resp.content.decode())


def _pending_visitor(event, n: int) -> TradeVisitor:
    user = User.objects.create_user(email=f"buyer{n}@example.test", password=None)
    return TradeVisitor.objects.create(
        event=event,
        user=user,
        organisation_name="Police",
        job_title="Buyer",
        country="FR",
        status=TradeVisitor.Status.PENDING,
    )


def test_a_second_visit_reuses_the_figures_and_a_write_shows_at_once(
    client, event, organiser, django_assert_max_num_queries
):
    client.force_login(organiser)
    first = _dashboard(client, event)
    assert "awaits vetting" not in first
    with django_assert_max_num_queries(12):  # the counting (about 40 queries) is not done again
        assert _dashboard(client, event) == first

    visitor = _pending_visitor(event, 1)
    assert "1 visitor awaits vetting" in _dashboard(client, event)
    visitor.status = TradeVisitor.Status.APPROVED
    visitor.save()
    assert "awaits vetting" not in _dashboard(client, event)
    visitor.delete()
    _pending_visitor(event, 2)
    _pending_visitor(event, 3)
    assert "2 visitors await vetting" in _dashboard(client, event)


def test_with_the_cache_failing_the_figures_are_counted_each_time(client, event, organiser, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "set", "incr"):
        monkeypatch.setattr(cache, name, down)
    client.force_login(organiser)
    assert "awaits vetting" not in _dashboard(client, event)
    _pending_visitor(event, 1)
    assert "1 visitor awaits vetting" in _dashboard(client, event)
