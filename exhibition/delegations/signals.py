"""What delegations tells the apps above it, without importing them (tests/test_layers.py)."""

from django.dispatch import Signal

# A delegation's programme was published, inside the publishing transaction. Sent with ``event``
# and ``delegation_organisation``; meetings blocks the published visits' time in B2B agendas.
programme_published = Signal()
