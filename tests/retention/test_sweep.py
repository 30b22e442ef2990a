"""Files a crash left behind between a batch's commit and their removal are swept after the run:
only in retention's own folders, only files no record names, only files older than an hour."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from liaison.assistance import services as assistance
from liaison.assistance.models import AssistanceCase, CaseAttachment
from liaison.core.roles import Role
from liaison.retention import runs, sweep
from liaison.retention.models import Receipt
from tests.conftest import make_user
from tests.retention.conftest import on_day, open_stranded_case

# Committed for real, so the removal after the commit runs (or, here, fails) as in production.
pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _case_with_a_file(officer, name: str):
    case = open_stranded_case(officer)
    attachment = assistance.add_attachment(
        case=case, upload=SimpleUploadedFile(name, PDF), by=officer
    )
    return case, Path(attachment.file.path)


def _aged(path: Path, age: timedelta) -> Path:
    moment = (timezone.now() - age).timestamp()
    os.utime(path, (moment, moment))
    return path


def _written(path: Path, age: timedelta) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF)
    return _aged(path, age)


def test_a_file_left_by_a_crash_after_the_commit_is_swept_and_nothing_else(
    city, clock, monkeypatch, tmp_path
):
    officer = make_user("liu-assistance", Role.ASSISTANCE)
    closed, left_behind = _case_with_a_file(officer, "ticket.pdf")
    _still_open, referenced = _case_with_a_file(officer, "passport.pdf")
    AssistanceCase.objects.filter(pk=closed.pk).update(status="closed", closed_at=timezone.now())

    on_day(clock, 365)
    for path in (left_behind, referenced):
        _aged(path, timedelta(days=365))
    media = tmp_path / "media"  # the test's MEDIA_ROOT (tests/conftest.py)
    # Being uploaded right now: stored, its record not committed yet.
    fresh = _written(media / "assistance" / "2021" / "03" / "uploading.pdf", timedelta(minutes=5))
    # Another desk's folder, and a link out of the folder: never retention's to remove.
    others = _written(media / "exchanges" / "1" / "slides.pdf", timedelta(days=400))
    outside = _written(tmp_path / "elsewhere" / "secret.pdf", timedelta(days=400))
    (media / "assistance" / "link.pdf").symlink_to(outside)
    (media / "assistance" / "linked-folder").symlink_to(outside.parent)

    # The batch commits, then the removal of its files fails (the process dies there).
    def crash(self, name):
        raise OSError("the process died")

    monkeypatch.setattr(FileSystemStorage, "delete", crash)
    with pytest.raises(OSError):
        runs.run(only="case.closed")
    monkeypatch.undo()
    attachment = CaseAttachment.objects.get(case=closed)
    assert attachment.file.name == "" and left_behind.exists()  # no record names it any more

    # A dry run counts it and removes nothing.
    dry = next(r for r in runs.run(dry_run=True) if r.rule == sweep.RULE)
    assert (dry.due, dry.files_removed) == (1, 0) and left_behind.exists()

    out = io.StringIO()
    call_command("retention", stdout=out)
    assert f"{sweep.RULE}: due 1, held 0, anonymized 0, files removed 1" in out.getvalue()
    assert not left_behind.exists()
    for kept in (referenced, fresh, others, outside, media / "assistance" / "link.pdf"):
        assert kept.exists() or kept.is_symlink(), kept
    receipt = Receipt.objects.get(rule=sweep.RULE, dry_run=False)
    assert (receipt.due, receipt.files_removed, receipt.stopped_by) == (1, 1, "")
    text = " ".join(str(v) for v in Receipt.objects.filter(pk=receipt.pk).values().first().values())
    assert left_behind.name not in text and "ticket" not in text

    # The next run finds nothing; the fresh file, once an hour old, is an orphan too.
    assert next(r for r in runs.run() if r.rule == sweep.RULE).files_removed == 0
    clock.move_to(timezone.now() + timedelta(hours=2))
    assert next(r for r in runs.run() if r.rule == sweep.RULE).files_removed == 1
    assert not fresh.exists() and referenced.exists() and outside.exists()
