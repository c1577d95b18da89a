import pytest
from django.core.cache import cache

from exhibition.floorplans import selectors
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every floor-plan test starts with no cached plan or walking graph: they are keyed by event
    id and plan version, and a rolled-back test can leave an id the next test gets again."""
    cache.clear()
    selectors.forget_local_graphs()
    yield
    cache.clear()
    selectors.forget_local_graphs()


@pytest.fixture
def halls(event):
    """5A (60 x 40 m) and 6 beside it on the site (x 60 to 120): they share 5A's right wall.
    A test file that needs other halls defines its own ``halls``."""
    return {
        "5A": factories.make_hall(event, "5A", width=60, depth=40, position=1),
        "6": factories.make_hall(event, "6", width=60, depth=40, origin_x=60, position=2),
    }
