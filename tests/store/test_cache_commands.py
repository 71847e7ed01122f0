"""``artistree-tui cache path`` prints the index's database for the current config and
profile; ``cache clear`` removes it, its -wal/-shm files, copies moved aside and the cached
token, and says so in one line."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from artistree_tui.cli import main
from artistree_tui.config import load_settings
from artistree_tui.store import Index
from artistree_tui.store.paths import index_files
from artistree_tui.store.tokens import token_cache_for

pytestmark = pytest.mark.usefixtures("isolated")


def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(
            """\
            client_id = "main-client"
            [profiles.staging]
            base_url = "https://api.staging.example.com"
            client_id = "staging-client"
            """
        )
    )
    path.chmod(0o600)
    return path


def test_cache_path_follows_config_and_profile(
    tmp_path: Path, isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path)
    assert main(["--config", str(path), "cache", "path"]) == 0
    main_db, note = capsys.readouterr()
    assert main(["--config", str(path), "--profile", "staging", "cache", "path"]) == 0
    staging_db, _ = capsys.readouterr()
    expected = index_files(load_settings(config_path=path, require_credentials=False))
    assert main_db.strip() == str(expected.database)
    assert Path(main_db.strip()).parent == isolated / ".cache" / "artistree-tui" / "index"
    assert staging_db.strip() != main_db.strip()
    assert note.strip() == "does not exist yet: the console creates it"
    assert not Path(main_db.strip()).parent.exists()  # printing a path creates nothing
    # The flags are taken after the command too (as `config show` takes them).
    assert main(["cache", "path", "--config", str(path), "--profile", "staging"]) == 0
    assert capsys.readouterr().out == staging_db


def test_cache_path_with_store_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = config(tmp_path)
    path.write_text(path.read_text().replace("[profiles", 'store = "memory"\n[profiles', 1))
    assert main(["--config", str(path), "cache", "path"]) == 0
    _, note = capsys.readouterr()
    assert note.strip() == 'store = "memory": the index is kept in memory only'


def test_cache_clear_removes_the_index_its_files_and_the_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path)
    settings = load_settings(config_path=path, require_credentials=False)
    files = index_files(settings)
    index = Index(files.database)
    index.writer().write_previews([])
    reader = index.reader()  # an open connection keeps the -wal/-shm files in place
    reader.run(lambda conn: conn.execute("SELECT 1").fetchall())
    cache = token_cache_for(settings)
    assert cache is not None
    cache.save("access-token", 9_999_999_999.0)
    aside = files.database.with_name(files.database.name + ".aside-corrupt-20260101T000000")
    aside.write_bytes(b"old")
    assert {p.name for p in files.folder.iterdir()} >= {
        files.database.name,
        files.database.name + "-wal",
        files.database.name + "-shm",
    }
    assert main(["--config", str(path), "cache", "path"]) == 0
    assert capsys.readouterr().err.startswith("exists (")
    assert main(["--config", str(path), "cache", "clear"]) == 0
    out = capsys.readouterr().out
    assert out == (
        f"removed {files.database} (and its -wal/-shm files), 1 damaged or old copy and the "
        "cached access token\n"
    )
    assert os.listdir(files.folder) == []
    reader.close()
    index.close()
    assert main(["--config", str(path), "cache", "clear"]) == 0
    assert capsys.readouterr().out == f"nothing to remove: {files.database} does not exist\n"


def test_cache_commands_do_not_run_the_secret_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "config.toml"
    path.write_text(f'client_id = "c"\nclient_secret_command = ["touch", "{marker}"]\n')
    path.chmod(0o600)
    assert main(["--config", str(path), "cache", "path"]) == 0
    assert main(["--config", str(path), "cache", "clear"]) == 0
    assert not marker.exists()


def test_the_demo_keeps_its_index_in_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each --demo run serves a new demo organization: an index from an earlier run would list
    # orders this one does not have. Whatever the config says, its index is not on disk.
    path = config(tmp_path)
    path.write_text(path.read_text().replace("[profiles", 'store = "disk"\n[profiles', 1))
    settings = load_settings(config_path=path, demo=True, require_credentials=False)
    assert settings.store == "memory"
    index = Index.for_settings(settings)
    try:
        assert index.path is None
    finally:
        index.close()
    assert main(["--config", str(path), "--demo", "cache", "path"]) == 0
    _, note = capsys.readouterr()
    assert note.strip() == "--demo keeps its index in memory: each run is a new demo organization"
