"""The project directory now lives below the UI, in :mod:`artistree_tui.api.projects` (the
command line resolves ``--project`` with it too); this name is kept for the console's imports."""

from artistree_tui.api.projects import (
    ALL_ENTRY,
    PageFetcher,
    ProjectDirectory,
    ProjectEntry,
    close_matches,
    discover_project_ids,
    projects_of,
)

__all__ = [
    "ALL_ENTRY",
    "PageFetcher",
    "ProjectDirectory",
    "ProjectEntry",
    "close_matches",
    "discover_project_ids",
    "projects_of",
]
