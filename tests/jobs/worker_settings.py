"""The settings of a job worker started by a test: the test's own database (its name is only
known once pytest-django has made it)."""

import os

from tests.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["LIAISON_WORKER_DB"]  # noqa: F405
