"""What the exhibitor pages share: the signed-in check."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login


class SignedIn:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
