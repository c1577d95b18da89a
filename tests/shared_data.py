"""Where the third-party planning data lives: ``../shared`` beside the repository.

Tests and benchmarks read these files in place; they are never copied into the project.
Override with ``EXHIBITION_SHARED_DIR``.
"""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("EXHIBITION_SHARED_DIR", REPO_ROOT.parent / "shared"))
EXAMPLES_DIR = SHARED_DIR / "data" / "examples"
B2B_DIR = SHARED_DIR / "data" / "b2b-instances"
TOOLS_DIR = SHARED_DIR / "tools"


def require_shared() -> Path:
    """Skip (visibly) when shared/ is absent; fail instead under REQUIRE_SERVICES=1."""
    if not SHARED_DIR.is_dir():
        msg = f"shared data not found at {SHARED_DIR}"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(msg)
        pytest.skip(msg)
    return SHARED_DIR
