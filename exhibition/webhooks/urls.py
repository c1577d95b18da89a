from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="endpoints"),
    path("<int:pk>/", views.EndpointView.as_view(), name="endpoint"),
    path(
        "deliveries/<int:pk>/retry/",
        views.DeliveryActionView.as_view(),
        {"action": "retry"},
        name="delivery_retry",
    ),
    path(
        "deliveries/<int:pk>/drop/",
        views.DeliveryActionView.as_view(),
        {"action": "drop"},
        name="delivery_drop",
    ),
]
