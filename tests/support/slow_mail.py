"""An e-mail backend that writes the message (the mail server has accepted it) and then
hangs: the fault tests kill the worker in that window, before the outbox row is marked sent."""

from __future__ import annotations

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class EmailBackend(FileBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "60")))
        return sent
