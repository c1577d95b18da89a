"""Plain geometry of floor plans: areas, overlaps, open sides, validation, snapping, split and merge."""

import pytest

from exhibition.floorplans.geometry import (
    Door,
    Feature,
    GeometryError,
    Hall,
    Rect,
    Stand,
    inside_hall,
    merge_rects,
    open_side_names,
    open_sides,
    overlaps,
    rect_area,
    segment_hits_rect,
    snap,
    snap_rect,
    split_rect,
    stand_type,
    validate_plan,
)

HALL = Hall("5A", "Hall 5A", 300.0, 200.0)


def block_2x3() -> list[Stand]:
    """Two back-to-back rows of three 3x3 stands: x 10..19, y 10..16."""
    return [
        Stand(f"5A-G{100 + 2 * k + row}", "5A", 10.0 + 3 * k, 10.0 + 3 * row, 3.0, 3.0)
        for row in (0, 1)
        for k in range(3)
    ]


def test_rect_area_of_rect_stand_and_rotated_stand():
    assert rect_area(Rect(0, 0, 4, 2.5)) == 10.0
    assert rect_area(Stand("S", "5A", 0, 0, 6, 3)) == 18.0
    assert rect_area(Stand("S", "5A", 0, 0, 6, 3, rotation=90)) == 18.0
    assert Stand("S", "5A", 1, 2, 6, 3, rotation=90).rect == Rect(1, 2, 3, 6)


def test_stand_rotation_other_than_0_or_90_is_refused():
    with pytest.raises(GeometryError, match="stand S: rotation must be 0 or 90, not 45"):
        Stand("S", "5A", 0, 0, 3, 3, rotation=45)


def test_inside_hall_touching_walls_is_inside():
    assert inside_hall(Stand("S", "5A", 0, 0, 300, 200), HALL) is True
    assert inside_hall(Stand("S", "5A", 297.5, 0, 3, 3), HALL) is False


def test_overlaps_touching_edges_and_corners_is_not_overlap():
    a = Rect(0, 0, 3, 3)
    assert overlaps(a, Rect(3, 0, 3, 3)) is False
    assert overlaps(a, Rect(3, 3, 3, 3)) is False
    assert overlaps(a, Rect(2.5, 2.5, 3, 3)) is True
    assert overlaps(a, Rect(1, 1, 1, 1)) is True


def test_open_sides_inline_stand_in_the_middle_of_a_row():
    stands = block_2x3()
    middle_front = stands[1]

    assert open_sides(middle_front, stands) == 1
    assert open_side_names(middle_front, stands) == ("south",)
    assert stand_type(middle_front, stands) == "inline"


def test_open_sides_corner_stand_at_the_end_of_a_row():
    stands = block_2x3()

    assert open_side_names(stands[0], stands) == ("south", "west")
    assert stand_type(stands[0], stands) == "corner"
    assert stand_type(stands[5], stands) == "corner"


def test_open_sides_peninsula_at_the_head_of_a_block():
    stands = block_2x3()
    head = Stand("5A-G112", "5A", 19.0, 10.0, 6.0, 6.0)

    assert open_side_names(head, [*stands, head]) == ("south", "east", "north")
    assert stand_type(head, [*stands, head]) == "peninsula"


def test_open_sides_island_alone_in_the_aisles():
    island = Stand("5A-H100", "5A", 40.0, 40.0, 10.0, 10.0)

    assert open_sides(island, [island, *block_2x3()]) == 4
    assert stand_type(island, []) == "island"


def test_open_sides_wall_closes_a_side_only_when_the_hall_is_given():
    against_wall = Stand("5A-A100", "5A", 0.0, 50.0, 4.0, 3.0)

    assert open_sides(against_wall, []) == 4
    assert open_side_names(against_wall, [], HALL) == ("south", "east", "north")


def test_open_sides_side_less_than_half_covered_stays_open():
    stand = Stand("5A-B100", "5A", 10.0, 10.0, 6.0, 3.0)
    small_neighbour = Stand("5A-B102", "5A", 10.0, 13.0, 2.0, 3.0)  # covers 2 of 6 m of the north side
    wide_neighbour = Stand("5A-B104", "5A", 12.0, 13.0, 2.0, 3.0)  # with it, 4 of 6 m

    assert open_sides(stand, [small_neighbour]) == 4
    assert open_side_names(stand, [small_neighbour, wide_neighbour]) == ("south", "east", "west")


