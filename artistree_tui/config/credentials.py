"""Check the credential keys together and fetch the client secret.

There are three ways to authenticate: ``client_id`` + ``client_secret``, ``client_id`` +
``client_secret_command``, or a static ``token``. The keys can come from different layers
(file, profile, environment, flag); where both a secret and a secret command are set, the one
from the higher-precedence layer wins, and both in the same layer is an error, since it is not
clear which one the user meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from artistree_tui.config.secret import run_secret_command
from artistree_tui.config.settings import ConfigError


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a value came from: its precedence rank and a description for error messages."""

    rank: int
    where: str


def no_credentials_message(config_path: Path) -> str:
    """The one line that says there are no credentials and the three ways to give some."""
    return (
        "no credentials: set client_id and client_secret (or client_secret_command) in "
        f"{config_path}, or set a token (token in the file, ARTISTREE_TOKEN or --token), "
        "or try the demo API with --demo"
    )


def resolve_credentials(
    values: dict[str, object],
    origins: dict[str, Origin],
    *,
    config_path: Path,
    require: bool,
    timeout: float,
) -> None:
    """Validate the credential keys as a whole and run ``client_secret_command`` if it is used.

    Updates ``values`` in place: the secret that loses to a higher-precedence one is dropped,
    and a secret fetched by the command lands in ``client_secret``. With ``require`` false,
    nothing is checked or run.
    """
    if not require or values.get("token"):
        return  # a static token needs nothing else
    secret, command = origins.get("client_secret"), origins.get("client_secret_command")
    if secret and command:
        if secret.rank == command.rank:
            raise ConfigError(
                f"{command.where}: set client_secret or client_secret_command, not both: "
                "remove one",
                key="client_secret_command",
            )
        # The layer the user set last (by precedence) says which one they mean.
        loser = "client_secret_command" if secret.rank > command.rank else "client_secret"
        values.pop(loser)
        origins.pop(loser)
        secret, command = origins.get("client_secret"), origins.get("client_secret_command")

    client_id = origins.get("client_id")
    given = secret or command
    if given is None:
        if client_id is None:
            raise ConfigError(no_credentials_message(config_path), path=config_path)
        raise ConfigError(
            f"{client_id.where}: client_id is set but no client_secret or "
            f"client_secret_command: add one to {config_path} or set ARTISTREE_CLIENT_SECRET",
            key="client_secret",
        )
    if client_id is None:
        name = "client_secret" if secret else "client_secret_command"
        raise ConfigError(
            f"{given.where}: {name} is set but client_id is not: add client_id to "
            f"{config_path} or set ARTISTREE_CLIENT_ID",
            key="client_id",
        )
    if command is not None:
        values["client_secret"] = run_secret_command(
            str(values["client_secret_command"]), where=command.where, timeout=timeout
        )
