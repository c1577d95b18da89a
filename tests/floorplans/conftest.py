import pytest
from django.core.cache import cache

from exhibition.floorplans import selectors


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every floor-plan test starts with no cached plan or walking graph: they are keyed by event
    id and plan version, and a rolled-back test can leave an id the next test gets again."""
    cache.clear()
    selectors.forget_local_graphs()
    yield
    cache.clear()
    selectors.forget_local_graphs()
