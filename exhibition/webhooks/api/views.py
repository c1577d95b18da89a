"""Webhooks API: the same services and rules as the organiser pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import EventScopedMixin

from .. import selectors, services
from ..models import Delivery
from .serializers import (
    DeliverySerializer,
    EndpointCreatedSerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
    SecretSerializer,
)


class EndpointListView(EventScopedMixin, generics.ListCreateAPIView):
    """The event's endpoints (organisers); register one (organiser admins): the answer holds its secret."""

    serializer_class = EndpointSerializer
    permission_required = {"GET": "webhooks.view_webhooks", "POST": "webhooks.manage_webhooks"}

    def get_queryset(self):
        return selectors.endpoints_for_event(self.event)

    @extend_schema(request=EndpointSerializer, responses={201: EndpointCreatedSerializer})
    def post(self, request, *args, **kwargs):
        data = EndpointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.create_endpoint(event=self.event, actor=request.user, **data.validated_data)
        return Response(EndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointMixin(EventScopedMixin):
    def endpoint(self):
        endpoint = selectors.endpoint_of_event(self.event, self.kwargs["pk"])
        if endpoint is None:
            raise Http404
        return endpoint


class EndpointDetailView(EndpointMixin, APIView):
    permission_required = {
        "GET": "webhooks.view_webhooks",
        "PATCH": "webhooks.manage_webhooks",
        "DELETE": "webhooks.manage_webhooks",
    }

    @extend_schema(responses={200: EndpointSerializer})
    def get(self, request, event_slug, pk):
        return Response(EndpointSerializer(self.endpoint()).data)

    @extend_schema(request=EndpointUpdateSerializer, responses={200: EndpointSerializer})
    def patch(self, request, event_slug, pk):
        data = EndpointUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.update_endpoint(
            endpoint=self.endpoint(), actor=request.user, **data.validated_data
        )
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk):
        services.delete_endpoint(endpoint=self.endpoint(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointSecretView(EndpointMixin, APIView):
    """GET: the signing secret; POST: replace it with a new one."""

    permission_required = "webhooks.manage_webhooks"

    @extend_schema(responses={200: SecretSerializer})
    def get(self, request, event_slug, pk):
        return Response({"secret": self.endpoint().secret})

    @extend_schema(request=None, responses={200: SecretSerializer})
    def post(self, request, event_slug, pk):
        return Response(
            {"secret": services.rotate_secret(endpoint=self.endpoint(), actor=request.user).secret}
        )


class EndpointTestView(EndpointMixin, APIView):
    permission_required = "webhooks.manage_webhooks"

    @extend_schema(request=None, responses={202: DeliverySerializer})
    def post(self, request, event_slug, pk):
        delivery = services.send_test(endpoint=self.endpoint(), actor=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryListView(EndpointMixin, generics.ListAPIView):
    """An endpoint's delivery log, newest first (``?status=pending|succeeded|failed|dropped``)."""

    serializer_class = DeliverySerializer
    permission_required = "webhooks.view_webhooks"

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=Delivery.Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.deliveries_for_endpoint(self.endpoint(), self.request.query_params.get("status", ""))


class DeliveryActionView(EventScopedMixin, APIView):
    permission_required = "webhooks.view_webhooks"
    action = "retry"

    @extend_schema(request=None, responses={200: DeliverySerializer})
    def post(self, request, event_slug, pk):
        delivery = selectors.delivery_of_event(self.event, pk)
        if delivery is None:
            raise Http404
        act = services.retry_delivery if self.action == "retry" else services.drop_delivery
        delivery = act(delivery=delivery, actor=request.user)
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data)
