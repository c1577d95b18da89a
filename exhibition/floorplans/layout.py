"""A deterministic, realistic trade-show layout: halls, blocks of stands, aisles, features, doors.

``generate_show_layout(seed=0, n_stands=1100)`` lays out exactly ``n_stands`` stands over
``n_halls`` halls (default 6, in two rows of halls sharing walls). Each hall has:

* a 6 m perimeter aisle, 5 m main aisles between bays of 40 m, and block rows separated by
  3-5 m cross aisles;
* blocks of two back-to-back rows of stands 3-6 m deep (inline and corner stands), or rows of
  island / peninsula stands 10-12 m deep; stands are 9-192 m2, ids like ``5A-G120``
  (hall code, row letter, number: even numbers face the front aisle, odd ones the back);
* a service row at the back: a restaurant, meeting rooms and a lounge (places), toilets;
* columns on a 30 m grid wherever they fall in an aisle (those inside stands are left out);
* doors between neighbouring halls (in the perimeter and main aisles) and one entrance per hall.

Ten national pavilions of one or two blocks each (``Block.pavilion``, ISO country codes).
Same seed, same layout: only ``random.Random(seed)`` is used.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .geometry import Door, Feature, Hall, Rect, Stand, overlaps

HALL_CODES = ("3", "4", "5A", "5B", "6", "7", "8", "9", "10", "11", "12", "13")
ROW_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PAVILIONS = ("DE", "FR", "IT", "ES", "NL", "CN", "JP", "KR", "US", "BR")

MARGIN = 6.0  # perimeter aisle
MAIN_AISLE = 5.0
BAY_WIDTH = 40.0
BLOCK_AISLE = 3.0  # between two blocks of one bay
COLUMN_STEP = 30.0
COLUMN_SIZE = 0.8
COLUMN_CLEARANCE = 1.0  # a column closer than this to a stand is left out


@dataclass(frozen=True)
class Block:
    """A block of stands between aisles (or a service block of features)."""

    id: str
    hall_id: str
    row: str
    x: float
    y: float
    width: float
    depth: float
    pavilion: str | None
    stand_ids: tuple[str, ...]

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.width, self.depth)


@dataclass(frozen=True)
class ShowLayout:
    halls: tuple[Hall, ...]
    stands: tuple[Stand, ...]
    features: tuple[Feature, ...]
    doors: tuple[Door, ...]
    blocks: tuple[Block, ...]
    pavilions: dict[str, str] = field(default_factory=dict)
    """Stand id -> pavilion key, for the stands of pavilion blocks."""

    @property
    def entrances(self) -> tuple[Door, ...]:
        return tuple(door for door in self.doors if door.is_entrance)

    @property
    def place_features(self) -> tuple[Feature, ...]:
        return tuple(feature for feature in self.features if feature.is_place)


def _fill(
    rng: random.Random, total: float, choices: tuple[int, ...], smallest: int, largest: int
) -> list[float]:
    """Widths from ``choices`` that add up exactly to ``total`` (an integer number of metres)."""
    widths: list[float] = []
    remaining = round(total)
    while remaining > 0:
        if remaining <= largest:
            widths.append(float(remaining))
            break
        options = [w for w in choices if remaining - w >= smallest]
        width = rng.choice(options) if options else remaining
        widths.append(float(width))
        remaining -= width
    return widths


def _bay_blocks(rng: random.Random, bay_x: float) -> list[tuple[float, float]]:
    """(x, width) of the blocks of one bay: the whole bay, or two blocks with an aisle between."""
    if rng.random() < 0.4:
        return [(bay_x, BAY_WIDTH)]
    first = float(rng.choice((12, 15, 16, 18, 20, 21, 22, 25)))
    return [(bay_x, first), (bay_x + first + BLOCK_AISLE, BAY_WIDTH - first - BLOCK_AISLE)]


def generate_show_layout(seed: int = 0, n_stands: int = 1100, *, n_halls: int = 6) -> ShowLayout:
    """Exactly ``n_stands`` stands in ``n_halls`` halls; see the module docstring."""
    if n_stands < 0 or not 1 <= n_halls <= len(HALL_CODES):
        raise ValueError(f"need 0 <= n_stands and 1 <= n_halls <= {len(HALL_CODES)}")
    rng = random.Random(seed)  # noqa: S311 -- seeded for repeatable layouts, not for security
    codes = HALL_CODES[:n_halls]
    n_bays = 4
    width = 2 * MARGIN + n_bays * BAY_WIDTH + (n_bays - 1) * MAIN_AISLE
    bay_xs = [MARGIN + b * (BAY_WIDTH + MAIN_AISLE) for b in range(n_bays)]
    main_aisle_centres = [x + BAY_WIDTH + MAIN_AISLE / 2 for x in bay_xs[:-1]]
    quotas = [n_stands // n_halls + (1 if h < n_stands % n_halls else 0) for h in range(n_halls)]

    stands: list[Stand] = []
    features: list[Feature] = []
    blocks: list[Block] = []
    ends: dict[str, float] = {}
    for code, quota in zip(codes, quotas, strict=True):
        y = MARGIN
        placed = 0
        row_index = 0
        while placed < quota:
            letter = ROW_LETTERS[row_index % len(ROW_LETTERS)] + (
                "" if row_index < len(ROW_LETTERS) else str(row_index // len(ROW_LETTERS))
            )
            island = rng.random() < 0.3
            half = 0.0 if island else float(rng.choice((3, 4, 4, 5, 6, 6)))
            depth = float(rng.choice((10, 12))) if island else 2 * half
            front_number, back_number = 100, 101
            for bay, bay_x in enumerate(bay_xs):
                for sub, (bx, bw) in enumerate(_bay_blocks(rng, bay_x)):
                    ids: list[str] = []
                    if island:
                        widths = _fill(rng, bw, (8, 10, 12, 14, 16), 8, 16)
                        rows = [(y, depth, widths, "front")]
                    else:
                        choices = tuple(w for w in (3, 4, 5, 6, 8, 10, 12) if 9 <= w * half <= 200)
                        rows = [
                            (y, half, _fill(rng, bw, choices, min(choices), max(choices)), "front"),
                            (y + half, half, _fill(rng, bw, choices, min(choices), max(choices)), "back"),
                        ]
                    # Interleave front and back so a partly filled last block stays compact.
                    cells = []
                    for row_y, row_depth, widths, side in rows:
                        x = bx
                        for w in widths:
                            cells.append((x, row_y, w, row_depth, side))
                            x += w
                    cells.sort(key=lambda cell: (cell[0], cell[4]))
                    for x, row_y, w, row_depth, side in cells:
                        if placed >= quota:
                            break
                        if side == "front":
                            number, front_number = front_number, front_number + 2
                        else:
                            number, back_number = back_number, back_number + 2
                        stand_id = f"{code}-{letter}{number}"
                        stands.append(Stand(stand_id, code, x, row_y, w, row_depth))
                        ids.append(stand_id)
                        placed += 1
                    if ids:
                        blocks.append(
                            Block(
                                f"{code}-{letter}-{bay + 1}{'ab'[sub]}",
                                code,
                                letter,
                                bx,
                                y,
                                bw,
                                depth,
                                None,
                                tuple(ids),
                            )
                        )
            aisle = MAIN_AISLE if row_index % 4 == 3 else float(rng.choice((3, 4, 4, 5)))
            y += depth + aisle
            row_index += 1
        # Service row at the back: restaurant, meeting rooms, lounge and toilets.
        service_y = y + 2.0
        features.append(
            Feature(f"{code}-RESTAURANT", code, bay_xs[0], service_y, 30.0, 16.0, "restaurant", True)
        )
        features.extend(
            Feature(f"{code}-MR{k + 1}", code, bay_xs[1] + k * 8.0, service_y, 8.0, 6.0, "meeting_room", True)
            for k in range(4)
        )
        features.append(Feature(f"{code}-LOUNGE", code, bay_xs[2], service_y, 14.0, 10.0, "lounge", True))
        features.append(Feature(f"{code}-WC", code, bay_xs[2] + 26.0, service_y, 8.0, 5.0, "toilets", False))
        ends[code] = service_y + 16.0

    depth = math.ceil(max(ends.values()) + MARGIN) if ends else 2 * MARGIN
    cols = math.ceil(n_halls / 2) if n_halls > 1 else 1
    halls = []
    for h, code in enumerate(codes):
        col, row = h % cols, h // cols
        halls.append(Hall(code, f"Hall {code}", width, float(depth), col * width, row * float(depth)))

    # Columns on a 30 m grid, left out where they would touch a stand or a feature.
    by_hall: dict[str, list[Rect]] = {code: [] for code in codes}
    for item in (*stands, *features):
        by_hall[item.hall_id].append(item.rect.inflated(COLUMN_CLEARANCE))
    for code in codes:
        number = 0
        for gx in range(1, int(width // COLUMN_STEP) + 1):
            for gy in range(1, int(depth // COLUMN_STEP) + 1):
                cx, cy = gx * COLUMN_STEP, gy * COLUMN_STEP
                if not (MARGIN < cx < width - MARGIN and MARGIN < cy < depth - MARGIN):
                    continue
                column = Rect(cx - COLUMN_SIZE / 2, cy - COLUMN_SIZE / 2, COLUMN_SIZE, COLUMN_SIZE)
                if any(overlaps(column, other) for other in by_hall[code]):
                    continue
                number += 1
                features.append(
                    Feature(
                        f"{code}-COL{number}", code, column.x, column.y, COLUMN_SIZE, COLUMN_SIZE, "column"
                    )
                )

    # Doors: two per shared wall side by side (front and back perimeter aisles), one per main
    # aisle between halls one behind the other; an entrance per hall on its outer wall.
    doors: list[Door] = []
    hall_at = {(h % cols, h // cols): hall for h, hall in enumerate(halls)}
    for (col, row), hall in sorted(hall_at.items()):
        right = hall_at.get((col + 1, row))
        if right is not None:
            for k, y_local in enumerate((MARGIN / 2, depth - MARGIN / 2)):
                doors.append(
                    Door(
                        f"DOOR-{hall.id}-{right.id}-{k + 1}",
                        hall.id,
                        right.id,
                        right.origin_x,
                        hall.origin_y + y_local,
                        4.0,
                    )
                )
        behind = hall_at.get((col, row + 1))
        if behind is not None:
            for k, x_local in enumerate(main_aisle_centres):
                doors.append(
                    Door(
                        f"DOOR-{hall.id}-{behind.id}-{k + 1}",
                        hall.id,
                        behind.id,
                        hall.origin_x + x_local,
                        behind.origin_y,
                        4.0,
                    )
                )
        outer_y = hall.origin_y if row == 0 else hall.origin_y + depth
        doors.append(
            Door(f"ENTRANCE-{hall.id}", hall.id, None, hall.origin_x + main_aisle_centres[0], outer_y, 6.0)
        )

    # National pavilions: a block, sometimes with its neighbour in the same row.
    stand_blocks = list(range(len(blocks)))
    rng.shuffle(stand_blocks)
    taken: set[int] = set()
    pavilion_of_block: dict[int, str] = {}
    for key in PAVILIONS:
        for index in stand_blocks:
            if index in taken:
                continue
            group = [index]
            neighbour = index + 1
            if (
                rng.random() < 0.6
                and neighbour < len(blocks)
                and neighbour not in taken
                and blocks[neighbour].hall_id == blocks[index].hall_id
                and blocks[neighbour].row == blocks[index].row
            ):
                group.append(neighbour)
            for member in group:
                taken.add(member)
                pavilion_of_block[member] = key
            break
        if len(taken) >= len(blocks):
            break
    final_blocks = tuple(
        Block(b.id, b.hall_id, b.row, b.x, b.y, b.width, b.depth, pavilion_of_block.get(i), b.stand_ids)
        for i, b in enumerate(blocks)
    )
    pavilions = {stand_id: b.pavilion for b in final_blocks if b.pavilion for stand_id in b.stand_ids}
    doors.sort(key=lambda door: door.id)
    return ShowLayout(tuple(halls), tuple(stands), tuple(features), tuple(doors), final_blocks, pavilions)
