"""``Idempotency-Key`` for the API's writes that matter most (stand holds and confirmations,
meeting requests, bookings and their answers).

The first answer is stored in the same transaction as the write, and built before the
commit: once the write is committed, sending the answer needs no further database round
trip that could fail. A client that did not get the answer (the connection dropped, the
proxy timed out) sends the same request with the same key and gets the first answer again,
marked ``Idempotent-Replayed: true``, with nothing done twice.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces
KEEP = timedelta(days=2)
# For the schema of the views that take it.
PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID): a retry with the same key gets the first "
    "answer again (`Idempotent-Replayed: true`) and does nothing twice.",
)


def idempotent(handler):
    """Decorate a DRF handler (``post``, ``put``, ...): the write and the answer are made in
    one transaction (so a committed write always has its answer ready), and with an
    ``Idempotency-Key`` a retry gets the first answer again."""

    @wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            with transaction.atomic():
                return handler(view, request, *args, **kwargs)
        if not KEY.match(key):
            return Response({HEADER: [_("Use 1 to 100 printable characters without spaces.")]}, status=400)
        previous = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if previous is not None:
            if (previous.method, previous.path) != (request.method, request.path):
                return Response({HEADER: [_("This key was already used for another request.")]}, status=422)
            return Response(
                previous.body, status=previous.status_code, headers={"Idempotent-Replayed": "true"}
            )
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if response.status_code < 500:
                    IdempotentRequest.objects.create(
                        user=request.user,
                        key=key,
                        method=request.method,
                        path=request.path[:300],
                        status_code=response.status_code,
                        body=getattr(response, "data", None),
                    )
        except IntegrityError:
            if IdempotentRequest.objects.filter(user=request.user, key=key).exists():
                return Response(
                    {
                        "detail": _("The same request is being handled: ask again in a moment."),
                        "code": "in_progress",
                    },
                    status=409,
                )
            raise
        return response

    return wrapper


def forget_old(*, older_than: timedelta = KEEP) -> int:
    """Keys are kept two days: long enough for any retry."""
    count, _detail = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return count
