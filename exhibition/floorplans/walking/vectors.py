"""Vectorised geometry for the walking graph (numpy): merged obstacle boxes, convex corners,
access points, and which straight segments the obstacles block."""

from __future__ import annotations

import numpy as np

from ..geometry import EPS, Rect

_QUADRANT_PROBE = 1e-4  # metres: how far from a corner we look to see whether it is convex
_MIN_ACCESS = 0.1  # metres: shortest free stretch of a side that still gets an access point
_HITS_CHUNK = 4_000_000  # pair x obstacle cells per batch


def min_plus(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(min, +) matrix product: out[i, j] = min over k of left[i, k] + right[k, j]."""
    if left.shape[1] == 0:
        return np.full((left.shape[0], right.shape[1]), np.inf)
    out = np.full((left.shape[0], right.shape[1]), np.inf)
    for k in range(left.shape[1]):
        np.minimum(out, left[:, k : k + 1] + right[k : k + 1, :], out=out)
    return out


def pair_indices(first: int, last: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with first <= i < last and i < j < k."""
    counts = k - 1 - np.arange(first, last)
    i = np.repeat(np.arange(first, last), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    j = i + 1 + offsets
    return i, j


def merged_boxes(rects: list[Rect], clearance: float) -> np.ndarray:
    """Grown obstacle boxes, with each group of touching rects that tiles a rectangle merged into one."""
    if not rects:
        return np.zeros((0, 4))
    arr = np.array([[r.x, r.y, r.x1, r.y1] for r in rects])
    n = len(arr)
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    order = np.argsort(arr[:, 0], kind="stable")
    for pos, a in enumerate(order):
        for b in order[pos + 1 :]:
            if arr[b, 0] > arr[a, 2] + EPS:
                break
            if arr[b, 1] <= arr[a, 3] + EPS and arr[a, 1] <= arr[b, 3] + EPS:
                ra, rb = find(int(a)), find(int(b))
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for a in range(n):
        groups.setdefault(find(a), []).append(a)
    out = []
    for members in groups.values():
        part = arr[members]
        bbox = np.array([part[:, 0].min(), part[:, 1].min(), part[:, 2].max(), part[:, 3].max()])
        areas = (part[:, 2] - part[:, 0]) * (part[:, 3] - part[:, 1])
        bbox_area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])
        if len(members) == 1 or (
            abs(areas.sum() - bbox_area) <= 1e-6 * max(1.0, bbox_area) and not _any_overlap(part)
        ):
            out.append(bbox)
        else:
            out.extend(part)
    boxes = np.array(out)
    boxes[:, :2] -= clearance
    boxes[:, 2:] += clearance
    return boxes[np.lexsort((boxes[:, 1], boxes[:, 0]))]


def _any_overlap(part: np.ndarray) -> bool:
    x0, y0, x1, y1 = (part[:, k] for k in range(4))
    hit = (
        (x0[:, None] < x1[None, :] - EPS)
        & (x0[None, :] < x1[:, None] - EPS)
        & (y0[:, None] < y1[None, :] - EPS)
        & (y0[None, :] < y1[:, None] - EPS)
    )
    np.fill_diagonal(hit, False)
    return bool(hit.any())


def strictly_inside_any(points: np.ndarray, boxes: np.ndarray, tol: float = EPS) -> np.ndarray:
    """For each point, whether it lies in the interior of some box (by more than ``tol``)."""
    if not len(boxes) or not len(points):
        return np.zeros(len(points), dtype=bool)
    px, py = points[:, 0:1], points[:, 1:2]
    inside = (
        (boxes[None, :, 0] + tol < px)
        & (px < boxes[None, :, 2] - tol)
        & (boxes[None, :, 1] + tol < py)
        & (py < boxes[None, :, 3] - tol)
    )
    return inside.any(axis=1)


def convex_corners(boxes: np.ndarray, walls: Rect) -> list[tuple[float, float, float]]:
    """Corners of the union of the boxes that are convex and on the hall floor: (x, y, sx*sy)."""
    if not len(boxes):
        return []
    corners = []
    for sx, sy, xcol, ycol in ((-1, -1, 0, 1), (1, -1, 2, 1), (1, 1, 2, 3), (-1, 1, 0, 3)):
        for x, y in zip(boxes[:, xcol], boxes[:, ycol], strict=True):
            corners.append((float(x), float(y), sx, sy))
    pts = np.array([(x, y) for x, y, _, _ in corners])
    sx = np.array([c[2] for c in corners], dtype=float)
    sy = np.array([c[3] for c in corners], dtype=float)
    d = _QUADRANT_PROBE
    ok = (
        (pts[:, 0] >= walls.x - EPS)
        & (pts[:, 0] <= walls.x1 + EPS)
        & (pts[:, 1] >= walls.y - EPS)
        & (pts[:, 1] <= walls.y1 + EPS)
    )
    for qx, qy in ((sx, sy), (-sx, sy), (sx, -sy)):
        probe = pts + d * np.column_stack([qx, qy])
        ok &= ~strictly_inside_any(probe, boxes, tol=0.0)
    return [(x, y, float(a * b)) for (x, y, a, b), good in zip(corners, ok.tolist(), strict=True) if good]


