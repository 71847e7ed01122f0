"""The commented starter config: the text of ``config.example.toml`` and ``config init``.

This string is the one source: ``config.example.toml`` at the top of the repository is a
copy of it (a test keeps the two identical; ``artistree-tui config example >
config.example.toml`` regenerates it), and ``artistree-tui config init`` writes it, created
with mode 0600 from the start so a secret pasted in later is never readable by others.

Convention: ``# text`` lines explain, ``#key = value`` lines are settings at their default
(remove the ``#`` to use one). A test uncomments every setting and validates the result, and
checks that every key of :class:`Settings` is documented here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from artistree_tui.config.settings import ConfigError
from artistree_tui.safe_paths import UnsafePath, make_private_dir

EXAMPLE_TOML = """\
# artistree-tui configuration.
#
# Lines like "#key = value" show a setting at its default: remove the "#" to change it.
# `artistree-tui config path` prints where this file is read from; `--config PATH` or the
# ARTISTREE_TUI_CONFIG environment variable point elsewhere.
#
# Precedence, highest first: command-line flag > environment variable > the selected
# [profiles.NAME] section > the top of this file > the built-in default.
#
# Keep this file private (chmod 600): if it holds client_secret or token and others can read
# it, artistree-tui refuses to start, as ssh does with a private key.

# ---- The API -------------------------------------------------------------------------------

# The Artistree Human API (https://, or http:// for localhost only).
# Environment: ARTISTREE_BASE_URL. Flag: --base-url.
#base_url = "https://api.human.prod.artistree.io"

# The OAuth2 token endpoint that turns client credentials into an access token.
# Environment: ARTISTREE_TOKEN_URL. Flag: --token-url.
#token_url = "https://human-artistree-prod.auth.us-east-1.amazoncognito.com/oauth2/token"

# ---- Credentials: one of three ways (or none at all with `artistree-tui --demo`) -----------
#   1. client_id + client_secret: an organization admin creates the pair in the Artistree
#      web app (each organization has its own).
#   2. client_id + client_secret_command: the same, with the secret kept in a password manager.
#   3. token: a bearer token you already have; it is used as it is and never refreshed.
# Flags like --client-secret are visible to other users of the machine (ps): prefer this file
# or the environment.

# Your organization's OAuth client id. Environment: ARTISTREE_CLIENT_ID. Flag: --client-id.
#client_id = "your-client-id"

# The client secret. Environment: ARTISTREE_CLIENT_SECRET. Flag: --client-secret.
#client_secret = "your-client-secret"

# A command that prints the client secret (the first line of its output is used), instead of
# client_secret. Split like a shell would but run without one, with no input and a 10 s
# timeout; use an array (["cmd", "arg"]) to avoid quoting, or ["sh", "-c", "..."] for pipes.
#client_secret_command = "pass show artistree/client-secret"

# A static bearer token, used instead of the client credentials.
# Environment: ARTISTREE_TOKEN. Flag: --token.
#token = "your-access-token"

# ---- The console ---------------------------------------------------------------------------

# Language preference sent to the API with each request (e.g. "en", "fr-FR"); unset: the
# API's default.
#lang = "en"

# Orders per page when listing (1 to 1000).
#page_size = 200

# The project (name or id) to open first; unset: All Projects. Flag: --project.
#default_project = "Personal Certificates"

# Seconds between automatic refreshes of the visible orders and counts; 0 turns it off.
#refresh_seconds = 30

# The Textual theme (the command palette's "Change theme" lists them).
#theme = "textual-dark"

# The asset preview: "auto" (best the terminal can do), "halfblock" (works everywhere), "off".
#preview = "auto"

# Once the cursor rests on an order, fetch the next one's full order and picture (then the
# previous one's) in the background, so that j or k shows it at once; moving cancels it.
#prefetch = true

# Ring the terminal bell when an order needs action.
#bell = false

# Where certificate PDFs are saved (default: your Downloads folder). A relative path is
# relative to this file's folder; "~" is your home.
#downloads_dir = "~/Downloads"

# Permissions of a saved certificate PDF, whatever your umask: 0o600 (only you), or 0o640,
# 0o604, 0o644 to let your group or others read it. Nobody else may ever write it.
#certificate_file_mode = 0o600

# Where downloaded preview images are cached between runs (default: the platform cache dir).
#cache_dir = "~/.cache/artistree-tui"

# Size bound of that cache in MiB; 0 keeps nothing on disk.
#image_cache_mb = 200

# The local order index (every order seen, so filters, search and sort cover the whole
# organization): "disk" keeps it in cache_dir/index (`artistree-tui cache path` prints the
# file), "memory" writes nothing to disk and starts empty every time.
#store = "disk"

# At most this many list requests per second for the background sync of the index (1,000
# orders each; 0.1 to 100).
#sync_rate = 4

# Minutes between full re-syncs of the open project, which catch state changes in older
# orders and orders removed from the API; 0 turns them off (the newest orders are still
# refreshed every refresh_seconds).
#resync_minutes = 15

# Memory the console may use for its caches, in MiB (16 to 16384): decoded preview images get
# half, rendered previews and full orders a quarter each.
# The least recently used go first; a larger bound only saves downloads and redraws.
#memory_cache_mb = 48

# ---- Tables (keep them after the plain keys above) -----------------------------------------

# Rebind keys: binding id = comma-separated keys. Press ? in the console to see the ids.
#[keymap]
#"console.refresh" = "r,f5"
#"app.quit" = "ctrl+q"

# Pinned project ids: project name = project id. The list endpoint filters by id while the
# API lists names; pinning skips looking the id up.
#[projects]
#"Spring Campaign" = "00000000-0000-0000-0000-000000000000"

# Named profiles, selected with --profile NAME: any key above, overriding the top of the file
# ([keymap] and [projects] entries are merged). Environment and flags still win.
#[profiles.staging]
#base_url = "https://api.staging.example.com"
#client_id = "staging-client-id"
#client_secret_command = ["pass", "show", "artistree/staging"]
"""


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write :data:`EXAMPLE_TOML` to ``path`` with mode 0600; refuse to overwrite unless ``force``.

    The file is created 0600 (never readable by others, not even for a moment) and its folder
    0700 when it has to be made. With ``force`` the new text goes to a temporary file that
    replaces the old one, so a failure leaves the old file whole.
    """
    target = path.with_name(f".{path.name}.{os.getpid()}.tmp") if force else path
    try:
        make_private_dir(path.parent)  # 0700 whatever the umask, and not writable by others
        # O_EXCL: never follow a planted symlink, never truncate a file we did not create.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(
            f"{path} already exists: edit it, or overwrite it with "
            "`artistree-tui config init --force`",
            path=path,
        ) from None
    except UnsafePath as exc:
        raise ConfigError(str(exc), path=path) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot create it ({exc.strerror})", path=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)  # a strict umask could have taken our write bit
            handle.write(EXAMPLE_TOML)
        if force:
            os.replace(target, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink()
        raise ConfigError(f"{path}: cannot write it ({exc.strerror})", path=path) from None
