"""One declaration as a WSGI request, without a server, for the in-process helpers.

Standard library only and no import of the project, so that ``_declarations_ab.py`` can load it
from its own folder to drive an older tree whose ``bench/`` has no such module.
"""

from __future__ import annotations

import io
import sys


def wsgi_environ(template: str, document: str) -> dict:
    """The WSGI environ of one POST /api/v1/declarations, without a server: the body is
    ``template`` (``payload()`` as JSON) with this document number, its key made of it too."""
    body = template.replace("DOCUMENT", document).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/declarations",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
        "HTTP_IDEMPOTENCY_KEY": f"key-{document}",
    }
