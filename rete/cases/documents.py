"""Documents on a case: which files are accepted, what they really are, and how they are
handed back. The type is decided from the file's name AND its first bytes; what the browser
claims is ignored. Nothing is ever offered for display in the browser except PDF and images,
and even those only as a download."""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Room for the other form fields and the multipart framing around the file.
REQUEST_MARGIN_BYTES = 1024 * 1024

PDF, PNG, JPEG, TEXT, DOCX, ODT = "pdf", "png", "jpeg", "text", "docx", "odt"

CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    TEXT: "text/plain; charset=utf-8",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ODT: "application/vnd.oasis.opendocument.text",
}
EXTENSIONS = {
    ".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG, ".txt": TEXT, ".docx": DOCX, ".odt": ODT,
}
# Served with their own type (still as a download); everything else as opaque bytes.
SERVED_AS_IS = {CONTENT_TYPES[PDF], CONTENT_TYPES[PNG], CONTENT_TYPES[JPEG]}

ALLOWED_DESCRIPTION = _("PDF, PNG or JPEG images, plain text (.txt), Word (.docx) or OpenDocument (.odt) documents")


def max_bytes() -> int:
    return int(getattr(settings, "RETE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def human_size(size) -> str:
    """1 234 567 → "1.2 MB" (units are not translated: they are SI symbols)."""
    size = int(size or 0)
    if size < 1024:
        return f"{size} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}"
    return f"{size:.1f} GB"  # pragma: no cover


class DocumentRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    filename: str
    content_type: str
    data: bytes


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def clean_filename(name: str) -> str:
    """The name as she knows it, less any folder path and control characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".") or ""
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name


def _sniff_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    # Markup is not plain text: HTML and SVG could run script if ever opened by a browser.
    if head.startswith("<") or any(tag in head for tag in ("<html", "<script", "<svg", "<!doctype", "<iframe", "<body")):
        return False
    return all(ch.isprintable() or ch in "\t\r\n\f\ufeff" for ch in text)


def _sniff_zip(data: bytes, kind: str) -> bool:
    """Word and OpenDocument files are zip archives; look at the entries that say which one
    (names only, and the tiny stored "mimetype" entry: nothing is unpacked)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if kind == DOCX:
                return "[Content_Types].xml" in names and "word/document.xml" in names
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
                return False
            return archive.read("mimetype").strip() == CONTENT_TYPES[ODT].encode()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError, RuntimeError):
        return False


def sniff(data: bytes, kind: str) -> bool:
    if kind == PDF:
        return data.startswith(b"%PDF-")
    if kind == PNG:
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == JPEG:
        return data.startswith(b"\xff\xd8\xff")
    if kind == TEXT:
        return _sniff_text(data)
    if kind in (DOCX, ODT):
        return _sniff_zip(data, kind)
    return False


def check(filename: str, data: bytes) -> Checked:
    """Accept a file or say why not (translated). The stored type is the one found here."""
    name = clean_filename(filename)
    if not name:
        raise DocumentRefused(_("The file has no name. Rename it and try again."))
    if not data:
        raise DocumentRefused(_("The file is empty."))
    if len(data) > max_bytes():
        raise DocumentRefused(too_large_message())
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    kind = EXTENSIONS.get(extension)
    if kind is None:
        raise DocumentRefused(_("This kind of file cannot be added. Accepted: %(types)s.") % {"types": ALLOWED_DESCRIPTION})
    if not sniff(data, kind):
        raise DocumentRefused(
            _("The file's content is not what its name says (%(extension)s). Accepted: %(types)s.")
            % {"extension": extension, "types": ALLOWED_DESCRIPTION}
        )
    return Checked(filename=name, content_type=CONTENT_TYPES[kind], data=bytes(data))


def too_large_message():
    return _("The file is too large: the limit is %(size)s.") % {"size": human_size(max_bytes())}


def download_type(content_type: str) -> str:
    return content_type if content_type in SERVED_AS_IS else "application/octet-stream"


def _ascii(text: str) -> str:
    """Accents dropped (é → e), anything else outside plain ASCII replaced by "_"."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "._ ()+-") else "_")
    return re.sub(r"_+", "_", "".join(out))


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real one per RFC 5987/6266."""
    name = clean_filename(filename) or "document"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = _ascii(stem).strip(" ._")
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)[:10]
    if not stem.strip("_"):
        stem = "document"
    fallback = f"{stem}.{extension}" if extension else stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


class CappedMemoryUploadHandler(FileUploadHandler):
    """Keeps uploaded files in memory (no plaintext temporary file on disk) up to the limit;
    a larger file is skipped and flagged on the request, so the view can refuse it with the
    rest of the form (her description) intact."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_bytes()
        self.buffer = None
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.rete_upload_too_large = True
            self.buffer = None
            raise SkipFile()
        self.buffer.write(raw_data)
        return None  # consumed: no later handler writes it anywhere

    def file_complete(self, file_size):
        from django.core.files.uploadedfile import InMemoryUploadedFile

        if self.buffer is None:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name, content_type="application/octet-stream",
            size=file_size, charset=self.charset, content_type_extra=self.content_type_extra,
        )
