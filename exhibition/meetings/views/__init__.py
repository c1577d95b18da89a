"""Pages of meetings. Thin: a form parses, one service acts, then redirect or render.

One module per concept; the URLs take the views from here."""

from .common import JoinView, ParticipantMixin
from .directory import DirectoryView
from .organiser import ManageView, MeetingSettingsView, PlacesView, RoundsView, RoundView
from .participant import (
    AgendaView,
    IcsFeedView,
    InboxView,
    MeetingView,
    ParticipantView,
    ProfileView,
    RequestView,
    TeamView,
)

__all__ = [
    "AgendaView",
    "DirectoryView",
    "IcsFeedView",
    "InboxView",
    "JoinView",
    "ManageView",
    "MeetingSettingsView",
    "MeetingView",
    "ParticipantMixin",
    "ParticipantView",
    "PlacesView",
    "ProfileView",
    "RequestView",
    "RoundView",
    "RoundsView",
    "TeamView",
]