def test_validate_plan_reports_overlap_and_bounds_with_exact_messages():
    stands = [
        Stand("5A-G120", "5A", 100.0, 10.0, 6.0, 3.0),
        Stand("5A-G122", "5A", 105.0, 10.0, 6.0, 3.0),
        Stand("5A-G124", "5A", 111.0, 10.0, 6.0, 3.0),  # touches G122: fine
        Stand("5A-Z100", "5A", 300.0, 195.0, 12.0, 10.0),
        Stand("5A-Z102", "5A", -2.0, 20.0, 4.0, 4.0),
    ]

    assert validate_plan([HALL], stands) == [
        "stand 5A-G120 overlaps 5A-G122",
        "stand 5A-Z100 extends beyond hall 5A (x+width 312 > 300, y+depth 205 > 200)",
        "stand 5A-Z102 extends beyond hall 5A (x -2 < 0)",
    ]


def test_validate_plan_reports_features_doors_ids_and_unknown_halls():
    hall_b = Hall("5B", "Hall 5B", 100.0, 200.0, origin_x=300.0)
    plan = {
        "halls": [HALL, hall_b],
        "stands": [Stand("5A-G120", "5A", 28.0, 28.0, 6.0, 3.0), Stand("X-1", "9", 0, 0, 3, 3)],
        "features": [
            Feature("5A-COL1", "5A", 29.6, 29.6, 0.8, 0.8, "column"),
            Feature("MARK", "5A", 29.0, 29.0, 2.0, 2.0, "marking", blocks=False),
            Feature("5A-G120", "5A", 100.0, 100.0, 2.0, 2.0, "lounge", is_place=True),
        ],
        "doors": [
            Door("D-OK", "5A", "5B", 300.0, 100.0),
            Door("D-AIR", "5A", "5B", 150.0, 100.0),
            Door("D-NOWHERE", "5A", "7", 300.0, 10.0),
        ],
    }

    assert validate_plan(**plan) == [
        "door D-AIR at (150, 100) is not on a wall of hall 5A",
        "door D-AIR at (150, 100) is not on a wall of hall 5B",
        "door D-NOWHERE opens into unknown hall 7",
        "duplicate id 5A-G120",
        "stand 5A-G120 overlaps column 5A-COL1",
        "stand X-1 is in unknown hall 9",
    ]


def test_validate_plan_reports_overlapping_halls():
    assert validate_plan([HALL, Hall("6", "Hall 6", 50.0, 50.0, origin_x=290.0)]) == [
        "hall 5A overlaps hall 6"
    ]


def test_snap_rounds_to_half_metres():
    assert [snap(v) for v in (1.24, 1.26, 0.25, 0.74, -0.74, 3.0)] == [1.0, 1.5, 0.5, 0.5, -0.5, 3.0]
    assert snap(4.4, grid=1.0) == 4.0
    assert snap_rect(Rect(0.2, 10.3, 5.9, 2.9)) == Rect(0.0, 10.5, 6.0, 2.5)


def test_split_rect_into_equal_parts_along_each_axis():
    assert split_rect(Rect(10, 0, 10, 4), 4, "x") == [
        Rect(10, 0, 2.5, 4),
        Rect(12.5, 0, 2.5, 4),
        Rect(15, 0, 2.5, 4),
        Rect(17.5, 0, 2.5, 4),
    ]
    assert split_rect(Rect(0, 0, 6, 9), 3, "y") == [Rect(0, 0, 6, 3), Rect(0, 3, 6, 3), Rect(0, 6, 6, 3)]
    with pytest.raises(GeometryError, match="cannot split into 0 parts"):
        split_rect(Rect(0, 0, 6, 9), 0)


def test_merge_rects_sharing_a_whole_side_in_either_order():
    assert merge_rects(Rect(0, 0, 3, 3), Rect(3, 0, 6, 3)) == Rect(0, 0, 9, 3)
    assert merge_rects(Rect(0, 3, 3, 2), Rect(0, 0, 3, 3)) == Rect(0, 0, 3, 5)


def test_merge_rects_not_forming_a_rectangle_is_refused():
    with pytest.raises(GeometryError) as error:
        merge_rects(Rect(0, 0, 3, 3), Rect(3, 0, 3, 4))

    assert str(error.value) == "rectangles at (0, 0) 3x3 and (3, 0) 3x4 do not share a whole side"


def test_segment_hits_rect_interior_only():
    box = Rect(10, 10, 10, 10)

    assert segment_hits_rect((0, 15), (30, 15), box) is True
    assert segment_hits_rect((0, 10), (30, 10), box) is False  # along an edge
    assert segment_hits_rect((0, 0), (10, 10), box) is False  # ends on a corner
    assert segment_hits_rect((5, 25), (25, 5), box) is True
    assert segment_hits_rect((0, 0), (9, 30), box) is False
