"""Organiser pages of webhooks: endpoints, their delivery log, retry and drop."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from . import selectors, services
from .forms import EndpointEditForm, EndpointForm
from .models import Delivery


class _WebhookPage(DomainActionMixin, DomainFormMixin, PermissionMixin):
    """A NotAllowed from a service is the 403 page; other errors are shown."""

    deny_not_allowed = True


class EndpointListView(DomainFormMixin, PermissionMixin, View):
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

        def create(form):
            endpoint = services.create_endpoint(event=request.event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Endpoint added. Copy its signing secret into your receiver."))
            return redirect("webhooks:endpoint", event_slug=event_slug, pk=endpoint.pk)

        return self.submit(
            EndpointForm(request.POST),
            create,
            lambda form, status: self.get(request, event_slug, form=form, status=status),
        )


class EndpointView(_WebhookPage, View):
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
        back = redirect("webhooks:endpoint", event_slug=event_slug, pk=endpoint.pk)
        if action not in ("rotate", "test", "delete"):

            def save(form):
                services.update_endpoint(endpoint=endpoint, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Endpoint saved."))
                return back

            return self.submit(
                EndpointEditForm(request.POST),
                save,
                lambda form, status: self.get(request, event_slug, pk, form=form, status=status),
            )

        def change():
            if action == "rotate":
                services.rotate_secret(endpoint=endpoint, actor=request.user)
                messages.success(request, _("New signing secret made. The old one no longer signs messages."))
            elif action == "test":
                services.send_test(endpoint=endpoint, actor=request.user)
                messages.success(request, _("Test message queued."))
            else:
                services.delete_endpoint(endpoint=endpoint, actor=request.user)
                messages.success(request, _("Endpoint deleted."))
                return redirect("webhooks:endpoints", event_slug=event_slug)
            return None

        return self.act(change, back=back)


class DeliveryActionView(_WebhookPage, View):
    permission_required = "webhooks.view_webhooks"

    def post(self, request, event_slug, pk, action):
        delivery = selectors.delivery_of_event(request.event, pk)
        if delivery is None:
            raise Http404

        def change():
            if action == "retry":
                services.retry_delivery(delivery=delivery, actor=request.user)
                messages.success(request, _("Message queued to be sent again."))
            else:
                services.drop_delivery(delivery=delivery, actor=request.user)
                messages.success(request, _("Message dropped: it will not be sent again."))

        return self.act(
            change, back=redirect("webhooks:endpoint", event_slug=event_slug, pk=delivery.endpoint_id)
        )
