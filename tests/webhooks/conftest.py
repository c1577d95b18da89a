from __future__ import annotations

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    settings.WEBHOOKS_TIMEOUT = 3


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r
