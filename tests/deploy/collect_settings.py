"""``collectstatic`` for the deployment tests: the production settings and manifest, without
compressing every file (tests/deploy/servers.py, ``collect_static``)."""

from liaison.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
