"""An API fuzzer (schemathesis) against the published schema, once per role, on PostgreSQL.

Every operation of ``/api/schema/`` gets valid and invalid requests generated from the schema (path
ids drawn from the demo show's real objects half the time, so that detail endpoints answer 200 and
not only 404), sent through the real WSGI stack as anonymous, organiser, exhibitor admin, exhibitor
staff, head of delegation and approved visitor. Two checks: no server error (5xx) and every
documented response matches its schema. Whatever the roles may reach is what the permissions say
today: the fuzzer needs no list of endpoints per role.

The demo show (``seed_demo``'s builder) is the data, built once in a transaction that is rolled back
at the end; each request runs in a savepoint rolled back after it, so the show is the same for every
request and every role. Bounded: FUZZ_EXAMPLES (default 6) examples per operation and role, about
three minutes in all on the development machine. ``make fuzz FUZZ_EXAMPLES=50`` explores more.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from exhibition.accounts.models import Membership, Organisation
from exhibition.accounts.services import create_api_token
from exhibition.booking.models import Booking, Invoice
from exhibition.delegations.models import Delegation, HostingWindow, PlanningRun
from exhibition.events.models import Hall, Sector, ShowDay
from exhibition.exhibitors.models import Application, ScreeningHit
from exhibition.floorplans.models import Door, Feature, Pavilion, Stand
from exhibition.meetings.models import Meeting, MeetingRequest, Participant, Place, Round
from tests import factories
from tests.conftest import require_services
from tests.support.demo import demo_show

pytestmark = [pytest.mark.fuzz, pytest.mark.services, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"  # explore new inputs each run instead of the same ones
ROLES = [
    "anonymous",
    "organiser",
    "exhibitor_admin",
    "exhibitor_staff",
    "head_of_delegation",
    "approved_visitor",
]


@dataclass
class World:
    slug: str
    tokens: dict[str, str]
    ids: dict[str, list[Any]]
    report: dict[str, Any] = field(default_factory=dict)


def _sample(qs, n=3) -> list:
    return list(qs[:n])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo show, built once for the module inside a transaction that is never committed."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            require_services("PostgreSQL (set DATABASE_URL) for the API fuzzer")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world() -> World:
    started = time.monotonic()
    show = demo_show(seed=2025)
    event = show.event
    company = Membership.objects.get(user=show.users["exhibitor"]).organisation
    staff = factories.make_member(company, Membership.Role.STAFF, email="staff@demo.test")
    users = {
        "organiser": show.users["organiser"],
        "exhibitor_admin": show.users["exhibitor"],
        "exhibitor_staff": staff,
        "head_of_delegation": show.users["delegation"],
        "approved_visitor": show.users["visitor"],
    }

    tokens = {role: create_api_token(user=user, name="fuzzer")[1] for role, user in users.items()}
    delegation = Delegation.objects.filter(
        organisation__memberships__user=users["head_of_delegation"]
    ).first()
    other_delegation = Delegation.objects.filter(organisation__event=event).exclude(pk=delegation.pk).first()
    own_participants = list(
        Participant.objects.filter(
            event=event, organisation__in=[company, delegation.organisation]
        ).values_list("pk", flat=True)
    )
    ids = {
        "applications": [
            Application.objects.get(organisation=company).pk,
            *_sample(
                Application.objects.filter(event=event)
                .exclude(organisation=company)
                .values_list("pk", flat=True),
                2,
            ),
        ],
        "org": [
            company.pk,
            *_sample(
                Organisation.objects.filter(event=event, kind="company")
                .exclude(pk=company.pk)
                .values_list("pk", flat=True),
                1,
            ),
        ],
        "delegations": [delegation.pk, other_delegation.pk],
        "number": [
            *_sample(
                Stand.objects.filter(event=event, exhibitor=company).values_list("number", flat=True), 1
            ),
            *_sample(Stand.objects.filter(event=event).values_list("number", flat=True), 2),
        ],
        "code": [
            *_sample(Feature.objects.filter(event=event).values_list("code", flat=True), 3),
            *_sample(Door.objects.filter(event=event).values_list("code", flat=True), 2),
        ],
        "days": _sample(ShowDay.objects.filter(event=event).values_list("pk", flat=True), 2),
        "halls": _sample(Hall.objects.filter(event=event).values_list("pk", flat=True), 2),
        "sectors": _sample(Sector.objects.filter(event=event).values_list("pk", flat=True), 2),
        "pavilions": _sample(Pavilion.objects.filter(event=event).values_list("pk", flat=True), 2),
        "bookings": [
            *_sample(Booking.objects.filter(organisation=company).values_list("pk", flat=True), 1),
            *_sample(Booking.objects.filter(event=event).values_list("pk", flat=True), 2),
        ],
        "holds": _sample(
            Booking.objects.filter(event=event, status=Booking.Status.HELD).values_list("pk", flat=True), 2
        ),
        "invoices": [
            *_sample(Invoice.objects.filter(organisation=company).values_list("pk", flat=True), 1),
            *_sample(Invoice.objects.filter(event=event).values_list("pk", flat=True), 2),
        ],
        "hits": _sample(
            ScreeningHit.objects.filter(application__event=event).values_list("pk", flat=True), 2
        ),
        "organisations": [company.pk, delegation.organisation_id],
        "meetings": _sample(Meeting.objects.filter(event=event).values_list("pk", flat=True), 3),
        "participants": [
            *own_participants[:2],
            *_sample(Participant.objects.filter(event=event).values_list("pk", flat=True), 2),
        ],
        "requests": _sample(MeetingRequest.objects.filter(event=event).values_list("pk", flat=True), 3),
        "rounds": _sample(Round.objects.filter(event=event).values_list("pk", flat=True), 2),
        "tables": _sample(Place.objects.filter(event=event).values_list("pk", flat=True), 2),
        "run_id": _sample(PlanningRun.objects.filter(event=event).values_list("pk", flat=True), 2),
        "window_id": [
            *_sample(HostingWindow.objects.filter(organisation=company).values_list("pk", flat=True), 1),
            *_sample(HostingWindow.objects.filter(event=event).values_list("pk", flat=True), 1),
        ],
        "member_id": _sample(delegation.members.values_list("pk", flat=True), 2),
        "interest_id": _sample(delegation.interests.values_list("pk", flat=True), 2),
        "visit_id": _sample(delegation.visits.values_list("pk", flat=True), 2),
    }
    world = World(slug=event.slug, tokens=tokens, ids={k: v for k, v in ids.items() if v})
    world.report["seed_seconds"] = round(time.monotonic() - started, 1)
    return world


# The collection a path's ``{id}`` belongs to: the segment before it.
COLLECTIONS = {
    "applications",
    "days",
    "halls",
    "sectors",
    "pavilions",
    "bookings",
    "holds",
    "delegations",
    "invoices",
    "hits",
    "organisations",
    "meetings",
    "participants",
    "requests",
    "rounds",
    "tables",
}


def candidates(path: str, ids: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Real values for the path parameters of ``path`` (the others are generated)."""
    out: dict[str, list[Any]] = {}
    parts = path.strip("/").split("/")
    for i, part in enumerate(parts):
        if not (part.startswith("{") and part.endswith("}")):
            continue
        name = part[1:-1]
        if name == "id" and i and parts[i - 1] in COLLECTIONS and parts[i - 1] in ids:
            out[name] = ids[parts[i - 1]]
        elif name in ids:
            out[name] = ids[name]
    return out


