"""Privacy API: the same services and rules as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import EventScopedMixin, RulesPermission

from .. import selectors, services
from .serializers import ErasureSerializer, JobSerializer, RetentionUpdateSerializer, RuleSerializer


class RetentionView(EventScopedMixin, APIView):
    """GET: each category's period and due date; PUT ``{"days": {"visitor_registrations": 120}}`` (admins)."""

    permission_required = {"GET": "privacy.view_retention", "PUT": "privacy.manage_retention"}

    @extend_schema(responses={200: RuleSerializer(many=True)})
    def get(self, request, event_slug):
        return Response(RuleSerializer(services.rules_for(self.event), many=True).data)

    @extend_schema(request=RetentionUpdateSerializer, responses={200: RuleSerializer(many=True)})
    def put(self, request, event_slug):
        data = RetentionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rules = services.update_retention(
            event=self.event, actor=request.user, days=data.validated_data["days"]
        )
        return Response(RuleSerializer(rules, many=True).data)


class ShredderRunListView(EventScopedMixin, generics.ListCreateAPIView):
    """The event's shredder runs; POST starts one for the categories that are due (admins)."""

    serializer_class = JobSerializer
    permission_required = {"GET": "privacy.view_retention", "POST": "privacy.manage_retention"}

    def get_queryset(self):
        return selectors.shredder_runs_with_event(self.event)

    @extend_schema(request=None, responses={202: JobSerializer})
    def post(self, request, *args, **kwargs):
        job = services.start_shredder(event=self.event, actor=request.user)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ShredderRunDetailView(EventScopedMixin, APIView):
    permission_required = "privacy.view_retention"

    @extend_schema(responses={200: JobSerializer})
    def get(self, request, event_slug, pk):
        job = selectors.job_of_event(self.event, pk)
        if job is None:
            raise Http404
        return Response(JobSerializer(job).data)


class PersonMixin:
    permission_classes = [IsAuthenticated, RulesPermission]
    permission_required = "privacy.manage_own_data"

    def get_permission_object(self):
        return self.request.user


class MyExportListView(PersonMixin, generics.ListCreateAPIView):
    """Your data exports; POST gathers your data (poll the export, then follow ``download_url``)."""

    serializer_class = JobSerializer

    def get_queryset(self):
        return selectors.exports_of_person(self.request.user)

    @extend_schema(request=None, responses={202: JobSerializer})
    def post(self, request, *args, **kwargs):
        return Response(
            JobSerializer(services.request_export(person=request.user)).data, status=status.HTTP_202_ACCEPTED
        )


class MyJobDetailView(PersonMixin, APIView):
    @extend_schema(responses={200: JobSerializer})
    def get(self, request, pk):
        job = selectors.job_of_person(request.user, pk)
        if job is None:
            raise Http404
        return Response(JobSerializer(job).data)


class MyErasureView(PersonMixin, APIView):
    """Erase your personal data at every show (type your e-mail address to confirm)."""

    @extend_schema(request=ErasureSerializer, responses={202: JobSerializer})
    def post(self, request):
        data = ErasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.request_erasure(
            person=request.user, confirm_email=data.validated_data["confirm_email"]
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
