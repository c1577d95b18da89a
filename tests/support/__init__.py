"""Test-only helpers loaded by real worker processes (never by the app itself)."""
