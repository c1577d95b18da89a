"""Every ``next`` (GET or POST) stays on this site: exhibition.core.redirects.safe_next."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from exhibition.accounts import services
from exhibition.accounts.models import User
from exhibition.core.redirects import safe_next
from exhibition.delegations.models import PlanningRun
from tests.factories.delegations import make_show

pytestmark = pytest.mark.django_db

HOSTILE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_safe_next_refuses_other_sites_and_schemes(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, "/home/") == "/home/"
    assert safe_next(RequestFactory().get("/x/", {"next": target}), "home") == reverse("home")


def test_safe_next_keeps_a_path_of_this_site_post_first():
    request = RequestFactory().post("/x/?next=/from-get/", {"next": "/from-post/?a=1"})
    assert safe_next(request, "/home/") == "/from-post/?a=1"
    assert safe_next(RequestFactory().get("/x/", {"next": "/plan/"}), "/home/") == "/plan/"
    assert (
        safe_next(RequestFactory().get("/x/", {"next": "http://testserver/plan/"}), "/home/")
        == "http://testserver/plan/"
    )


def test_safe_next_asks_https_when_the_request_is_secure():
    request = RequestFactory().get("/x/", {"next": "http://testserver/plan/"}, secure=True)
    assert safe_next(request, "/home/") == "/home/"


def _sign_up_and_confirm(client, target: str):
    """Sign up with ``?next=``, then prove the address: where the confirmation sends her."""
    client.post(
        f"/accounts/signup/?next={target}",
        {"full_name": "Anne", "email": "anne@example.test", "password": "a-long-pass-phrase-7"},
    )
    token = services.confirmation_token(User.objects.get(email="anne@example.test"))
    return client.post(f"/accounts/confirm/{token}/", {"password": "a-long-pass-phrase-7"})


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_sign_up_does_not_follow_a_foreign_next(client, target):
    response = _sign_up_and_confirm(client, target)
    assert (response.status_code, response["Location"]) == (302, "/")


def test_sign_up_follows_a_local_next(client, event):
    target = reverse("events:visitor_register", kwargs={"event_slug": event.slug})
    response = _sign_up_and_confirm(client, target)
    assert response["Location"] == target


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_delegation_page_actions_do_not_follow_a_foreign_next(client, event, organiser, target):
    show = make_show(event)
    client.force_login(organiser)
    detail = reverse("delegations:detail", kwargs={"event_slug": event.slug, "pk": show.delegation.pk})

    response = client.post(detail, {"action": "propose", "next": target})

    assert (response.status_code, response["Location"]) == (302, detail)


@pytest.mark.parametrize("target", HOSTILE[:3])
def test_cancelling_a_planning_run_does_not_follow_a_foreign_next(client, event, organiser, target):
    run = PlanningRun.objects.create(event=event, status=PlanningRun.Status.DONE)
    client.force_login(organiser)

    response = client.post(
        reverse("delegations:run_cancel", kwargs={"event_slug": event.slug, "run_id": run.pk}),
        {"next": target},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("delegations:list", kwargs={"event_slug": event.slug}),
    )
    local = client.post(
        reverse("delegations:run_cancel", kwargs={"event_slug": event.slug, "run_id": run.pk}),
        {"next": "/somewhere/on/this/site/"},
    )
    assert local["Location"] == "/somewhere/on/this/site/"


def test_language_switch_does_not_follow_a_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
