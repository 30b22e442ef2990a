"""The engine stays pure Python: no Django, and the same country list as the Django side."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from liaison.policy.engine import ISO_3166_ALPHA2

ROOT = Path(__file__).resolve().parents[2]


def test_the_engine_does_not_import_django():
    program = (
        "import sys, liaison.policy.engine as e, liaison.policy.engine.explain, "
        "liaison.policy.engine.diff\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_country_codes_match_django_countries():
    data = pytest.importorskip("django_countries.data")
    assert frozenset(data.COUNTRIES) == ISO_3166_ALPHA2
