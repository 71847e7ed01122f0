"""One loopback rule for the config validator, the API client and the asset fetcher."""

from __future__ import annotations

import pytest

from artistree_tui.api import asset_urls, wire
from artistree_tui.hosts import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LocalHost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("localhost.example.com", False),
        ("api.artistree.io", False),
        ("", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_api_layer_uses_the_same_rule() -> None:
    assert wire.is_loopback is is_loopback
    assert asset_urls.is_loopback is is_loopback