def access_points_of(rect: Rect, boxes: np.ndarray, walls: Rect, c: float) -> list[tuple[float, float]]:
    """One point per side facing free floor: ``c`` out from the side, mid-way along its longest free stretch."""
    points = []
    # (fixed coordinate of the access line, is the line horizontal, span along the line)
    lines = (
        (rect.y - c, True, rect.x, rect.x1),  # south
        (rect.x1 + c, False, rect.y, rect.y1),  # east
        (rect.y1 + c, True, rect.x, rect.x1),  # north
        (rect.x - c, False, rect.y, rect.y1),  # west
    )
    near = boxes[
        (boxes[:, 0] < rect.x1 + 2 * c)
        & (boxes[:, 2] > rect.x - 2 * c)
        & (boxes[:, 1] < rect.y1 + 2 * c)
        & (boxes[:, 3] > rect.y - 2 * c)
    ]
    for fixed, horizontal, lo, hi in lines:
        if horizontal:
            if not (walls.y - EPS <= fixed <= walls.y1 + EPS):
                continue
            lo, hi = max(lo, walls.x), min(hi, walls.x1)
            across = (near[:, 1] + EPS < fixed) & (fixed < near[:, 3] - EPS)
            spans = near[across][:, [0, 2]]
        else:
            if not (walls.x - EPS <= fixed <= walls.x1 + EPS):
                continue
            lo, hi = max(lo, walls.y), min(hi, walls.y1)
            across = (near[:, 0] + EPS < fixed) & (fixed < near[:, 2] - EPS)
            spans = near[across][:, [1, 3]]
        best: tuple[float, float] | None = None
        cursor = lo
        for start, end in [*sorted(map(tuple, spans.tolist())), (hi, hi)]:
            if start > cursor:
                stretch = (cursor, min(start, hi))
                if stretch[1] - stretch[0] >= _MIN_ACCESS and (
                    best is None or stretch[1] - stretch[0] > best[1] - best[0] + EPS
                ):
                    best = stretch
            cursor = max(cursor, end)
            if cursor >= hi:
                break
        if best is not None:
            middle = (best[0] + best[1]) / 2
            points.append((middle, fixed) if horizontal else (fixed, middle))
    return points


def segments_blocked(p: np.ndarray, q: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """For segments p[k]-q[k], whether each passes through the interior of any box (x0, y0, x1, y1)."""
    n = len(p)
    blocked = np.zeros(n, dtype=bool)
    if not len(boxes) or not n:
        return blocked
    sx0, sx1 = np.minimum(p[:, 0], q[:, 0]), np.maximum(p[:, 0], q[:, 0])
    sy0, sy1 = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
    step = max(1, _HITS_CHUNK // len(boxes))
    bx0, by0, bx1, by1 = (boxes[:, k] for k in range(4))
    for start in range(0, n, step):
        sl = slice(start, start + step)
        cand = (
            (sx1[sl, None] > bx0[None, :])
            & (sx0[sl, None] < bx1[None, :])
            & (sy1[sl, None] > by0[None, :])
            & (sy0[sl, None] < by1[None, :])
        )
        seg, box = np.nonzero(cand)
        if not len(seg):
            continue
        seg += start
        px, py = p[seg, 0], p[seg, 1]
        dx, dy = q[seg, 0] - px, q[seg, 1] - py
        with np.errstate(divide="ignore", invalid="ignore"):
            tx0, tx1 = (bx0[box] - px) / dx, (bx1[box] - px) / dx
            ty0, ty1 = (by0[box] - py) / dy, (by1[box] - py) / dy
        # A zero dx (dy) means the segment is vertical (horizontal) and, by the bbox test, strictly
        # between the box's x (y) bounds: that slab puts no limit on t.
        zx, zy = dx == 0, dy == 0
        txlo = np.where(zx, -np.inf, np.minimum(tx0, tx1))
        txhi = np.where(zx, np.inf, np.maximum(tx0, tx1))
        tylo = np.where(zy, -np.inf, np.minimum(ty0, ty1))
        tyhi = np.where(zy, np.inf, np.maximum(ty0, ty1))
        lo = np.maximum(np.maximum(txlo, tylo), 0.0)
        hi = np.minimum(np.minimum(txhi, tyhi), 1.0)
        hit = lo < hi
        blocked[seg[hit]] = True
    return blocked
