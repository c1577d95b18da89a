"""Floor-plan services: placement rules, open sides and prices, edits, split/merge, CSV, audit, races."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from exhibition.core.errors import ConflictError, DomainError
from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import services
from exhibition.floorplans.models import PlanSettings, Stand
from tests import factories
from tests.factories.floorplans import make_feature, make_pavilion, make_stand, sell

pytestmark = pytest.mark.django_db

# Shell scheme 3 x 3 = 9 m2 at the default 520 per m2: 4,680 plus the open-side supplement.
INLINE, CORNER, PENINSULA, ISLAND = (
    Decimal("4680.00"),
    Decimal("4914.00"),
    Decimal("5148.00"),
    Decimal("5382.00"),
)


@pytest.fixture
def hall(event):
    return factories.make_hall(event, "5A")  # 100 x 80 m


def version(event) -> int:
    return PlanSettings.objects.get(event=event).version


def sides_and_prices(event):
    return {s.number: (s.open_sides, s.price) for s in Stand.objects.filter(event=event)}


def actions(event):
    return list(AuditLogEntry.objects.filter(event=event).order_by("pk").values_list("action", flat=True))


# --- placement --------------------------------------------------------------------------------


def test_create_stand_outside_its_hall_is_refused_naming_stand_and_hall(event, hall, organiser):
    with pytest.raises(DomainError) as exc:
        make_stand(event, hall, "5a-x1", 98, 10, actor=organiser)

    assert exc.value.message == "Stand 5A-X1 would stick out of Hall 5A by 1 m: place it at x ≤ 97 m."
    assert exc.value.field == "x"
    assert Stand.objects.count() == 0
    assert actions(event) == []


def test_create_stand_overlapping_another_stand_is_refused(event, hall, organiser):
    make_stand(event, hall, "A1", 10, 10)

    with pytest.raises(DomainError) as exc:
        make_stand(event, hall, "A2", 12, 12, actor=organiser)

    assert (exc.value.message, exc.value.field) == ("Stand A2 would overlap stand A1.", "x")
    assert list(Stand.objects.values_list("number", flat=True)) == ["A1"]


def test_create_stand_overlapping_a_feature_is_refused(event, hall):
    make_feature(event, hall, "col-1", 20, 20, 1, 1)

    with pytest.raises(DomainError) as exc:
        make_stand(event, hall, "A1", 18.5, 18.5)

    assert exc.value.message == "Stand A1 would overlap Column COL-1."
    assert Stand.objects.count() == 0


def test_stands_touching_edges_and_corners_are_allowed(event, hall):
    make_stand(event, hall, "A1", 10, 10)

    make_stand(event, hall, "A2", 13, 10)  # shares the east edge
    make_stand(event, hall, "A3", 13, 13)  # touches A1 at a corner only
    make_stand(event, hall, "A4", 10, 7)  # below A1
    make_stand(event, hall, "A5", 19, 20, 1, 1)
    make_feature(event, hall, "COL-1", 20, 20, 1, 1)  # feature touching A5

    assert sorted(Stand.objects.values_list("number", flat=True)) == ["A1", "A2", "A3", "A4", "A5"]


def test_stand_number_is_unique_per_event_but_free_in_another(event, other_event, hall):
    other_hall = factories.make_hall(other_event, "5A")
    make_stand(event, hall, "A1", 10, 10)

    with pytest.raises(DomainError) as exc:
        make_stand(event, hall, "a1", 50, 50)
    copy = make_stand(other_event, other_hall, "A1", 10, 10)

    assert (exc.value.message, exc.value.field) == (
        "Stand number A1 is already used at this event.",
        "number",
    )
    assert copy.event == other_event
    assert Stand.objects.filter(number="A1").count() == 2


def test_stand_in_another_events_hall_is_refused(event, other_event):
    foreign_hall = factories.make_hall(other_event, "9")

    with pytest.raises(DomainError) as exc:
        make_stand(event, foreign_hall, "A1", 1, 1)

    assert (exc.value.message, exc.value.field) == ("This hall belongs to another event.", "hall")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rotation": 45}, "rotation", "Rotation is 0 or 90 degrees."),
        ({"width": 0.2}, "width", "Enter at least 1 m."),
        ({"x": float("nan")}, "x", "nan is not a number."),
        ({"x": 1e308}, "x", "1e+308 m is out of range."),
        ({"kind": "tent"}, "kind", "Choose shell scheme or raw space."),
        ({"open_sides": 5}, "open_sides", "Open sides are 1 (inline) to 4 (island)."),
        ({"number": "X" * 21}, "number", "A stand number has at most 20 characters."),
    ],
)
def test_create_stand_bad_input_is_a_domain_error(event, hall, changes, field, message):
    kwargs = {"number": "A1", "x": 10, "y": 10, "width": 3, "depth": 3} | changes

    with pytest.raises(DomainError) as exc:
        services.create_stand(event=event, actor=None, hall=hall, **kwargs)

    assert (exc.value.field, exc.value.message) == (field, message)
    assert Stand.objects.count() == 0


def test_positions_and_sizes_snap_to_half_a_metre(event, hall):
    stand = make_stand(event, hall, "A1", 10.26, 4.74, width=3.2, depth=2.76)

    assert (stand.x, stand.y, stand.width, stand.depth, stand.area) == (10.5, 4.5, 3.0, 3.0, 9.0)


# --- open sides and prices ------------------------------------------------------------------------


def test_open_sides_are_derived_from_neighbours(event, hall):
    # A row of three against the south wall, a stand alone on the wall, one alone in the middle.
    for number, x in (("R1", 10), ("R2", 13), ("R3", 16)):
        make_stand(event, hall, number, x, 0)
    make_stand(event, hall, "P1", 40, 0)
    make_stand(event, hall, "I1", 50, 40)

    assert sides_and_prices(event) == {
        "R1": (2, CORNER),
        "R2": (1, INLINE),
        "R3": (2, CORNER),
        "P1": (3, PENINSULA),
        "I1": (4, ISLAND),
    }


def test_open_sides_set_by_hand_are_kept_when_neighbours_change(event, hall):
    stand = make_stand(event, hall, "A1", 10, 0, open_sides=4)

    make_stand(event, hall, "A2", 13, 0)
    stand.refresh_from_db()

    assert (stand.open_sides, stand.open_sides_fixed, stand.price) == (4, True, ISLAND)
    assert sides_and_prices(event)["A2"] == (2, CORNER)


def test_price_is_area_times_rate_plus_supplement_rounded_half_up(event, hall):
    settings_ = services.plan_settings(event)
    settings_.raw_rate, settings_.corner_supplement = Decimal("333.33"), Decimal("7.5")
    settings_.save()

    stand = make_stand(
        event, hall, "A1", 0, 0, width=4.5, depth=2.5, kind=Stand.Kind.RAW
    )  # in a corner: 2 open

    # 11.25 m2 x 333.33 = 3,749.9625; x 1.075 = 4,031.2096875 -> 4,031.21
    assert (stand.area, stand.open_sides, stand.price) == (11.25, 2, Decimal("4031.21"))
    assert event.currency == "EUR"


def test_moving_a_stand_re_derives_its_old_and_new_neighbours(event, hall, organiser):
    for number, x in (("R1", 10), ("R2", 13), ("R3", 16)):
        make_stand(event, hall, number, x, 0)
    make_stand(event, hall, "P1", 40, 0)
    r3 = Stand.objects.get(number="R3")

    services.update_stand(stand=r3, actor=organiser, x=37)  # leaves the row, joins P1

    assert sides_and_prices(event) == {
        "R1": (2, CORNER),
        "R2": (2, CORNER),
        "R3": (2, CORNER),
        "P1": (2, CORNER),
    }


def test_resizing_a_stand_changes_area_price_and_neighbours(event, hall, organiser):
    a1 = make_stand(event, hall, "A1", 10, 10)
    make_stand(event, hall, "A2", 16, 10)

    a1 = services.update_stand(stand=a1, actor=organiser, width=6)

    assert (a1.width, a1.area, a1.open_sides, a1.price) == (
        6.0,
        18.0,
        3,
        Decimal("10296.00"),
    )  # 18 x 520 x 1.1
    assert sides_and_prices(event)["A2"] == (3, PENINSULA)


def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10)
    services.update_stand(stand=stand, actor=organiser, version=1, x=20)

    with pytest.raises(ConflictError) as exc:
        services.update_stand(stand=stand, actor=organiser, version=1, x=30)

    assert exc.value.message == "Stand A1 was changed by someone else meanwhile. Reload the plan."
    assert Stand.objects.values_list("x", "version").get() == (20.0, 2)


def test_update_without_change_keeps_the_version_and_writes_no_audit(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10)

    stand = services.update_stand(stand=stand, actor=organiser, version=1, x=10.1, kind=Stand.Kind.SHELL)

    assert (stand.x, stand.version) == (10.0, 1)
    assert actions(event) == ["stand.created"]


def test_update_moving_into_another_stand_is_refused(event, hall, organiser):
    make_stand(event, hall, "A1", 10, 10)
    a2 = make_stand(event, hall, "A2", 20, 10)

    with pytest.raises(DomainError) as exc:
        services.update_stand(stand=a2, actor=organiser, x=11)

    assert exc.value.message == "Stand A2 would overlap stand A1."
    assert Stand.objects.get(number="A2").x == 20.0


def test_update_to_another_hall_checks_that_hall(event, hall, organiser):
    hall_6 = factories.make_hall(event, "6", width=10, depth=10)
    stand = make_stand(event, hall, "A1", 50, 50)

    with pytest.raises(DomainError) as exc:
        services.update_stand(stand=stand, actor=organiser, hall=hall_6)
    moved = services.update_stand(stand=stand, actor=organiser, hall=hall_6, x=2, y=2)

    assert exc.value.message == "Stand A1 would stick out of Hall 6 by 43 m: place it at x ≤ 7 m."
    assert (moved.hall.code, moved.x, moved.y, moved.open_sides) == ("6", 2.0, 2.0, 4)


# --- delete, split, merge ---------------------------------------------------------------------------


def test_sold_stand_cannot_be_deleted_or_split(event, hall, organiser, company):
    stand = sell(make_stand(event, hall, "A1", 10, 10, width=6), company)

    with pytest.raises(ConflictError) as deleting:
        services.delete_stand(stand=stand, actor=organiser)
    with pytest.raises(ConflictError) as splitting:
        services.split_stand(stand=stand, actor=organiser, parts=2)

    assert deleting.value.message == "Stand A1 is booked: vacate it before deleting it."
    assert splitting.value.message == "Stand A1 is booked: only a free stand can be split."
    assert list(Stand.objects.values_list("number", "area")) == [("A1", 18.0)]
    assert actions(event) == ["stand.created"]


def test_delete_free_stand_re_derives_neighbours_and_is_audited(event, hall, organiser):
    a1 = make_stand(event, hall, "A1", 10, 10)
    make_stand(event, hall, "A2", 13, 10)

    services.delete_stand(stand=a1, actor=organiser)

    assert sides_and_prices(event) == {"A2": (4, ISLAND)}
    entry = AuditLogEntry.objects.get(action="stand.deleted")
    assert (entry.actor, entry.object_repr, entry.data) == (organiser, "A1", {"number": "A1"})


def test_split_into_three_and_merge_back(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10, width=9, depth=4, kind=Stand.Kind.RAW)

    parts = services.split_stand(stand=stand, actor=organiser, parts=3)

    assert [(p.number, p.x, p.width, p.depth, p.area, p.kind) for p in parts] == [
        ("A1-1", 10.0, 3.0, 4.0, 12.0, "raw"),
        ("A1-2", 13.0, 3.0, 4.0, 12.0, "raw"),
        ("A1-3", 16.0, 3.0, 4.0, 12.0, "raw"),
    ]
    assert sum(p.area for p in parts) == 36.0
    assert [p.open_sides for p in parts] == [3, 2, 3]

    first = services.merge_stands(stands=parts[:2], actor=organiser, number="B1")
    whole = services.merge_stands(
        stands=[first, Stand.objects.get(number="A1-3")], actor=organiser, number="A1"
    )

    assert (whole.number, whole.x, whole.y, whole.width, whole.depth, whole.area, whole.open_sides) == (
        "A1",
        10.0,
        10.0,
        9.0,
        4.0,
        36.0,
        4,
    )
    assert whole.price == Decimal("17388.00")  # 36 x 420 x 1.15
    assert list(Stand.objects.values_list("number", flat=True)) == ["A1"]
    entries = AuditLogEntry.objects.filter(action__in=["stand.split", "stand.merged"]).order_by("pk")
    assert [(e.action, e.data) for e in entries] == [
        ("stand.split", {"source": "A1", "into": ["A1-1", "A1-2", "A1-3"]}),
        ("stand.merged", {"sources": ["A1-1", "A1-2"]}),
        ("stand.merged", {"sources": ["A1-3", "B1"]}),
    ]


def test_split_with_chosen_numbers_along_y(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10, width=3, depth=6)

    parts = services.split_stand(stand=stand, actor=organiser, parts=2, axis="y", numbers=["a1a", "a1b"])

    assert [(p.number, p.y, p.depth) for p in parts] == [("A1A", 10.0, 3.0), ("A1B", 13.0, 3.0)]


def test_split_off_the_grid_is_refused(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10, width=5)

    with pytest.raises(DomainError) as exc:
        services.split_stand(stand=stand, actor=organiser, parts=3)

    assert exc.value.message == "Stand A1 cannot be cut into 3 equal parts on the 0.5 m grid."
    assert list(Stand.objects.values_list("number", "width")) == [("A1", 5.0)]


def test_merge_of_stands_not_forming_a_rectangle_is_refused(event, hall, organiser):
    a1 = make_stand(event, hall, "A1", 10, 10)
    a2 = make_stand(event, hall, "A2", 13, 11)

    with pytest.raises(DomainError) as exc:
        services.merge_stands(stands=[a1, a2], actor=organiser)

    assert exc.value.field == "stands"
    assert Stand.objects.count() == 2


# --- CSV ---------------------------------------------------------------------------------------------


CSV_HEADER = "number,hall,x,y,width,depth,rotation,type,open_sides,status,pavilion\n"


def test_import_creates_and_updates(event, hall, organiser):
    make_pavilion(event, "German Pavilion")
    make_stand(event, hall, "A1", 10, 10)
    data = (
        CSV_HEADER + "A1,5A,20,10,3,3,0,shell,,available,\nB1,5a,40,10,4,3,90,raw,1,blocked,german pavilion\n"
    )

    report = services.import_stands_csv(event=event, actor=organiser, data=data.encode())

    assert (report.created, report.updated) == (1, 1)
    rows = Stand.objects.order_by("number").values_list(
        "number",
        "x",
        "width",
        "depth",
        "rotation",
        "kind",
        "open_sides",
        "open_sides_fixed",
        "status",
        "pavilion__name",
    )
    assert list(rows) == [
        ("A1", 20.0, 3.0, 3.0, 0, "shell", 4, False, "available", None),
        ("B1", 40.0, 4.0, 3.0, 90, "raw", 1, True, "blocked", "German Pavilion"),
    ]
    assert actions(event) == ["pavilion.created", "stand.created", "stand.changed", "stands.imported"]


def test_import_with_bad_rows_writes_nothing_and_names_the_rows(event, hall, organiser):
    make_stand(event, hall, "A1", 10, 10)
    data = CSV_HEADER + (
        "A2,5A,20,10,3,3,0,shell,,available,\n"  # fine
        "A3,ZZ,30,10,3,3,0,shell,,available,\n"  # unknown hall
        "A4,5A,abc,10,3,3,0,shell,,available,\n"  # bad number
        "A5,5A,11,11,3,3,0,shell,,available,\n"  # overlaps A1 (found only when placing)
    )

    with pytest.raises(services.ImportFailed) as exc:
        services.import_stands_csv(event=event, actor=organiser, data=data)

    assert exc.value.errors == [(3, "unknown hall 'ZZ'"), (4, "x is not a number: 'abc'")]
    assert list(Stand.objects.values_list("number", flat=True)) == ["A1"]

    with pytest.raises(services.ImportFailed) as exc:
        services.import_stands_csv(
            event=event,
            actor=organiser,
            data=CSV_HEADER + "A2,5A,20,10,3,3,0,shell,,available,\nA5,5A,11,11,3,3,0,shell,,available,\n",
        )

    assert exc.value.errors == [(3, "Stand A5 would overlap stand A1.")]
    assert exc.value.message == "The file was not imported: 1 row has errors."
    assert list(Stand.objects.values_list("number", flat=True)) == ["A1"]
    assert actions(event) == ["stand.created"]


def test_import_refuses_a_file_that_is_not_utf8(event, hall, organiser):
    with pytest.raises(services.ImportFailed) as exc:
        services.import_stands_csv(
            event=event, actor=organiser, data=(CSV_HEADER + "Ä1,5A,1,1,3,3\n").encode("utf-16")
        )

    assert exc.value.errors == [(0, "The file is UTF-16 text: save it as “CSV UTF-8” and import it again.")]


def test_import_bad_rotation_sides_and_status_name_their_rows(event, hall, organiser):
    data = (
        CSV_HEADER
        + "A1,5A,1,1,3,3,45,shell,,available,\nA2,5A,10,1,3,3,0,shell,7,available,\nA3,5A,20,1,3,3,0,shell,,sold,\n"
    )

    with pytest.raises(services.ImportFailed) as exc:
        services.import_stands_csv(event=event, actor=organiser, data=data)

    assert exc.value.errors == [
        (2, "rotation is 0 or 90, not '45'"),
        (3, "open_sides is empty or 1 to 4, not '7'"),
        (4, "status on import is available or blocked, not 'sold'"),
    ]
    assert Stand.objects.count() == 0


def test_import_refuses_a_file_without_the_columns(event, hall, organiser):
    with pytest.raises(services.ImportFailed) as exc:
        services.import_stands_csv(event=event, actor=organiser, data="number,hall\nA1,5A\n")

    assert exc.value.errors == [
        (
            1,
            (
                "Missing columns: depth, width, x, y. The first line names the columns: number, hall, "
                "x, y, width, depth, rotation, type, open_sides, status, pavilion, exhibitor, area, price."
            ),
        )
    ]


def test_export_then_import_round_trip_changes_nothing(event, hall, organiser, company):
    make_pavilion(event, "German Pavilion")
    make_stand(event, hall, "A1", 10, 10)
    make_stand(event, hall, "A2", 13, 10, width=4.5, kind=Stand.Kind.RAW, open_sides=3)
    sell(make_stand(event, hall, "B1", 30, 0, rotation=90, depth=6), company)
    before = list(Stand.objects.order_by("number").values())
    exported = services.export_stands_csv(event)

    report = services.import_stands_csv(event=event, actor=organiser, data=exported)

    assert exported.splitlines() == [
        "number,hall,x,y,width,depth,rotation,type,open_sides,status,pavilion,exhibitor,area,price",
        "A1,5A,10.0,10.0,3.0,3.0,0,shell,,available,,,9.0,5148.00",
        "A2,5A,13.0,10.0,4.5,3.0,0,raw,3,available,,,13.5,6237.00",
        "B1,5A,30.0,0.0,3.0,6.0,90,shell,,sold,,Aegis Systems,18.0,10296.00",
    ]
    assert (report.created, report.updated) == (0, 3)
    assert list(Stand.objects.order_by("number").values()) == before


# --- audit and plan version ------------------------------------------------------------------------------


def test_every_change_is_audited_with_its_actor(event, hall, organiser):
    pavilion = make_pavilion(event, "German Pavilion")
    stand = make_stand(event, hall, "A1", 10, 10, actor=organiser)
    stand = services.update_stand(stand=stand, actor=organiser, pavilion=pavilion)
    stand = services.update_stand(stand=stand, actor=organiser, open_sides=1)
    stand = services.update_stand(stand=stand, actor=organiser, status=Stand.Status.BLOCKED)
    feature = make_feature(event, hall, "COL-1", 50, 50)
    services.update_feature(feature=feature, actor=organiser, x=51)
    services.delete_feature(feature=feature, actor=organiser)

    entries = list(
        AuditLogEntry.objects.filter(event=event).exclude(action="pavilion.created").order_by("pk")
    )

    assert [(e.action, e.object_repr) for e in entries] == [
        ("stand.created", "A1"),
        ("stand.changed", "A1"),
        ("stand.changed", "A1"),
        ("stand.changed", "A1"),
        ("feature.created", "Column COL-1"),
        ("feature.changed", "Column COL-1"),
        ("feature.deleted", "Column COL-1"),
    ]
    assert {e.actor for e in entries[:4]} == {organiser}
    assert entries[1].data == {"changes": {"pavilion": [None, "German Pavilion"]}}
    assert entries[2].data == {
        "changes": {"open_sides": [4, 1], "open_sides_fixed": [False, True], "price": ["5382.00", "4680.00"]}
    }
    assert entries[3].data == {"changes": {"status": ["available", "blocked"]}}


def test_plan_version_moves_on_geometry_changes_only(event, hall, organiser):
    stand = make_stand(event, hall, "A1", 10, 10)
    after_create = version(event)

    stand = services.update_stand(
        stand=stand, actor=organiser, status=Stand.Status.BLOCKED, kind=Stand.Kind.RAW
    )
    after_status = version(event)
    stand = services.update_stand(stand=stand, actor=organiser, x=20)
    after_move = version(event)
    stand = services.update_stand(stand=stand, actor=organiser, rotation=90)
    after_rotation = version(event)

    assert (after_status, after_move, after_rotation) == (after_create, after_create + 1, after_create + 2)


# --- race -------------------------------------------------------------------------------------------------


def _race(event, hall, n: int, *, barrier: threading.Barrier | None = None):
    """``n`` threads each create a different stand on the same spot at the same time."""
    results: list[str] = []
    start = threading.Barrier(n)

    def worker(i: int) -> None:
        try:
            start.wait(timeout=10)
            make_stand(event, hall, f"R{i}", 10 + (i % 2), 10)
            results.append("ok")
        except DomainError:
            results.append("refused")
        except Exception as exc:  # noqa: BLE001 - a server error: the test counts them
            results.append(f"error {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_race_overlapping_creates_only_one_wins(postgres, event, hall):
    results = _race(event, hall, 8)

    assert sorted(results) == ["ok"] + ["refused"] * 7
    assert Stand.objects.filter(event=event).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_race_without_the_hall_lock_lets_overlaps_through(postgres, event, hall, monkeypatch):
    """Proves the race test can catch the bug: with the lock gone and every thread checking
    before any inserts, more than one overlapping stand gets in."""
    n = 4
    checked = threading.Barrier(n)
    check = services.stands.check_placement

    def check_then_wait(*args, **kwargs):
        check(*args, **kwargs)
        checked.wait(timeout=10)

    monkeypatch.setattr(services.stands, "lock_hall", lambda hall: hall)
    monkeypatch.setattr(services.stands, "check_placement", check_then_wait)

    results = _race(event, hall, n)

    assert results.count("ok") > 1
    assert Stand.objects.filter(event=event).count() > 1
