"""Where export workbooks live: built in a local partial file, kept in ``storages["exports"]``.

The worker writes a workbook to a partial file on its own disk, then saves it
into the exports storage, which every web process can read (a shared folder
or an S3 bucket: ``config/settings.py``). A partial file names its job and
the attempt that writes it, ``export-<job>-<attempt>-<hex>.xlsx.part``, so
that a file left by a killed worker can be told from one being written.

openpyxl's write-only sheets spool rows (partners' user ids and results) to
temporary files of their own until the workbook is saved. A run points them
into a spool folder beside its partial file, ``…-<hex>.spool``, named by the
same rule, so that a killed worker's spool files are purged with its partial
file instead of staying in the system's temporary folder.
"""

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages

PARTIAL_GLOBS = ("export-*.xlsx.part", "export-*.spool")
_PARTIAL_NAME = re.compile(r"^export-(\d+)-(\d+)-[0-9a-f]{32}\.(xlsx\.part|spool)$")


def exports_storage() -> Storage:
    return storages["exports"]


def partials_dir() -> Path:
    path = Path(settings.VAR_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def partial_path(job_id: int, attempt: int, token: str) -> Path:
    return partials_dir() / f"export-{job_id}-{attempt}-{token}.xlsx.part"


def spool_path(partial: Path) -> Path:
    return partial.with_name(partial.name.removesuffix(".xlsx.part") + ".spool")


@contextmanager
def spooling_into(folder: Path) -> Iterator[None]:
    """Temporary files made meanwhile (openpyxl's sheets) go into ``folder``.

    Only for a task worker's process, which runs one task at a time: the
    setting is process-wide.
    """
    folder.mkdir(parents=True, exist_ok=True)
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = previous


def partial_delete(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def partial_owner(path: Path) -> tuple[int, int] | None:
    """(job id, attempt) a partial file was written for; None for a name we did not make."""
    match = _PARTIAL_NAME.match(path.name)
    return (int(match[1]), int(match[2])) if match else None


def stored_name(job_id: int, token: str) -> str:
    return f"export-{job_id}-{token}.xlsx"
