"""Printed documents (PDF) from Django templates through WeasyPrint. Nothing is fetched from
the network: the style sheet is the project's own static file and the only URLs a document may
use are `data:` URIs (inline images)."""
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict, *, language: str, stylesheets=("rete/print.css",)) -> bytes:
    """Render a template (extending documents/base.html) in `language`; return the PDF bytes.
    `stylesheets` are static files of the project (printed materials bring their own)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    with translation.override(language):
        html = render_to_string(template_name, {**context, "LANGUAGE_CODE": language})
    no_network = URLFetcher(allowed_protocols={"data"})
    styles = [CSS(filename=finders.find(name), url_fetcher=no_network) for name in stylesheets]
    return HTML(string=html, url_fetcher=no_network).write_pdf(stylesheets=styles)


def pdf_response(content: bytes, filename: str):
    """A PDF answer that is never cached and always downloaded under the given file name."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
