"""The sweep of orphaned files: a file in a folder whose files retention removes, that no record
references any more, is removed after the run.

An anonymizer removes a batch's files once the batch has committed (``kinds``); a crash between
the commit and the removal leaves the file behind, referenced by nothing. The sweep finds them:

1. It walks only the folders listed in ``FOLDERS``, each with the one file field whose files
   live there, and never leaves the storage's own folder (a link or a name outside is skipped).
2. A file younger than ``MIN_AGE`` is left alone: an upload stores its file before its record
   commits, so a fresh file without a record may be one being uploaded right now. A file whose
   age the storage cannot tell is left alone too.
3. A file any record still names is kept; the rest are removed (or, on a dry run, counted).

Its receipt (``RULE``) counts the files, never their names.

The storage must be this database's own: files of another database sharing the folder (a copy,
a test run; or uploads newer than a restored backup, whose records the backup lacks) name no
record here and would be swept. Tests keep their files in a folder of their own
(tests/conftest.py); the bench runs one rule only, which does not sweep.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone

from liaison.assistance.models import CaseAttachment

RULE = "files.orphaned"
MIN_AGE = timedelta(hours=1)
CHUNK = 500


@dataclass(frozen=True)
class Folder:
    model: type
    field: str
    path: str  # the folder the field's ``upload_to`` writes under

    @property
    def storage(self):
        return self.model._meta.get_field(self.field).storage


# Every folder whose files a retention anonymizer removes (kinds.py).
FOLDERS = [Folder(CaseAttachment, "file", "assistance")]


def _local(storage, name: str) -> bool:
    """``name`` is inside the storage's own folder and not a link. A storage without local
    paths (a bucket) has neither links nor an outside: only the name is checked."""
    if name.startswith("/") or ".." in name.split("/"):
        return False
    if not hasattr(storage, "location"):
        return True
    try:
        path = storage.path(name)
    except SuspiciousFileOperation:
        return False
    root = os.path.realpath(storage.location)
    return not os.path.islink(path) and os.path.realpath(path).startswith(root + os.sep)


def _files(storage, folder: str) -> Iterator[str]:
    """The files under ``folder``, below it too, never through a link."""
    if not _local(storage, folder):
        return
    if hasattr(storage, "location") and not os.path.isdir(storage.path(folder)):
        return
    directories, files = storage.listdir(folder)
    for name in files:
        if _local(storage, posixpath.join(folder, name)):
            yield posixpath.join(folder, name)
    for directory in directories:
        yield from _files(storage, posixpath.join(folder, directory))


def _old(storage, name: str, before: datetime) -> bool:
    """Older than ``before``. A file whose age cannot be known — a storage that does not tell
    (NotImplementedError), or a file gone or unreadable since it was listed (OSError) — is
    kept: the sweep removes only what it knows to be old."""
    try:
        return storage.get_modified_time(name) < before
    except (NotImplementedError, OSError):
        return False


def orphans(folder: Folder, *, now: datetime | None = None) -> Iterator[str]:
    """The names of the folder's files older than ``MIN_AGE`` that no record references."""
    storage = folder.storage
    before = (now or timezone.now()) - MIN_AGE
    chunk: list[str] = []
    for name in _files(storage, folder.path):
        if _old(storage, name, before):
            chunk.append(name)
        if len(chunk) >= CHUNK:
            yield from _unreferenced(folder, chunk)
            chunk = []
    yield from _unreferenced(folder, chunk)


def _unreferenced(folder: Folder, names: list[str]) -> list[str]:
    if not names:
        return []
    named = folder.model.objects.filter(**{f"{folder.field}__in": names})
    referenced = set(named.values_list(folder.field, flat=True))
    return [name for name in names if name not in referenced]


def sweep(*, dry_run: bool = False, now: datetime | None = None) -> int:
    """Remove (or count, on a dry run) the orphaned files of every folder; their number."""
    found = 0
    for folder in FOLDERS:
        for name in list(orphans(folder, now=now)):
            if not dry_run:
                folder.storage.delete(name)
            found += 1
    return found
