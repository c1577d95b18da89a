"""Organiser pages of webhooks: endpoints, their delivery log, retry and drop."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.errors import DomainError, NotAllowed
from exhibition.core.views import PermissionMixin, add_domain_error

from . import selectors, services
from .forms import EndpointEditForm, EndpointForm
from .models import Delivery


class EndpointListView(PermissionMixin, View):
    permission_required = "webhooks.view_webhooks"
    template_name = "webhooks/endpoints.html"

    def get(self, request, event_slug, form=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "endpoints": selectors.endpoints_for_event(request.event),
                "form": form or EndpointForm(),
                "can_manage": request.user.has_perm("webhooks.manage_webhooks", request.event),
            },
            status=status,
        )

    def post(self, request, event_slug):
        if not request.user.has_perm("webhooks.manage_webhooks", request.event):
            raise PermissionDenied
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint = services.create_endpoint(
                    event=request.event, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Endpoint added. Copy its signing secret into your receiver."))
                return redirect("webhooks:endpoint", event_slug=event_slug, pk=endpoint.pk)
        return self.get(request, event_slug, form=form, status=400)


class EndpointView(PermissionMixin, View):
    permission_required = "webhooks.view_webhooks"
    template_name = "webhooks/endpoint.html"
    per_page = 25

    def _endpoint(self, request, pk):
        endpoint = selectors.endpoint_of_event(request.event, pk)
        if endpoint is None:
            raise Http404
        return endpoint

    def get(self, request, event_slug, pk, form=None, status=200):
        endpoint = self._endpoint(request, pk)
        state = request.GET.get("status", "")
        page = Paginator(selectors.deliveries_for_endpoint(endpoint, state), self.per_page).get_page(
            request.GET.get("page")
        )
        form = form or EndpointEditForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": endpoint.event_types,
                "is_active": endpoint.is_active,
            }
        )
        return render(
            request,
            self.template_name,
            {
                "endpoint": endpoint,
                "form": form,
                "page": page,
                "state": state,
                "statuses": Delivery.Status.choices,
                "can_manage": request.user.has_perm("webhooks.manage_webhooks", endpoint),
            },
            status=status,
        )

    def post(self, request, event_slug, pk):
        endpoint = self._endpoint(request, pk)
        action = request.POST.get("action", "save")
        try:
            if action == "rotate":
                services.rotate_secret(endpoint=endpoint, actor=request.user)
                messages.success(request, _("New signing secret made. The old one no longer signs messages."))
            elif action == "test":
                services.send_test(endpoint=endpoint, actor=request.user)
                messages.success(request, _("Test message queued."))
            elif action == "delete":
                services.delete_endpoint(endpoint=endpoint, actor=request.user)
                messages.success(request, _("Endpoint deleted."))
                return redirect("webhooks:endpoints", event_slug=event_slug)
            else:
                form = EndpointEditForm(request.POST)
                if not form.is_valid():
                    return self.get(request, event_slug, pk, form=form, status=400)
                try:
                    services.update_endpoint(endpoint=endpoint, actor=request.user, **form.cleaned_data)
                except DomainError as exc:
                    if isinstance(exc, NotAllowed):
                        raise
                    add_domain_error(form, exc)
                    return self.get(request, event_slug, pk, form=form, status=400)
                messages.success(request, _("Endpoint saved."))
        except NotAllowed:
            raise PermissionDenied from None
        return redirect("webhooks:endpoint", event_slug=event_slug, pk=endpoint.pk)


class DeliveryActionView(PermissionMixin, View):
    permission_required = "webhooks.view_webhooks"

    def post(self, request, event_slug, pk, action):
        delivery = selectors.delivery_of_event(request.event, pk)
        if delivery is None:
            raise Http404
        try:
            if action == "retry":
                services.retry_delivery(delivery=delivery, actor=request.user)
                messages.success(request, _("Message queued to be sent again."))
            else:
                services.drop_delivery(delivery=delivery, actor=request.user)
                messages.success(request, _("Message dropped: it will not be sent again."))
        except NotAllowed:
            raise PermissionDenied from None
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("webhooks:endpoint", event_slug=event_slug, pk=delivery.endpoint_id)
