"""Turn :class:`Settings` into a ready API client: the one place that chooses how to log in.

A static ``token`` wins (it is used as it is); otherwise the OAuth2 client-credentials flow
with the secret from ``client_secret`` or, when ``load_settings`` did not fetch it already,
from ``client_secret_command``. Building a client does no network I/O.
"""

from __future__ import annotations

from artistree_tui.api.auth import ClientCredentials, StaticToken, TokenCache, TokenSource
from artistree_tui.api.client import ArtistreeClient, Timeouts
from artistree_tui.api.retry import EventCallback, RetryPolicy
from artistree_tui.config import ConfigError, Settings, default_config_path
from artistree_tui.config.credentials import no_credentials_message
from artistree_tui.config.secret import run_secret_command


def token_source(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    on_event: EventCallback | None = None,
    token_cache: TokenCache | None = None,
) -> TokenSource:
    """The token source ``settings`` ask for; :class:`ConfigError` when there is none.

    ``token_cache`` keeps an OAuth access token between runs (never used for a static token);
    :func:`artistree_tui.store.tokens.token_cache_for` gives the one next to the index.
    """
    if settings.token:
        return StaticToken(settings.token)
    secret = settings.client_secret
    if settings.client_id and not secret and settings.client_secret_command:
        secret = run_secret_command(settings.client_secret_command)
    if not settings.client_id or not secret:
        raise ConfigError(no_credentials_message(settings.config_path or default_config_path()))
    return ClientCredentials(
        settings.token_url,
        settings.client_id,
        secret,
        retry=retry,
        on_event=on_event,
        cache=token_cache,
    )


def build_client(
    settings: Settings,
    *,
    timeouts: Timeouts | None = None,
    retry: RetryPolicy | None = None,
    on_event: EventCallback | None = None,
    token_cache: TokenCache | None = None,
) -> ArtistreeClient:
    """An :class:`ArtistreeClient` for ``settings`` (close it with ``aclose``).

    ``retry`` and ``on_event`` are shared with the token source, so a rate-limited or
    unreachable token server shows up in the console's status like the API itself.
    """
    auth = token_source(settings, retry=retry, on_event=on_event, token_cache=token_cache)
    return ArtistreeClient(
        settings.base_url,
        auth,
        lang=settings.lang,
        page_size=settings.page_size,
        timeouts=timeouts,
        retry=retry,
        on_event=on_event,
    )
