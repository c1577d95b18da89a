"""API token authentication: django-rest-knox's hashed tokens, with three rules of ours.

* A token made before the password last changed is refused (whatever changed it: a reset,
  the admin, the shell): each token keeps the session hash of the password it was made
  under, as Django does for sessions.
* An inactive account's tokens are refused.
* Authenticating never writes (expired tokens are refused here and deleted by a periodic
  task), so a GET stays a read.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions


class ApiTokenAuthentication(TokenAuthentication):
    def _cleanup_token(self, auth_token) -> bool:
        """True when the token has expired (skipped, not deleted here)."""
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()

    def validate_user(self, auth_token):
        user = auth_token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not constant_time_compare(auth_token.password_hash, user.get_session_auth_hash()):
            raise exceptions.AuthenticationFailed(_("This token was revoked when the password changed."))
        return (user, auth_token)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: ``Authorization: Token <token>``."""

    target_class = "exhibition.accounts.auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`: make one with POST /api/v1/auth/token/ or on the API tokens page.",
        }
