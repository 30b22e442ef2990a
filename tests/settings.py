"""The application's settings, with what only tests want: fast hashing and no static manifest."""

import os

from liaison.settings import *  # noqa: F403

# Hashing a password with the production hasher costs ~0.3 s; tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, as `runserver` does; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A file, not memory: threads in concurrency tests then see one database through SQLite's real
# locking (WAL + BEGIN IMMEDIATE), as the app servers do.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # LIAISON_TEST_DB names the file, so that two runs in one checkout do not share it.
    _name = os.environ.get("LIAISON_TEST_DB", "test")
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{_name}.sqlite3")}  # noqa: F405
