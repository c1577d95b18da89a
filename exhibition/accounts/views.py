from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.errors import DomainError
from exhibition.core.redirects import safe_next
from exhibition.core.views import add_domain_error

from . import services
from .forms import AcceptInvitationForm, EmailAuthenticationForm, OutboxPasswordResetForm, SignUpForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class SignUpView(View):
    template_name = "accounts/signup.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("home")
        return render(request, self.template_name, {"form": SignUpForm()})

    def post(self, request):
        form = SignUpForm(request.POST)
        if form.is_valid():
            try:
                user = services.sign_up(
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    full_name=form.cleaned_data["full_name"],
                    language=request.LANGUAGE_CODE or "en",
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect(safe_next(request, "home"))
        return render(request, self.template_name, {"form": form}, status=400)


class InvitationView(View):
    template_name = "accounts/invitation.html"

    def get(self, request, token):
        try:
            invitation = services.invitation_from_token(token)
        except DomainError as exc:
            return render(request, self.template_name, {"error": exc.message}, status=410 if exc.code == "expired" else 400)
        return render(request, self.template_name, {"invitation": invitation, "form": AcceptInvitationForm()})

    def post(self, request, token):
        try:
            invitation = services.invitation_from_token(token)
        except DomainError as exc:
            return render(request, self.template_name, {"error": exc.message}, status=400)
        form = AcceptInvitationForm(request.POST) if not request.user.is_authenticated else AcceptInvitationForm()
        try:
            if request.user.is_authenticated:
                user = services.accept_invitation(invitation=invitation, user=request.user)
            elif form.is_valid():
                user = services.accept_invitation(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                return render(request, self.template_name, {"invitation": invitation, "form": form}, status=400)
        except DomainError as exc:
            add_domain_error(form, exc)
            return render(request, self.template_name, {"invitation": invitation, "form": form}, status=exc.status_code)
        messages.success(request, _("Invitation accepted. Welcome to %(event)s.") % {"event": invitation.event.name})
        return redirect("events:home", event_slug=invitation.event.slug)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
