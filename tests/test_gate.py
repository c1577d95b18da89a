"""The permission gate fails closed: every URL pattern either declares the permission it
checks or is public by name, and a view that declares nothing is refused before it runs."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.views import View
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from exhibition.core.gate import PUBLIC_VIEWS, declared_permission, is_public, view_class
from tests import factories

pytestmark = pytest.mark.django_db


def _patterns(patterns=None, prefix="", namespaces=()):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = ":".join([*namespaces, p.name]) if p.name else None
            yield prefix + str(p.pattern), name, namespaces, p


def test_every_url_declares_a_permission_or_is_public_by_name():
    undeclared = [
        f"{route} ({name})"
        for route, name, ns, p in _patterns()
        if not is_public(name, ns) and not declared_permission(view_class(p.callback))
    ]
    assert undeclared == []


def test_the_public_list_names_only_views_that_exist():
    names = {name for _route, name, _ns, _p in _patterns()}
    assert PUBLIC_VIEWS - names <= {"media"}  # the demo's media route exists only with DEBUG


def _sample_url(route: str, event_slug: str) -> str:
    """The route with plausible values for its parameters."""
    url = route.replace("^", "").replace("$", "")
    url = re.sub(r"<slug:event_slug>", event_slug, url)
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<(?:str|slug):\w+>", "x", url)
    url = re.sub(r"<\w+>", "x", url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "x", url)
    return "/" + url


# A signed-in person's own things, whatever their admission anywhere.
PERSONAL = {
    "accounts:tokens",
    "accounts:account",
    "accounts:password_change",
    "api:me",
    "api:invitation-accept",  # an invitation is how a person with no admission gets one
    "api:event-list",
    "api:token-list",
    "privacy_person:my_data",
    "api:my-data-exports",
    "api:my-erasure",
}


def test_anonymous_and_unadmitted_people_reach_nothing_but_the_public_views(client):
    """Walk every non-public URL as an anonymous visitor and as a signed-in person with no
    admission: none answers 200 with content, and none answers 500."""
    event = factories.make_event("private-show", public=False)
    nobody = factories.make_user()
    api = APIClient()
    for who in ("anonymous", "nobody"):
        if who == "nobody":
            client.force_login(nobody)
            api.force_authenticate(nobody)
        for route, name, ns, _p in _patterns():
            if is_public(name, ns) or (ns and ns[0] == "admin") or (who == "nobody" and name in PERSONAL):
                continue
            url = _sample_url(route, event.slug)
            c = api if url.startswith("/api/") else client
            for method in ("get", "post"):
                response = getattr(c, method)(url)
                assert response.status_code in (301, 302, 401, 403, 404, 405), (
                    who,
                    method,
                    url,
                    response.status_code,
                )


class Undeclared(View):
    def get(self, request):
        return HttpResponse("secret")


class UndeclaredApi(APIView):
    def get(self, request):
        return Response({"secret": True})


urlpatterns = [
    path("undeclared/", Undeclared.as_view(), name="undeclared"),
    path("api/undeclared/", UndeclaredApi.as_view(), name="undeclared-api"),
    *get_resolver("exhibition.urls").url_patterns,
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_declares_nothing_is_refused_even_to_organisers():
    event = factories.make_event()
    organiser = factories.make_organiser(event)
    client = APIClient()
    client.force_login(organiser)
    assert client.get("/undeclared/").status_code == 403
    response = client.get("/api/undeclared/")
    assert response.status_code == 403 and b"secret" not in response.content
