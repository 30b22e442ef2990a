"""liaison.core.pdf: a PDF may load our static files and nothing else.

Each refusal is checked against the same document printed by WeasyPrint's own fetcher, which
does load the file: so the checks can tell a drawn image or a fetched style sheet from none.
"""

from pathlib import Path

import pytest
from weasyprint import HTML

from liaison.core import pdf
from tests import poppler


@pytest.fixture
def png(tmp_path) -> Path:
    """A real image on the server's disk (the first page of a small PDF)."""
    source = tmp_path / "source.pdf"
    source.write_bytes(pdf.html_to_pdf("<p>a page</p>"))
    poppler.run("pdftoppm", "-png", "-r", "10", "-singlefile", str(source), str(tmp_path / "page"))
    return tmp_path / "page.png"


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return path


def test_a_local_file_is_not_read_into_the_pdf(tmp_path, png):
    html = f'<img src="file://{png}"><img src="data:image/png;base64,iVBORw0KGgo=">'
    unrestricted = write(tmp_path, HTML(string=html).write_pdf())
    assert len(poppler.images(unrestricted)) == 1  # the check sees an image when there is one
    assert poppler.images(write(tmp_path, pdf.html_to_pdf(html))) == []


def test_a_style_sheet_elsewhere_is_not_fetched(tmp_path):
    css = tmp_path / "evil.css"
    css.write_text('p::after { content: "FETCHED" }')
    html = f'<link rel="stylesheet" href="file://{css}"><p>text</p>'
    assert "FETCHED" in poppler.text(write(tmp_path, HTML(string=html).write_pdf()))
    assert "FETCHED" not in poppler.text(write(tmp_path, pdf.html_to_pdf(html)))


def test_our_static_style_sheet_is_applied(tmp_path):
    # print.css numbers the pages ("1 / 1" in the bottom margin).
    html = "<p>text</p>"
    assert "1/1" not in poppler.text(write(tmp_path, pdf.html_to_pdf(html))).replace(" ", "")
    html = f'<link rel="stylesheet" href="/static/core/print.css">{html}'
    assert "1/1" in poppler.text(write(tmp_path, pdf.html_to_pdf(html))).replace(" ", "")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://evil.example/static/core/print.css",
        "http://pdf.liaison.invalid/static/core/print.css",
        "https://user@pdf.liaison.invalid/static/core/print.css",
        "https://pdf.liaison.invalid/etc/passwd",
        "https://pdf.liaison.invalid/static/../liaison/settings.py",
        "https://pdf.liaison.invalid/static/core/../../../settings.py",
        "https://pdf.liaison.invalid/static/%2e%2e/%2e%2e/liaison/settings.py",
        "https://pdf.liaison.invalid/static//etc/passwd",
        "https://pdf.liaison.invalid/static/core/missing.css",
        "data:text/css,p{}",
    ],
)
def test_only_plain_names_of_our_static_files_resolve(url):
    with pytest.raises(pdf.RefusedResource):
        pdf._static_file(url)


def test_a_static_file_resolves_to_its_file():
    path = pdf._static_file("https://pdf.liaison.invalid/static/core/print.css")
    assert path.name == "print.css" and path.is_file()


def test_a_collected_hashed_static_file_resolves(settings, tmp_path):
    """Production: ``{% static %}`` names the collected file by its hash; the PDF loads that."""
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("core/print.css")
    assert url != "/static/core/print.css"  # hashed
    path = pdf._static_file(f"https://pdf.liaison.invalid{url}")
    assert path.is_file() and path.parent.parent == settings.STATIC_ROOT