@pytest.fixture(scope="module")
def schema(world):
    # The WSGI app runs in this thread on the test's connection: keep Django from closing it
    # around each request (as its test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def heavy_rate(settings):
    """Two calls an hour to the heavy endpoints (the whole walking matrix is 1.4 million figures)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"heavy": "2/hour"}}
    cache.clear()
    yield
    cache.clear()


def fuzz_operation(
    operation, *, world: World, headers: dict, checks: list, failures: dict, counts: dict
) -> None:
    """Send EXAMPLES generated requests to one operation; record (never raise) what fails."""
    real = candidates(operation.path, world.ids)

    @st.composite
    def cases(draw):
        fixed = {"event_slug": world.slug} if "{event_slug}" in operation.path else {}
        for name, values in real.items():
            if draw(st.booleans()):
                fixed[name] = draw(st.sampled_from(values))
        mode = draw(
            st.sampled_from([GenerationMode.POSITIVE, GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
        )
        return draw(operation.as_strategy(generation_mode=mode, path_parameters=fixed, headers=headers))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not RANDOM,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases())
    def run(case):
        counts["requests"] += 1
        with transaction.atomic():  # each request sees the same show
            try:
                response = case.call()
                status = f"{response.status_code // 100}xx"
                counts[status] = counts.get(status, 0) + 1
                case.validate_response(response, checks=checks)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - recorded: one per operation and kind
                kinds = getattr(exc, "exceptions", None) or [exc]
                kind = ", ".join(sorted({type(e).__name__ for e in kinds}))
                failures.setdefault((operation.label, kind), str(exc)[:3000])
            finally:
                transaction.set_rollback(True)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_every_generated_request_without_a_server_error_and_as_documented(
    world, schema, role, heavy_rate
):
    headers = {"Authorization": f"Token {world.tokens[role]}"} if role in world.tokens else {}
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    failures: dict[tuple[str, str], str] = {}
    counts = {"operations": 0, "requests": 0}
    started = time.monotonic()

    for result in schema.get_all_operations():
        counts["operations"] += 1
        fuzz_operation(
            result.ok(), world=world, headers=headers, checks=checks, failures=failures, counts=counts
        )

    world.report[role] = {
        **counts,
        "seconds": round(time.monotonic() - started, 1),
        "failures": len(failures),
    }
    print(f"\nfuzz {role}: {world.report[role]} (demo seeded in {world.report['seed_seconds']} s)")
    assert not failures, "\n\n".join(
        f"== {label}: {kind}\n{detail}" for (label, kind), detail in failures.items()
    )
