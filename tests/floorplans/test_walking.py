"""Walking graph: routes around obstacles, through doors, penalties, errors, matrices, layouts."""

import math
import random
import re
from itertools import pairwise

import pytest

from exhibition.floorplans.geometry import Door, Feature, Hall, Stand, segment_hits_rect, validate_plan
from exhibition.floorplans.layout import PAVILIONS, generate_show_layout
from exhibition.floorplans.walking import UnknownPlaceError, UnreachableError, WalkingGraph

# One hall 30 x 24: a stand in the middle (x 10..20, y 6..18) between two meeting rooms whose
# centres are level (y 10); the straight line between them runs through the stand.
HALL_H = Hall("H", "Hall H", 30.0, 24.0)
BLOCKER = Stand("H-A100", "H", 10.0, 6.0, 10.0, 12.0)
ROOM_1 = Feature("H-MR1", "H", 2.0, 8.0, 4.0, 4.0, "meeting_room", is_place=True)
ROOM_2 = Feature("H-MR2", "H", 24.0, 8.0, 4.0, 4.0, "meeting_room", is_place=True)
COLUMN = Feature("H-COL1", "H", 14.6, 21.6, 0.8, 0.8, "column")

# Two halls side by side, a door between them and an entrance into A; hall C has no door.
HALL_A = Hall("A", "Hall A", 20.0, 10.0)
HALL_B = Hall("B", "Hall B", 20.0, 10.0, origin_x=20.0)
HALL_C = Hall("C", "Hall C", 20.0, 10.0, origin_y=10.0)
STAND_A = Stand("A-A100", "A", 2.0, 2.0, 4.0, 4.0)
STAND_B = Stand("B-A100", "B", 14.0, 2.0, 4.0, 4.0)
STAND_C = Stand("C-A100", "C", 8.0, 3.0, 4.0, 4.0)
DOOR_AB = Door("D-AB", "A", "B", 20.0, 5.0, 2.0)
ENTRANCE_A = Door("E-A", "A", None, 0.0, 5.0, 4.0)


def two_halls(**options) -> WalkingGraph:
    return WalkingGraph(
        [HALL_A, HALL_B, HALL_C], [STAND_A, STAND_B, STAND_C], [], [DOOR_AB, ENTRANCE_A], **options
    )


def site_obstacles(halls, items):
    by_id = {hall.id: hall for hall in halls}
    return [
        item.rect.translated(by_id[item.hall_id].origin_x, by_id[item.hall_id].origin_y) for item in items
    ]


def test_route_goes_around_a_stand_on_the_shorter_side():
    graph = WalkingGraph([HALL_H], [BLOCKER], [ROOM_1, ROOM_2, COLUMN])

    route = graph.route("H-MR1", "H-MR2")

    assert route.points == [(6.5, 10.0), (9.5, 5.5), (20.5, 5.5), (23.5, 10.0)]
    assert route.metres == round(11 + 2 * math.hypot(3, 4.5), 3) == 21.817
    assert route.minutes == round((11 + 2 * math.hypot(3, 4.5)) / 60, 4) == 0.3636
    assert route.metres > math.dist(ROOM_1.rect.center, ROOM_2.rect.center) - 4  # longer than 18 m across
    assert route.doors == []


def test_route_segments_never_cross_an_obstacle_interior():
    graph = WalkingGraph([HALL_H], [BLOCKER], [ROOM_1, ROOM_2, COLUMN])
    obstacles = [BLOCKER.rect, ROOM_1.rect, ROOM_2.rect, COLUMN.rect]

    route = graph.route("H-MR1", "H-MR2")

    straight = (ROOM_1.rect.center, ROOM_2.rect.center)
    assert segment_hits_rect(*straight, BLOCKER.rect) is True
    assert route.metres > math.dist(*straight) - ROOM_1.width / 2 - ROOM_2.width / 2
    hits = [(p, q, o) for p, q in pairwise(route.points) for o in obstacles if segment_hits_rect(p, q, o)]
    assert hits == []


def test_route_between_halls_goes_through_the_door():
    graph = two_halls()

    route = graph.route("A-A100", "B-A100")

    assert route.doors == ["D-AB"]
    assert route.points == [(6.5, 4.0), (19.5, 5.0), (20.0, 5.0), (20.5, 5.0), (33.5, 4.0)]
    assert route.metres == round(2 * math.hypot(13, 1) + 1, 3) == 27.077
    assert route.minutes == 0.4513


def test_route_from_a_place_to_itself_is_zero():
    route = two_halls().route("A-A100", "A-A100")

    assert (route.minutes, route.metres, route.points, route.doors) == (0.0, 0.0, [(4.0, 1.5)], [])


def test_unknown_place_gives_a_clear_error():
    graph = WalkingGraph([HALL_H], [BLOCKER], [ROOM_1, ROOM_2, COLUMN])

    with pytest.raises(UnknownPlaceError) as unknown:
        graph.route("H-MR1", "H-Z999")
    with pytest.raises(UnknownPlaceError) as column:
        graph.matrix(["H-MR1", "H-COL1"])

    assert (
        str(unknown.value) == "unknown place 'H-Z999': not a stand, door or place feature of this floor plan"
    )
    assert str(column.value) == "column H-COL1 is not a place a route can start or end at"


