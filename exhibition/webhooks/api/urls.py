"""Webhooks API, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("webhooks/", views.EndpointListView.as_view(), name="webhook-list"),
    path("webhooks/<int:pk>/", views.EndpointDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:pk>/secret/", views.EndpointSecretView.as_view(), name="webhook-secret"),
    path("webhooks/<int:pk>/test/", views.EndpointTestView.as_view(), name="webhook-test"),
    path("webhooks/<int:pk>/deliveries/", views.DeliveryListView.as_view(), name="webhook-deliveries"),
    path(
        "webhook-deliveries/<int:pk>/retry/",
        views.DeliveryActionView.as_view(action="retry"),
        name="webhook-delivery-retry",
    ),
    path(
        "webhook-deliveries/<int:pk>/drop/",
        views.DeliveryActionView.as_view(action="drop"),
        name="webhook-delivery-drop",
    ),
]
