"""What events tells the apps above it, without importing them (the layering contract:
tests/test_layers.py): they connect their receivers in their ``AppConfig.ready``."""

from django.dispatch import Signal

# An event's walking speed changed: walking times derived from it no longer hold. Sent with ``event``.
walking_settings_changed = Signal()
