"""The walking graph of a floor plan: its nodes, its visibility edges, routes between places
and travel-time matrices. The method is described in the package docstring."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..geometry import EPS, Door, Feature, Hall, Rect, Stand, door_walls, fmt
from .vectors import (
    access_points_of,
    convex_corners,
    merged_boxes,
    min_plus,
    pair_indices,
    segments_blocked,
    strictly_inside_any,
)

__all__ = [
    "Route",
    "UnknownPlaceError",
    "UnreachableError",
    "WalkingError",
    "WalkingGraph",
]

_CORNER, _ACCESS, _DOOR_INSIDE, _DOOR, _VIRTUAL = range(5)
_PAIR_CHUNK = 400_000  # node pairs per visibility batch
_SOURCE_CHUNK = 256  # Dijkstra sources per batch in matrix()
_DECIMALS = 4


class WalkingError(ValueError):
    """A floor plan the walking graph cannot be built from, or a route it cannot give."""


class UnknownPlaceError(WalkingError):
    """The id is not a stand, door or place feature of this floor plan."""


class UnreachableError(WalkingError):
    """No walking route joins the two places."""


@dataclass(frozen=True)
class Route:
    """A walk: its time (with any hall-entry penalties), its length and its turning points.

    ``points`` are site coordinates from the origin's access point (or door) to the
    destination's; ``doors`` are the ids of the doors passed, in order.
    """

    origin: str
    destination: str
    minutes: float
    metres: float
    points: list[tuple[float, float]]
    doors: list[str]


@dataclass(frozen=True)
class _Place:
    id: str
    label: str  # "stand 5A-G120", "meeting_room 5A-MR1", "door D-1"
    hall_id: str
    source: int
    sink: int
    access: tuple[int, ...]


@dataclass
class _Obstacle:
    rect: Rect  # site coordinates, not grown
    place: int | None  # index into places when the obstacle is a place


class WalkingGraph:
    """The walking graph of a floor plan. Build once, then ask for routes and matrices.

    ``entry_penalty_minutes``: minutes added each time a walker enters a hall through a door
    (a number for every hall, or a mapping hall id -> minutes; default 0). Leaving an entrance
    to go into its hall counts as entering.
    """

    def __init__(
        self,
        halls: Iterable[Hall],
        stands: Iterable[Stand] = (),
        features: Iterable[Feature] = (),
        doors: Iterable[Door] = (),
        *,
        metres_per_minute: float = 60.0,
        entry_penalty_minutes: float | Mapping[str, float] = 0.0,
        clearance: float = 0.5,
    ) -> None:
        if not metres_per_minute > 0:
            raise WalkingError("metres_per_minute must be positive")
        if not clearance > 0:
            raise WalkingError("clearance must be positive")
        self.metres_per_minute = float(metres_per_minute)
        self.clearance = float(clearance)
        self.halls: dict[str, Hall] = {hall.id: hall for hall in sorted(halls, key=lambda h: h.id)}
        if isinstance(entry_penalty_minutes, Mapping):
            unknown = sorted(set(entry_penalty_minutes) - set(self.halls))
            if unknown:
                raise WalkingError(f"entry penalty given for unknown hall {unknown[0]}")
            self.entry_penalty = {h: float(entry_penalty_minutes.get(h, 0.0)) for h in self.halls}
        else:
            self.entry_penalty = dict.fromkeys(self.halls, float(entry_penalty_minutes))
        if any(value < 0 for value in self.entry_penalty.values()):
            raise WalkingError("entry penalties cannot be negative")
        self.symmetric = not any(self.entry_penalty.values())

        self.problems: list[str] = []
        """Places or doors that no aisle reaches (the graph is still usable for the others)."""
        self._xs: list[float] = []
        self._ys: list[float] = []
        self._kind: list[int] = []
        self._node_hall: list[int] = []  # index of the node's hall in self.halls; -1 for door centres
        self._current_hall = -1
        self._door_inside: list[int] = []
        self._door_of_node: dict[int, str] = {}
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._weights: list[np.ndarray] = []
        self._places: list[_Place] = []
        self._place_index: dict[str, int] = {}
        self._non_places: dict[str, str] = {}
        self._direct: dict[tuple[int, int], tuple[float, int, int]] = {}

        stands = sorted(stands, key=lambda s: s.id)
        features = sorted(features, key=lambda f: f.id)
        doors = sorted(doors, key=lambda d: d.id)
        self._check_ids(stands, features, doors)
        door_inside = self._add_doors(doors)
        for position, hall in enumerate(self.halls.values()):
            self._current_hall = position
            self._build_hall(
                hall,
                [s for s in stands if s.hall_id == hall.id],
                [f for f in features if f.hall_id == hall.id],
                door_inside.get(hall.id, []),
            )

        n = len(self._xs)
        rows = np.concatenate(self._rows) if self._rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self._cols) if self._cols else np.zeros(0, dtype=np.int64)
        weights = np.concatenate(self._weights) if self._weights else np.zeros(0)
        self._graph = csr_matrix((weights, (rows, cols)), shape=(n, n))
        self._graph.sort_indices()
        self._hall_of_node = np.asarray(self._node_hall, dtype=np.int64)
        del self._rows, self._cols, self._weights

    # ------------------------------------------------------------------ public API

    @classmethod
    def from_layout(cls, layout, **options) -> WalkingGraph:
        """Build from anything with ``halls``, ``stands``, ``features`` and ``doors`` (a ``ShowLayout``)."""
        return cls(layout.halls, layout.stands, layout.features, layout.doors, **options)

    @property
    def places(self) -> tuple[str, ...]:
        """Ids of every place a route can start or end at, sorted."""
        return tuple(sorted(self._place_index))

    @property
    def node_count(self) -> int:
        return self._graph.shape[0]

    @property
    def edge_count(self) -> int:
        return int(self._graph.nnz)

    def access_points(self, place_id: str) -> list[tuple[float, float]]:
        """Where walkers reach the place (site coordinates): the aisle points in front of its open sides."""
        place = self._place(place_id)
        nodes = place.access or (place.source,)
        return [self._point(node) for node in nodes]

    def route(self, origin: str, destination: str) -> Route:
        """The quickest walk from one place to another."""
        a, b = self._place(origin), self._place(destination)
        if a.id == b.id:
            return Route(a.id, b.id, 0.0, 0.0, self.access_points(a.id)[:1], [])
        self._require_access(a)
        self._require_access(b)
        dist, pred = dijkstra(self._graph, directed=True, indices=a.source, return_predecessors=True)
        minutes = float(dist[b.sink])
        nodes: list[int] = []
        if math.isfinite(minutes):
            node = b.sink
            while node >= 0:
                nodes.append(int(node))
                node = pred[node]
            nodes.reverse()
        direct = self._direct.get(self._pair(self._place_index[a.id], self._place_index[b.id]))
        if direct is not None and direct[0] <= minutes:
            minutes = direct[0]
            start, end = direct[1], direct[2]
            if self._places[self._place_index[a.id]].access.count(start) == 0:
                start, end = end, start
            nodes = [start, end]
        if not math.isfinite(minutes):
            raise UnreachableError(
                f"no walking route from {a.label} (hall {a.hall_id}) to {b.label} (hall {b.hall_id})"
            )
        points = [self._point(node) for node in nodes if self._kind[node] != _VIRTUAL]
        points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        metres = sum(math.dist(points[i], points[i + 1]) for i in range(len(points) - 1))
        doors = [self._door_of_node[node] for node in nodes if node in self._door_of_node]
        return Route(a.id, b.id, round(minutes, _DECIMALS), round(metres, 3), points, doors)

    def matrix(
        self, place_ids: Sequence[str] | None = None, *, unreachable: str = "raise"
    ) -> dict[str, dict[str, float]]:
        """Walking minutes from every place to every other, ``{"A": {"B": 3.5, ...}, ...}``.

        ``place_ids`` defaults to all places. Unreachable pairs raise ``UnreachableError``, or
        are ``math.inf`` with ``unreachable="inf"``.
        """
        if unreachable not in ("raise", "inf"):
            raise WalkingError("unreachable must be 'raise' or 'inf'")
        ids = list(self.places if place_ids is None else dict.fromkeys(place_ids))
        places = [self._place(place_id) for place_id in ids]
        minutes = self.minutes_array(ids)
        if unreachable == "raise":
            bad = np.argwhere(~np.isfinite(minutes))
            if len(bad):
                i, j = bad[0]
                raise UnreachableError(
                    f"no walking route from {places[i].label} (hall {places[i].hall_id}) to "
                    f"{places[j].label} (hall {places[j].hall_id}); {len(bad)} pairs unreachable in all"
                )
        return {
            ids[i]: {ids[j]: float(value) for j, value in enumerate(row)}
            for i, row in enumerate(minutes.tolist())
        }

    def minutes_array(self, place_ids: Sequence[str], *, _by_hall: bool = True) -> np.ndarray:
        """Like ``matrix`` but as a numpy array in the order of ``place_ids`` (inf when unreachable)."""
        places = [self._place(place_id) for place_id in place_ids]
        size = len(places)
        if _by_hall:
            result = self._minutes_by_hall(places)
        else:
            result = np.full((size, size), np.inf)
            sinks = np.array([p.sink for p in places], dtype=np.int64)
            for start in range(0, size, _SOURCE_CHUNK):
                chunk = places[start : start + _SOURCE_CHUNK]
                dist = dijkstra(self._graph, directed=True, indices=[p.source for p in chunk])
                result[start : start + len(chunk)] = dist[:, sinks]
        position = {self._place_index[p.id]: i for i, p in enumerate(places)}
        if self._direct and position:
            keys = [
                (position[a], position[b], value[0])
                for (a, b), value in self._direct.items()
                if a in position and b in position
            ]
            if keys:
                ii, jj, vv = (np.array(column) for column in zip(*keys, strict=True))
                ii, jj = ii.astype(np.int64), jj.astype(np.int64)
                np.minimum.at(result, (ii, jj), vv)
                np.minimum.at(result, (jj, ii), vv)
        np.fill_diagonal(result, 0.0)
        if self.symmetric:
            result = np.minimum(result, result.T)
        return np.round(result, _DECIMALS)

    def _minutes_by_hall(self, places: list[_Place]) -> np.ndarray:
        """Graph distances between places, one hall at a time.

        A walk between two places either stays in one hall, or leaves the first hall at the inside
        point ``a`` of some door and last enters the second hall at the inside point ``b`` of some
        door: its time is (within hall 1, place -> a) + (anywhere, a -> b) + (within hall 2, b ->
        place). Dijkstra runs on each hall's small subgraph from its places and door points, and on
        the whole graph only from the door points (and from doors asked for as places).
        """
        size = len(places)
        result = np.full((size, size), np.inf)
        hall_of = self._hall_of_node
        inside = np.asarray(self._door_inside, dtype=np.int64)
        between = (
            dijkstra(self._graph, directed=True, indices=inside)[:, inside]
            if len(inside)
            else np.zeros((0, 0))
        )
        groups: dict[int, list[int]] = {}
        on_walls: list[int] = []  # door places: their node is on a wall, in no hall
        for position, place in enumerate(places):
            hall = int(hall_of[place.source])
            (on_walls if hall < 0 else groups.setdefault(hall, [])).append(position)

        legs: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        for hall, positions in groups.items():
            nodes = np.flatnonzero(hall_of == hall)
            local = np.full(len(hall_of), -1, dtype=np.int64)
            local[nodes] = np.arange(len(nodes))
            subgraph = self._graph[nodes][:, nodes]
            doors_here = np.flatnonzero(hall_of[inside] == hall)  # indices into `inside`
            sources = np.concatenate(
                [local[[places[p].source for p in positions]], local[inside[doors_here]]]
            ).astype(np.int64)
            sinks = local[[places[p].sink for p in positions]]
            door_local = local[inside[doors_here]]
            rows = []
            for start in range(0, len(sources), _SOURCE_CHUNK):
                dist = dijkstra(subgraph, directed=True, indices=sources[start : start + _SOURCE_CHUNK])
                rows.append(np.concatenate([dist[:, sinks], dist[:, door_local]], axis=1))
            dist = np.concatenate(rows)
            count = len(positions)
            result[np.ix_(positions, positions)] = dist[:count, :count]
            legs[hall] = (np.asarray(positions), doors_here, dist[:count, count:], dist[count:, :count])

        for pos_a, doors_a, to_door, _ in legs.values():
            for pos_b, doors_b, _, from_door in legs.values():
                if not len(doors_a) or not len(doors_b):
                    continue
                via = min_plus(min_plus(to_door, between[np.ix_(doors_a, doors_b)]), from_door)
                block = np.ix_(pos_a, pos_b)
                result[block] = np.minimum(result[block], via)

        if on_walls:
            centres = [places[p].source for p in on_walls]
            sources = [p.source for p in places]
            sinks = [p.sink for p in places]
            outward = dijkstra(self._graph, directed=True, indices=centres)
            inward = dijkstra(self._graph.T.tocsr(), directed=True, indices=centres)
            result[on_walls, :] = outward[:, sinks]
            result[:, on_walls] = inward[:, sources].T
        return result

    # ------------------------------------------------------------------ lookup helpers

    def _place(self, place_id: str) -> _Place:
        index = self._place_index.get(place_id)
        if index is None:
            if place_id in self._non_places:
                raise UnknownPlaceError(
                    f"{self._non_places[place_id]} is not a place a route can start or end at"
                )
            raise UnknownPlaceError(
                f"unknown place {place_id!r}: not a stand, door or place feature of this floor plan"
            )
        return self._places[index]

    def _require_access(self, place: _Place) -> None:
        if self._kind[place.source] == _VIRTUAL and not place.access:
            raise UnreachableError(f"{place.label} has no side on an aisle: no walking route reaches it")

    def _point(self, node: int) -> tuple[float, float]:
        return (self._xs[node], self._ys[node])

    @staticmethod
    def _pair(a: int, b: int) -> tuple[int, int]:
        return (a, b) if a < b else (b, a)

    # ------------------------------------------------------------------ building

    def _check_ids(self, stands: list[Stand], features: list[Feature], doors: list[Door]) -> None:
        seen: set[str] = set()
        for item in (*stands, *features, *doors):
            if item.id in seen:
                raise WalkingError(f"duplicate id {item.id}: stands, features and doors share one namespace")
            seen.add(item.id)
        for item in (*stands, *features):
            if item.hall_id not in self.halls:
                kind = "stand" if isinstance(item, Stand) else item.kind
                raise WalkingError(f"{kind} {item.id} is in unknown hall {item.hall_id}")
        for door in doors:
            for hall_id in door.halls:
                if hall_id not in self.halls:
                    raise WalkingError(f"door {door.id} opens into unknown hall {hall_id}")

    def _add_node(self, x: float, y: float, kind: int, hall: int | None = None) -> int:
        self._xs.append(float(x))
        self._ys.append(float(y))
        self._kind.append(kind)
        self._node_hall.append(self._current_hall if hall is None else hall)
        return len(self._xs) - 1

    def _add_edges(self, rows: Sequence[int] | np.ndarray, cols: Sequence[int] | np.ndarray, weights) -> None:
        self._rows.append(np.asarray(rows, dtype=np.int64))
        self._cols.append(np.asarray(cols, dtype=np.int64))
        self._weights.append(np.asarray(weights, dtype=np.float64))

    def _add_place(
        self, place_id: str, label: str, hall_id: str, source: int, sink: int, access: tuple[int, ...]
    ) -> int:
        self._places.append(_Place(place_id, label, hall_id, source, sink, access))
        self._place_index[place_id] = len(self._places) - 1
        return len(self._places) - 1

    def _add_doors(self, doors: list[Door]) -> dict[str, list[tuple[int, int]]]:
        """Door centre nodes (the places) and, per hall, the node just inside; returns hall -> [(node, door)]."""
        inside: dict[str, list[tuple[int, int]]] = {}
        offset = self.clearance
        step = offset / self.metres_per_minute
        hall_position = {hall_id: position for position, hall_id in enumerate(self.halls)}
        for door in doors:
            centre = self._add_node(door.x, door.y, _DOOR, hall=-1)
            self._door_of_node[centre] = door.id
            label = f"{'entrance' if door.is_entrance else 'door'} {door.id}"
            index = self._add_place(door.id, label, door.hall_a, centre, centre, ())
            for hall_id in door.halls:
                hall = self.halls[hall_id]
                walls = door_walls(door, hall)
                if not walls:
                    raise WalkingError(
                        f"door {door.id} at ({fmt(door.x)}, {fmt(door.y)}) is not on a wall of hall {hall_id}"
                    )
                dx, dy = {"south": (0, 1), "north": (0, -1), "west": (1, 0), "east": (-1, 0)}[walls[0]]
                r = hall.site_rect
                x = min(max(door.x, r.x), r.x1) + dx * offset
                y = min(max(door.y, r.y), r.y1) + dy * offset
                node = self._add_node(x, y, _DOOR_INSIDE, hall=hall_position[hall_id])
                self._door_inside.append(node)
                self._add_edges([centre, node], [node, centre], [step + self.entry_penalty[hall_id], step])
                inside.setdefault(hall_id, []).append((node, index))
        return inside

    def _build_hall(
        self, hall: Hall, stands: list[Stand], features: list[Feature], doors: list[tuple[int, int]]
    ) -> None:
        ox, oy = hall.origin_x, hall.origin_y
        c = self.clearance
        obstacles: list[_Obstacle] = []
        free_places: list[tuple[int, float, float]] = []  # non-blocking place features: (place, x, y)
        for stand in stands:
            source, sink = (
                self._add_node(math.nan, math.nan, _VIRTUAL),
                self._add_node(math.nan, math.nan, _VIRTUAL),
            )
            index = self._add_place(stand.id, f"stand {stand.id}", hall.id, source, sink, ())
            obstacles.append(_Obstacle(stand.rect.translated(ox, oy), index))
        for feature in features:
            rect = feature.rect.translated(ox, oy)
            index = None
            if feature.is_place:
                if feature.blocks:
                    source, sink = (
                        self._add_node(math.nan, math.nan, _VIRTUAL),
                        self._add_node(math.nan, math.nan, _VIRTUAL),
                    )
                    index = self._add_place(
                        feature.id, f"{feature.kind} {feature.id}", hall.id, source, sink, ()
                    )
                else:
                    free_places.append((len(self._places), *rect.center))
                    node = self._add_node(*rect.center, _ACCESS)
                    self._add_place(feature.id, f"{feature.kind} {feature.id}", hall.id, node, node, (node,))
            else:
                self._non_places[feature.id] = f"{feature.kind} {feature.id}"
            if feature.blocks:
                obstacles.append(_Obstacle(rect, index))

        walls = hall.site_rect
        boxes = merged_boxes([o.rect for o in obstacles], c)  # grown, merged: (m, 4) x0 y0 x1 y1

        # Nodes of this hall: corners, access points, door insides.
        node_ids: list[int] = []
        signs: list[float] = []  # corner orientation sx*sy; 0 for free points
        owner: list[int] = []  # place index for access points, -1 otherwise
        for x, y, sign in convex_corners(boxes, walls):
            node_ids.append(self._add_node(x, y, _CORNER))
            signs.append(sign)
            owner.append(-1)
        for obstacle in obstacles:
            if obstacle.place is None:
                continue
            place = self._places[obstacle.place]
            access = []
            for x, y in access_points_of(obstacle.rect, boxes, walls, c):
                node = self._add_node(x, y, _ACCESS)
                access.append(node)
                node_ids.append(node)
                signs.append(0.0)
                owner.append(obstacle.place)
            self._places[obstacle.place] = _Place(
                place.id, place.label, place.hall_id, place.source, place.sink, tuple(access)
            )
            if access:
                zeros = np.zeros(len(access))
                self._add_edges([place.source] * len(access), access, zeros)
                self._add_edges(access, [place.sink] * len(access), zeros)
            else:
                self.problems.append(f"{place.label} has no side on an aisle")
        for place_index, x, y in free_places:
            node = self._places[place_index].source
            if strictly_inside_any(np.array([[x, y]]), boxes)[0]:
                self.problems.append(f"{self._places[place_index].label} lies inside an obstacle")
            node_ids.append(node)
            signs.append(0.0)
            owner.append(place_index)
        for node, door_place in doors:
            if strictly_inside_any(np.array([[self._xs[node], self._ys[node]]]), boxes)[0]:
                self.problems.append(
                    f"{self._places[door_place].label} is blocked on the side of hall {hall.id}"
                )
            node_ids.append(node)
            signs.append(0.0)
            owner.append(-1)

        if len(node_ids) < 2:
            return
        ids = np.asarray(node_ids, dtype=np.int64)
        xy = np.column_stack([np.asarray(self._xs)[ids], np.asarray(self._ys)[ids]])
        sign = np.asarray(signs)
        own = np.asarray(owner, dtype=np.int64)
        is_access = np.asarray([self._kind[n] == _ACCESS for n in node_ids])
        inner = boxes + np.array([EPS, EPS, -EPS, -EPS]) if len(boxes) else boxes
        mpm = self.metres_per_minute

        k = len(ids)
        for first in range(0, k - 1, max(1, _PAIR_CHUNK // k)):
            last = min(k - 1, first + max(1, _PAIR_CHUNK // k))
            i, j = pair_indices(first, last, k)
            dx = xy[j, 0] - xy[i, 0]
            dy = xy[j, 1] - xy[i, 1]
            turn = dx * dy
            keep = (sign[i] * turn <= 1e-9) & (sign[j] * turn <= 1e-9)
            keep &= ~(is_access[i] & is_access[j] & (own[i] == own[j]))
            i, j = i[keep], j[keep]
            if not len(i):
                continue
            visible = ~segments_blocked(xy[i], xy[j], inner)
            i, j = i[visible], j[visible]
            length = np.hypot(xy[j, 0] - xy[i, 0], xy[j, 1] - xy[i, 1])
            direct = is_access[i] & is_access[j]
            gi, gj, gw = ids[i[~direct]], ids[j[~direct]], length[~direct] / mpm
            self._add_edges(np.concatenate([gi, gj]), np.concatenate([gj, gi]), np.concatenate([gw, gw]))
            for a, b, w in zip(
                i[direct].tolist(), j[direct].tolist(), (length[direct] / mpm).tolist(), strict=True
            ):
                key = self._pair(int(own[a]), int(own[b]))
                start, end = (ids[a], ids[b]) if own[a] == key[0] else (ids[b], ids[a])
                best = self._direct.get(key)
                if best is None or w < best[0]:
                    self._direct[key] = (w, int(start), int(end))
