"""Where export workbooks live: built in a local partial file, kept in ``storages["exports"]``.

The worker writes a workbook to a partial file on its own disk, then saves it
into the exports storage, which every web process can read (a shared folder
or an S3 bucket: ``config/settings.py``). A partial file names its job and
the attempt that writes it, ``export-<job>-<attempt>-<hex>.xlsx.part``, so
that a file left by a killed worker can be told from one being written.
"""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages

PARTIAL_GLOB = "export-*.xlsx.part"
_PARTIAL_NAME = re.compile(r"^export-(\d+)-(\d+)-[0-9a-f]{32}\.xlsx\.part$")


def exports_storage() -> Storage:
    return storages["exports"]


def partials_dir() -> Path:
    path = Path(settings.VAR_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def partial_path(job_id: int, attempt: int, token: str) -> Path:
    return partials_dir() / f"export-{job_id}-{attempt}-{token}.xlsx.part"


def partial_owner(path: Path) -> tuple[int, int] | None:
    """(job id, attempt) a partial file was written for; None for a name we did not make."""
    match = _PARTIAL_NAME.match(path.name)
    return (int(match[1]), int(match[2])) if match else None


def stored_name(job_id: int, token: str) -> str:
    return f"export-{job_id}-{token}.xlsx"
