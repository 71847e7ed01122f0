"""Unit tests of the token sources that need no server: lifetimes, margins, validation, reprs."""

from __future__ import annotations

import math

import pytest

from artistree_tui.api.auth import (
    DEFAULT_EXPIRES_IN,
    MAX_LIFETIME,
    MIN_LIFETIME,
    MISBEHAVING_LIFETIME,
    ClientCredentials,
    StaticToken,
    TokenSource,
    refresh_margin,
    token_lifetime,
)
from artistree_tui.api.errors import ApiAuthError, ApiConfigError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (3600, 3600.0),
        (30, 30.0),
        ("3600", 3600.0),  # numeric text
        (1.5, 1.5),
        (None, DEFAULT_EXPIRES_IN),  # missing
        ("soon", DEFAULT_EXPIRES_IN),  # non-numeric
        ([], DEFAULT_EXPIRES_IN),
        ({}, DEFAULT_EXPIRES_IN),
        (True, DEFAULT_EXPIRES_IN),  # a bool is not a number of seconds
        (float("nan"), DEFAULT_EXPIRES_IN),
        ("NaN", DEFAULT_EXPIRES_IN),
        (0, MISBEHAVING_LIFETIME),  # dead on arrival: a short fixed lifetime, not 1 s
        (-100, MISBEHAVING_LIFETIME),
        (float("-inf"), MISBEHAVING_LIFETIME),
        (-(10**400), MISBEHAVING_LIFETIME),
        (0.2, MIN_LIFETIME),
        (10**12, MAX_LIFETIME),
        (10**400, MAX_LIFETIME),  # larger than any float
        (float("inf"), MAX_LIFETIME),
        ("Infinity", MAX_LIFETIME),
    ],
)
def test_token_lifetime_clamps_odd_expires_in(raw: object, expected: float) -> None:
    assert token_lifetime(raw) == expected


@pytest.mark.parametrize(
    ("lifetime", "margin"),
    [(3600.0, 60.0), (300.0, 60.0), (120.0, 60.0), (60.0, 30.0), (30.0, 15.0), (1.0, 0.5)],
)
def test_refresh_margin_is_60s_or_half_a_short_lifetime(lifetime: float, margin: float) -> None:
    assert refresh_margin(lifetime) == margin


def test_every_clamped_lifetime_leaves_time_to_use_the_token() -> None:
    for raw in (None, 0, -1, 1, 2, 59, 61, 3600, 10**9, float("nan"), "x"):
        lifetime = token_lifetime(raw)
        assert math.isfinite(lifetime)
        assert MIN_LIFETIME <= lifetime <= MAX_LIFETIME
        assert 0 < lifetime - refresh_margin(lifetime) < lifetime


async def test_static_token_is_returned_and_cannot_be_refreshed() -> None:
    source = StaticToken("  abc.def-123  \n")
    assert isinstance(source, TokenSource)
    assert await source.get_token() == "abc.def-123"
    with pytest.raises(ApiAuthError) as caught:
        await source.get_token(force_refresh=True)
    message = str(caught.value)
    assert "get a new token" in message and "client_id/client_secret" in message
    assert "abc.def-123" not in message
    source.invalidate()
    assert await source.get_token() == "abc.def-123"


@pytest.mark.parametrize("bad", ["", "   ", "has space", "tab\there", "nl\nx", "é-token"])
def test_static_token_rejects_unsendable_values_without_echoing_them(bad: str) -> None:
    with pytest.raises(ApiConfigError) as caught:
        StaticToken(bad)
    if bad.strip():
        assert bad.strip() not in str(caught.value)


def test_reprs_hide_tokens_and_secrets() -> None:
    assert "sekrit" not in repr(StaticToken("sekrit"))
    creds = ClientCredentials("https://auth.example/oauth2/token", "my-id", "very-secret-value")
    assert isinstance(creds, TokenSource)
    assert "very-secret-value" not in repr(creds)
    assert "my-id" in repr(creds)
    assert "very-secret-value" not in str(creds)


@pytest.mark.parametrize(
    ("url", "cid", "secret"),
    [
        ("ftp://auth.example/token", "id", "secret"),
        ("not a url", "id", "secret"),
        ("https://user:pw@auth.example/token", "id", "secret"),
        ("https://auth.example/token", "", "secret"),
        ("https://auth.example/token", "id", ""),
    ],
)
def test_client_credentials_config_errors(url: str, cid: str, secret: str) -> None:
    with pytest.raises(ApiConfigError) as caught:
        ClientCredentials(url, cid, secret)
    assert "pw" not in str(caught.value)
