from __future__ import annotations

import pytest

from exhibition.privacy import selectors
from exhibition.privacy.models import Job
from tests import factories

pytestmark = pytest.mark.django_db


def test_exports_of_person_lists_only_their_exports_newest_first(event):
    anne, bob = factories.make_user(), factories.make_user()
    first = Job.objects.create(kind=Job.Kind.EXPORT, person=anne)
    Job.objects.create(kind=Job.Kind.ERASE, person=anne)
    Job.objects.create(kind=Job.Kind.EXPORT, person=bob)
    second = Job.objects.create(kind=Job.Kind.EXPORT, person=anne, event=event)

    assert [j.pk for j in selectors.exports_of_person(anne)] == [second.pk, first.pk]


def test_shredder_runs_with_event_lists_the_events_runs_only(event, other_event):
    run = Job.objects.create(kind=Job.Kind.SHRED, event=event, status=Job.Status.DONE)
    Job.objects.create(kind=Job.Kind.SHRED, event=other_event)
    Job.objects.create(kind=Job.Kind.EXPORT, event=event)

    runs = list(selectors.shredder_runs_with_event(event))
    assert [j.pk for j in runs] == [run.pk]
    assert runs[0].event == event
