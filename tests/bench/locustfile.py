"""Locust users for bench_load.py (run by it, headless; not by pytest).

Every user reads its credentials from the JSON file named by BENCH_USERS (sessions and API
tokens made by bench_load.py, so that no password hashing distorts the figures). Which users
run is chosen by BENCH_SCENARIO:

``mix``      closed loop (no think time): the trivial view beside every page and API list
``opening``  the opening of meeting booking: visitors browsing the meetings directory and their
             suggestions with think time, and a burst of visitors booking at the same moment
``show``     during the show: anonymous visitors on the public directory and the plans
``portal``   exhibitors in their portal
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading

from locust import HttpUser, between, constant, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "mix")
with open(os.environ["BENCH_USERS"]) as fh:
    DATA = json.load(fh)
SLUG = DATA["event"]
HALLS = DATA["halls"]
QUERIES = ["drone", "thermal camera", "cyber", "armour", "vehicle", "radio"]
_lock = threading.Lock()
_counters: dict[str, itertools.count] = {}


def _next(kind: str) -> dict:
    with _lock:
        counter = _counters.setdefault(kind, itertools.count())
        pool = DATA[kind]
        return pool[next(counter) % len(pool)]


class Base(HttpUser):
    """Cookies are sent explicitly with each request (never kept from answers): each request is
    made as exactly the person the task says, or anonymously."""

    abstract = True
    session: str | None = None

    def sign_in_session(self, kind: str) -> dict:
        who = _next(kind)
        self.session = who["session"]
        return who

    def page(self, path: str, name: str, session: str | None = "default") -> None:
        session = self.session if session == "default" else session
        headers = {"Cookie": f"sessionid={session}"} if session else {}
        with self.client.get(
            path, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
        self.client.cookies.clear()


class MixUser(Base):
    """Closed loop over every measured page: each one's cost is read beside the trivial view's.
    Each user goes round the pages in turn, from another page than the user before it, so that
    even a short run on a slow machine has seen every page (a random pick can miss one)."""

    wait_time = constant(0)

    def on_start(self):
        self.visitor = self.sign_in_session("visitors")
        self.token = {"Authorization": f"Token {self.visitor['token']}"}
        self.exhibitor = _next("exhibitors")
        with _lock:
            self.turn = next(_counters.setdefault("mix turn", itertools.count())) * 5

    @task
    def next_page(self):
        step = MIX_PAGES[self.turn % len(MIX_PAGES)]
        self.turn += 1
        step(self)

    def trivial(self):
        with self.client.get(
            "/api/v1/me/", headers=self.token, name="trivial: api/me", catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def landing(self):
        self.page(f"/{SLUG}/", "visitor landing")

    def directory(self):
        self.page(f"/{SLUG}/exhibitors/?page={random.randint(1, 40)}", "public directory", session=None)

    def directory_search(self):
        self.page(f"/{SLUG}/exhibitors/?q={random.choice(QUERIES)}", "public directory search", session=None)

    def plan(self):
        self.page(f"/{SLUG}/plan/", "plan overview")

    def hall(self):
        self.page(f"/{SLUG}/plan/{random.choice(HALLS)}/", "hall plan")

    def route(self):
        a, b = random.sample(DATA["stands"], 2)
        self.page(f"/{SLUG}/plan/route/?from={a}&to={b}", "walking route")

    def meetings_directory(self):
        self.page(f"/{SLUG}/meetings/", "meetings directory")

    def suggestions(self):
        with self.client.get(
            f"/api/v1/events/{SLUG}/meetings/suggestions/",
            headers=self.token,
            name="api: meeting suggestions",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def participants(self):
        with self.client.get(
            f"/api/v1/events/{SLUG}/meetings/participants/?page={random.randint(1, 20)}",
            headers=self.token,
            name="api: meeting participants",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def exhibitor_list(self):
        with self.client.get(
            f"/api/v1/events/{SLUG}/directory/?page={random.randint(1, 20)}",
            headers=self.token,
            name="api: exhibitor directory",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def portal(self):
        self.page(
            f"/{SLUG}/exhibitors/companies/{self.exhibitor['organisation']}/",
            "exhibitor portal",
            session=self.exhibitor["session"],
        )

    def organiser_dashboard(self):
        self.page(f"/{SLUG}/", "organiser dashboard", session=DATA["organiser"]["session"])


# 13 pages; users start 5 apart (5 and 13 share no factor), so 8 users that made two requests
# each have seen them all
MIX_PAGES = [
    MixUser.trivial,
    MixUser.landing,
    MixUser.directory,
    MixUser.directory_search,
    MixUser.plan,
    MixUser.hall,
    MixUser.route,
    MixUser.meetings_directory,
    MixUser.suggestions,
    MixUser.participants,
    MixUser.exhibitor_list,
    MixUser.portal,
    MixUser.organiser_dashboard,
]


class BrowsingVisitor(Base):
    """Opening of meeting booking: looks through the directory and suggestions, with think time."""

    wait_time = between(
        float(os.environ.get("BENCH_THINK_MIN", "20")), float(os.environ.get("BENCH_THINK_MAX", "40"))
    )
    weight = 10

    def on_start(self):
        self.visitor = self.sign_in_session("visitors")
        self.token = {"Authorization": f"Token {self.visitor['token']}"}

    @task(3)
    def meetings_directory(self):
        self.page(f"/{SLUG}/meetings/?page={random.randint(1, 10)}", "meetings directory")

    @task(2)
    def suggestions(self):
        with self.client.get(
            f"/api/v1/events/{SLUG}/meetings/suggestions/",
            headers=self.token,
            name="api: meeting suggestions",
            catch_response=True,
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    @task(1)
    def participant(self):
        self.page(f"/{SLUG}/meetings/p/{random.choice(DATA['hosts'])}/", "meeting participant")


class BookingVisitor(Base):
    """Books one meeting as soon as booking opens (all of them at once), then browses slowly."""

    wait_time = between(20, 40)
    fixed_count = int(os.environ.get("BENCH_BOOKERS", "200"))
    start_gate = threading.Event()

    def on_start(self):
        who = _next("bookers")
        self.session = who["session"]  # the agenda page, after booking
        self.token = {"Authorization": f"Token {who['token']}"}
        self.booked = False

    @task
    def book(self):
        if self.booked:
            self.page(f"/{SLUG}/meetings/agenda/", "meeting agenda")
            return
        BookingVisitor.start_gate.wait(timeout=120)
        self.booked = True
        slot = random.choice(DATA["slots"])
        with self.client.post(
            f"/api/v1/events/{SLUG}/meetings/book/",
            headers=self.token,
            name="api: book meeting",
            json={"recipient": random.choice(DATA["hosts"]), "start": slot},
            catch_response=True,
        ) as r:
            if r.status_code in (201, 400, 409):  # booked, or a clear refusal (slot taken, cap): both fine
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}")


@events.spawning_complete.add_listener
def _open_booking(user_count, **_kw):
    BookingVisitor.start_gate.set()  # everyone is there: booking opens


class ShowVisitor(Base):
    """During the show: anonymous, on the public directory and the plans."""

    wait_time = between(0.5, 1.5)

    @task(3)
    def directory(self):
        self.page(f"/{SLUG}/exhibitors/?page={random.randint(1, 40)}", "public directory")

    @task(2)
    def search(self):
        self.page(f"/{SLUG}/exhibitors/?q={random.choice(QUERIES)}", "public directory search")

    @task(2)
    def hall(self):
        self.page(f"/{SLUG}/plan/{random.choice(HALLS)}/", "hall plan")

    @task(1)
    def overview(self):
        self.page(f"/{SLUG}/plan/", "plan overview")

    @task(1)
    def route(self):
        a, b = random.sample(DATA["stands"], 2)
        self.page(f"/{SLUG}/plan/route/?from={a}&to={b}", "walking route")


class PortalExhibitor(Base):
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.who = self.sign_in_session("exhibitors")

    @task(3)
    def portal(self):
        self.page(f"/{SLUG}/exhibitors/companies/{self.who['organisation']}/", "exhibitor portal")

    @task(1)
    def profile(self):
        self.page(f"/{SLUG}/exhibitors/companies/{self.who['organisation']}/profile/", "portal profile")

    @task(1)
    def staff(self):
        self.page(f"/{SLUG}/exhibitors/companies/{self.who['organisation']}/badges/", "portal badges")

    @task(1)
    def my_stand(self):
        self.page(f"/{SLUG}/booking/", "portal stand and invoices")


PAGES = [
    "trivial",
    "landing",
    "directory",
    "directory_search",
    "plan",
    "hall",
    "route",
    "meetings_directory",
    "suggestions",
    "participants",
    "exhibitor_list",
    "portal",
    "organiser_dashboard",
]
if SCENARIO == "page":  # one page alone, closed loop: its throughput is its cost
    MixUser.tasks = [getattr(MixUser, os.environ["BENCH_PAGE"])]

_CLASSES = {
    "mix": [MixUser],
    "page": [MixUser],
    "opening": [BrowsingVisitor, BookingVisitor],
    "show": [ShowVisitor],
    "portal": [PortalExhibitor],
}
for _name, _cls in list(globals().items()):
    if (
        isinstance(_cls, type)
        and issubclass(_cls, HttpUser)
        and _cls is not HttpUser
        and _cls is not Base
        and _cls not in _CLASSES[SCENARIO]
    ):
        _cls.abstract = True
