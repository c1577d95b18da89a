"""Walking routes and travel-time matrices on a floor plan (pure Python + numpy/scipy, no Django).

The model
---------
Stands and blocking features are obstacles; the aisles are the free floor between them.
Every obstacle is grown by ``clearance`` (default 0.5 m) so that routes keep that distance
from stand walls and never squeeze through the seam between two touching stands.

Nodes of the walking graph, per hall:

* the convex corners of the grown obstacles (touching stands are first merged into whole
  blocks, so the inner corners of a block are not nodes);
* access points of the places: one on each side of a stand (or place feature) that faces
  free floor, ``clearance`` out into the aisle, in the middle of the longest free stretch;
* one point just inside the hall for every door of the hall.

Two nodes of a hall are joined when the straight segment between them crosses no grown
obstacle (a visibility graph). Only edges that can be on a shortest path are kept: at an
obstacle corner the edge must be tangent to the obstacle. Halls are convex, so a segment
between two nodes of a hall stays in the hall; halls connect only through their doors,
whose centre (on the wall) is itself a node. Entering a hall through a door can cost a
penalty (badge control), which makes travel times asymmetric.

Each stand or place feature has a source node and a sink node (zero-cost links out to and in
from its access points) so that no route passes *through* a stand. Access points of two
places that see each other are compared directly (a straight walk across the aisle); they are
not graph edges, which keeps the graph small.

``WalkingGraph.matrix`` gives the ``travel.minutes`` shape of ``exhibition.itineraries/v1``. It
runs ``scipy.sparse.csgraph.dijkstra`` (C) hall by hall (from each place and door point, on the
hall's own subgraph) and joins halls through a door-to-door table computed on the whole graph:
exactly the whole-graph distances, several times faster. Results are rounded to
1e-4 minutes and are deterministic: inputs are sorted by id before anything is built.

Coordinates in routes are site coordinates (metres).

Two modules: ``graph`` (the walking graph, its routes and matrices) and ``vectors`` (the
vectorised geometry it is built with)."""

from .graph import Route, UnknownPlaceError, UnreachableError, WalkingError, WalkingGraph

__all__ = ["Route", "UnknownPlaceError", "UnreachableError", "WalkingError", "WalkingGraph"]