def test_unreachable_place_gives_a_clear_error():
    graph = two_halls()

    with pytest.raises(UnreachableError) as route_error:
        graph.route("A-A100", "C-A100")
    with pytest.raises(UnreachableError) as matrix_error:
        graph.matrix(["A-A100", "C-A100"])

    assert str(route_error.value) == "no walking route from stand A-A100 (hall A) to stand C-A100 (hall C)"
    assert str(matrix_error.value) == (
        "no walking route from stand A-A100 (hall A) to stand C-A100 (hall C); 2 pairs unreachable in all"
    )
    assert graph.matrix(["A-A100", "C-A100"], unreachable="inf") == {
        "A-A100": {"A-A100": 0.0, "C-A100": math.inf},
        "C-A100": {"A-A100": math.inf, "C-A100": 0.0},
    }


def test_stand_enclosed_by_other_stands_is_unreachable():
    ring = [
        Stand("R-S", "H", 10, 10, 9, 3),
        Stand("R-N", "H", 10, 16, 9, 3),
        Stand("R-W", "H", 10, 13, 3, 3),
        Stand("R-E", "H", 16, 13, 3, 3),
    ]
    inner = Stand("R-IN", "H", 13, 13, 3, 3)
    graph = WalkingGraph([HALL_H], [*ring, inner], [ROOM_1])

    with pytest.raises(UnreachableError) as error:
        graph.route("H-MR1", "R-IN")

    assert str(error.value) == "stand R-IN has no side on an aisle: no walking route reaches it"
    assert graph.problems == ["stand R-IN has no side on an aisle"]


def test_matrix_is_symmetric_without_penalties():
    graph = two_halls()
    ids = ["A-A100", "B-A100", "D-AB", "E-A"]

    minutes = graph.matrix(ids)

    assert minutes["A-A100"]["B-A100"] == minutes["B-A100"]["A-A100"] == 0.4513
    assert minutes["E-A"]["A-A100"] == minutes["A-A100"]["E-A"] == round((0.5 + math.sqrt(2)) / 60, 4)
    assert all(minutes[a][b] == minutes[b][a] for a in ids for b in ids)
    assert [minutes[a][a] for a in ids] == [0.0, 0.0, 0.0, 0.0]


def test_matrix_is_asymmetric_with_a_hall_entry_penalty():
    graph = two_halls(entry_penalty_minutes={"A": 1.5, "B": 2.0})

    minutes = graph.matrix(["A-A100", "B-A100", "E-A"])

    assert minutes["A-A100"]["B-A100"] == 2.4513
    assert minutes["B-A100"]["A-A100"] == 1.9513
    assert minutes["E-A"]["A-A100"] == round(1.5 + (0.5 + math.sqrt(2)) / 60, 4) == 1.5319
    assert minutes["A-A100"]["E-A"] == 0.0319
    assert graph.route("A-A100", "B-A100").minutes == 2.4513


def test_matrix_and_route_agree_and_are_deterministic_on_a_generated_layout():
    layout = generate_show_layout(seed=7, n_stands=80, n_halls=2)
    graph = WalkingGraph.from_layout(layout)
    shuffled = random.Random(1).sample(layout.stands, len(layout.stands))
    again = WalkingGraph(reversed(layout.halls), shuffled, reversed(layout.features), reversed(layout.doors))
    ids = [s.id for s in layout.stands[:30]] + [d.id for d in layout.entrances]
    obstacles = site_obstacles(layout.halls, [*layout.stands, *[f for f in layout.features if f.blocks]])

    minutes = graph.matrix(ids)

    assert again.matrix(ids) == minutes
    assert graph.problems == []
    for a, b in random.Random(2).sample([(a, b) for a in ids for b in ids if a != b], 40):
        route = graph.route(a, b)
        assert route == again.route(a, b)
        assert route.minutes == minutes[a][b]
        assert route.metres >= math.dist(route.points[0], route.points[-1]) - 1e-9
        assert not any(segment_hits_rect(p, q, o) for p, q in pairwise(route.points) for o in obstacles)


def test_generate_show_layout_is_valid_deterministic_and_numbered_like_a_show():
    layout = generate_show_layout(seed=1, n_stands=150, n_halls=3)

    assert layout == generate_show_layout(seed=1, n_stands=150, n_halls=3)
    assert layout != generate_show_layout(seed=2, n_stands=150, n_halls=3)
    assert validate_plan(layout.halls, layout.stands, layout.features, layout.doors) == []
    assert len(layout.stands) == 150
    assert [hall.id for hall in layout.halls] == ["3", "4", "5A"]
    assert all(re.fullmatch(r"(3|4|5A)-[A-Z]\d{3}", stand.id) for stand in layout.stands)
    assert all(9 <= stand.area <= 200 for stand in layout.stands)
    assert sorted({len(door.halls) for door in layout.doors}) == [1, 2]
    assert [door.id for door in layout.entrances] == ["ENTRANCE-3", "ENTRANCE-4", "ENTRANCE-5A"]
    assert {feature.kind for feature in layout.place_features} == {"restaurant", "meeting_room", "lounge"}
    assert set(layout.pavilions.values()) <= set(PAVILIONS) and len(set(layout.pavilions.values())) == 10
    assert sum(len(block.stand_ids) for block in layout.blocks) == 150


def test_matrix_hall_by_hall_equals_dijkstra_on_the_whole_graph():
    layout = generate_show_layout(seed=4, n_stands=120, n_halls=4)
    graph = WalkingGraph.from_layout(layout, entry_penalty_minutes={"3": 1.0, "5A": 0.25})
    ids = list(graph.places)  # stands, place features, doors and entrances

    by_hall = graph.minutes_array(ids)
    whole = graph.minutes_array(ids, _by_hall=False)

    assert by_hall.tolist() == whole.tolist()
    assert (by_hall != by_hall.T).any()
