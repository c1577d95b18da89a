from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from exhibition.core import ratelimit
from exhibition.core.redirects import safe_next
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin, add_domain_error

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ConfirmEmailForm,
    EmailAuthenticationForm,
    OutboxPasswordResetForm,
    ProfileForm,
    ResendConfirmationForm,
    SignUpForm,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _limited(request, template: str, context: dict, exc: ratelimit.RateLimited):
    """The form again, saying when to try again, as a 429 with Retry-After."""
    response = render(request, template, {**context, "rate_limited": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _next_path(request) -> str:
    """The request's ``next`` if it is a path of this site, else "" (it may travel in an e-mail)."""
    return services.local_path(request.POST.get("next") or request.GET.get("next"))


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's view names the site after the request's host ("127.0.0.1:8000"): keep the
        # platform's name (SITE_NAME) that every other page without a show uses.
        return {**super().get_context_data(**kwargs), "site_name": settings.SITE_NAME}


class LogoutView(auth_views.LogoutView):
    pass


class SignUpView(DomainFormMixin, View):
    """Same answer whether or not the address has an account: "check your inbox"."""

    template_name = "accounts/signup.html"

    def get(self, request):
        if request.user.is_authenticated:
            return redirect(safe_next(request, "home"))
        return self.render_form(SignUpForm())

    def post(self, request):
        return self.submit(SignUpForm(request.POST))

    def render_form(self, form, status=200):
        context = {"form": form, "next": _next_path(self.request)}
        return render(self.request, self.template_name, context, status=status)

    def perform(self, form):
        request = self.request
        try:
            ratelimit.limit(request, "signup", account=form.cleaned_data["email"])
        except ratelimit.RateLimited as exc:
            return _limited(request, self.template_name, {"form": form}, exc)
        after = _next_path(request)
        services.sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            language=request.LANGUAGE_CODE or "en",
            next_url=after,
        )
        request.session["signup_email"] = form.cleaned_data["email"].strip().lower()
        request.session["after_confirm"] = after or resolve_url("home")
        return redirect("accounts:signup_done")


class SignUpDoneView(View):
    def get(self, request):
        return render(
            request,
            "accounts/signup_done.html",
            {
                "email": request.session.get("signup_email", ""),
                "next": services.local_path(request.session.get("after_confirm")),
            },
        )


class VerifyEmailView(DomainActionMixin, DomainFormMixin, View):
    """The link from the confirmation e-mail; the password completes the proof."""

    template_name = "accounts/verify_email.html"

    def get(self, request, token):
        def page():
            user = services.user_for_confirmation(token)
            if user.email_verified:
                messages.info(request, _("Your e-mail address is already confirmed."))
                if request.user.is_authenticated:
                    return redirect(safe_next(request, "home"))
                return redirect_to_login(safe_next(request, "home"))
            return render(
                request, self.template_name, {"account": user, "error": None, "form": ConfirmEmailForm()}
            )

        return self.act(
            page,
            failed=lambda exc: render(
                request,
                self.template_name,
                {"account": None, "error": exc.message, "form": ConfirmEmailForm()},
                status=400,
            ),
        )

    def post(self, request, token):
        return self.act(
            lambda: self._confirm(request, services.user_for_confirmation(token)),
            failed=lambda exc: render(request, self.template_name, {"error": exc.message}, status=400),
        )

    def _confirm(self, request, user):
        def confirm(form):
            try:
                ratelimit.limit(request, "verify_email", account=user.email)
            except ratelimit.RateLimited as exc:
                return _limited(request, self.template_name, {"account": user, "form": form}, exc)
            services.confirm_email(user=user, password=form.cleaned_data["password"])
            # The link carries the page the person signed up from; the session knows it too
            # when the link is opened in the same browser.
            after = safe_next(request, request.session.pop("after_confirm", None) or "home")
            login(request, user, backend=BACKEND)
            messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
            return redirect(after)

        return self.submit(
            ConfirmEmailForm(request.POST),
            confirm,
            lambda form, status: render(
                request, self.template_name, {"account": user, "form": form}, status=status
            ),
        )


class ResendVerificationView(View):
    template_name = "accounts/resend_verification.html"

    def get(self, request):
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        return render(request, self.template_name, {"form": ResendConfirmationForm(initial=initial)})

    def post(self, request):
        form = ResendConfirmationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        email = form.cleaned_data["email"].strip().lower()
        try:
            ratelimit.limit(request, "verify_email", account=email)
        except ratelimit.RateLimited as exc:
            return _limited(request, self.template_name, {"form": form}, exc)
        services.resend_confirmation(email=email)
        request.session["signup_email"] = email
        return redirect("accounts:signup_done")


class InvitationView(DomainActionMixin, View):
    template_name = "accounts/invitation.html"

    def get(self, request, token):
        return self.act(
            lambda: render(
                request,
                self.template_name,
                {"invitation": services.invitation_from_token(token), "form": AcceptInvitationForm()},
            ),
            failed=lambda exc: render(
                request,
                self.template_name,
                {"error": exc.message},
                status=410 if exc.code == "expired" else 400,
            ),
        )

    def post(self, request, token):
        return self.act(
            lambda: self._accept(request, services.invitation_from_token(token)),
            failed=lambda exc: render(request, self.template_name, {"error": exc.message}, status=400),
        )

    def _accept(self, request, invitation):
        """A signed-in person accepts with one button; anyone else fills in the form. The button has
        no form to validate, so a refusal lands on the (unbound) form through ``failed``."""
        form = (
            AcceptInvitationForm(request.POST, email=invitation.email)
            if not request.user.is_authenticated
            else AcceptInvitationForm()
        )
        context = {"invitation": invitation, "form": form}

        def accept():
            ratelimit.limit(request, "invitation", account=invitation.email)
            if request.user.is_authenticated:
                services.accept_invitation(invitation=invitation, user=request.user)
            elif form.is_valid():
                user = services.accept_invitation(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                )
                login(request, user, backend=BACKEND)
            else:
                return render(request, self.template_name, context, status=400)
            messages.success(
                request, _("Invitation accepted. Welcome to %(event)s.") % {"event": invitation.event.name}
            )
            return redirect("events:home", event_slug=invitation.event.slug)

        def failed(exc):
            if isinstance(exc, ratelimit.RateLimited):
                return _limited(request, self.template_name, context, exc)
            add_domain_error(form, exc)
            return render(request, self.template_name, context, status=exc.status_code)

        return self.act(accept, failed=failed)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            ratelimit.limit(self.request, "password_reset", account=form.cleaned_data["email"])
        except ratelimit.RateLimited as exc:
            return _limited(self.request, self.template_name, self.get_context_data(form=form), exc)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The link came to the address: it is proved; every API token of the old password dies.
        services.password_changed(user=form.user, via_email=True)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- API tokens ----------------------------------------------------------------------------------


class ApiTokensView(DomainFormMixin, PermissionMixin, View):
    """The person's API tokens: named, listed, revocable; a new one is shown once."""

    permission_required = "accounts.manage_own_tokens"
    template_name = "accounts/tokens.html"

    def get_permission_object(self):
        return self.request.user

    def _render(self, request, form=None, new_token=None, status=200):
        tokens = selectors.tokens_of(request.user)
        return render(
            request,
            self.template_name,
            {"tokens": tokens, "form": form or ApiTokenForm(), "new_token": new_token},
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        if request.POST.get("revoke"):
            token = selectors.token_of(request.user, request.POST["revoke"])
            services.revoke_api_token(token=token, actor=request.user)
            messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
            return redirect("accounts:tokens")

        def create(form):
            token, secret = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            return self._render(request, new_token={"token": token, "secret": secret})

        return self.submit(
            ApiTokenForm(request.POST),
            create,
            lambda form, status: self._render(request, form=form, status=status),
        )


# --- the person's own account ----------------------------------------------------------------


class AccountView(DomainFormMixin, PermissionMixin, View):
    """My account: name and preferred language (the language of the e-mails), and the way to
    the password, one's data and, for those who use the API, the tokens."""

    permission_required = "accounts.signed_in"
    template_name = "accounts/account.html"
    success_message = _lazy("Your account is saved.")

    def get_permission_object(self):
        return self.request.user

    def get(self, request):
        user = request.user
        return self.render_form(ProfileForm(initial={"full_name": user.full_name, "language": user.language}))

    def post(self, request):
        return self.submit(ProfileForm(request.POST))

    def render_form(self, form, status=200):
        user = self.request.user
        return render(
            self.request,
            self.template_name,
            {"form": form, "show_tokens": user.has_perm("accounts.use_api_tokens", user)},
            status=status,
        )

    def perform(self, form):
        user = services.update_profile(
            user=self.request.user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
        )
        # The preferred language is the interface's too, from now on.
        response = self.success()
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response


class PasswordChangeView(PermissionMixin, auth_views.PasswordChangeView):
    """The current password, then the new one; every API token of the old password dies."""

    permission_required = "accounts.signed_in"
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def get_permission_object(self):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response
