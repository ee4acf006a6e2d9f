"""A report's files: checked by their content (never their name), size-limited, stored by content hash.

A Word file is a zip holding word/document.xml (no macros); a scan is a PDF (starts with %PDF-) or a JPEG/PNG
image that decodes. Stored bytes go to <store folder>/report_files/<sha256>, a folder no web route serves; the
user's file name is kept only as text to show, never used to build a path.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from analytics.core.i18n import t

KINDS = ("word", "scan")
EXTENSIONS = {"docx": "docx", "pdf": "pdf", "jpeg": "jpg", "png": "png"}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
MAX_ZIP_ENTRIES = 5000
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024  # a DOCX that claims to unpack to more is treated as a zip bomb
MAX_IMAGE_PIXELS = 120_000_000  # a 600 dpi A3 page is ~70 MP; more is a decompression bomb
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class ReportFileError(ValueError):
    """A refused file; the message is one sentence for the user (Vietnamese first)."""


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # word | scan
    name: str  # the user's file name made safe to show (no folders, no control characters)
    data: bytes
    media_type: str  # docx | pdf | jpeg | png

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


def display_name(name: str | None, fallback: str) -> str:
    """The last part of a user's file name (no folders, no control characters, at most 120 characters)."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return text[:120] or fallback


def check_file(kind: str, data: bytes, name: str | None, max_bytes: int) -> CheckedFile:
    """The file if its content is what `kind` needs, else ReportFileError with one sentence saying why."""
    if kind not in KINDS:
        raise ValueError(kind)
    shown = display_name(name, f"{kind}")
    if not data:
        raise ReportFileError(t("reports.file.empty", name=shown))
    if len(data) > max_bytes:
        raise ReportFileError(t("reports.file.too_big", name=shown, limit=_megabytes(max_bytes)))
    if kind == "word":
        _check_docx(data, shown)
        return CheckedFile(kind, shown, data, "docx")
    if data.startswith(b"%PDF-"):
        return CheckedFile(kind, shown, data, "pdf")
    media_type = _image_type(data)
    if media_type is None:
        raise ReportFileError(t("reports.file.not_scan", name=shown))
    _check_image(data, shown)
    return CheckedFile(kind, shown, data, media_type)


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")


def _check_docx(data: bytes, shown: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                raise ReportFileError(t("reports.file.zip_bomb", name=shown))
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise ReportFileError(t("reports.file.not_docx", name=shown))
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise ReportFileError(t("reports.file.macros", name=shown))
            head = archive.read("word/document.xml")[:4096].lstrip(b"\xef\xbb\xbf \r\n\t")
            if not head.startswith(b"<"):
                raise ReportFileError(t("reports.file.not_docx", name=shown))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
        raise ReportFileError(t("reports.file.not_docx", name=shown)) from None


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    return None


def _check_image(data: bytes, shown: str) -> None:
    """Decodes the whole image (verify() alone reads only the structure), refusing decompression bombs first."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ReportFileError(t("reports.file.image_too_large", name=shown))
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except ReportFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ReportFileError(t("reports.file.image_too_large", name=shown)) from None
    except Exception:  # Pillow raises many kinds for a broken image (OSError, SyntaxError, ValueError, ...)
        raise ReportFileError(t("reports.file.not_image", name=shown)) from None


# -- storage ------------------------------------------------------------------------------------------------
def files_dir(db_path: Path) -> Path:
    """Beside the store file, outside every web route."""
    return Path(db_path).resolve().parent / "report_files"


def store_bytes(folder: Path, data: bytes) -> str:
    """Writes `data` as folder/<sha256> (whole or not at all) and returns the hash; an existing copy is kept."""
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if target.exists() and target.stat().st_size == len(data):
        return digest
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def read_bytes(folder: Path, digest: str) -> bytes:
    """The stored file with that hash (checked again on the way out)."""
    if not _SHA256.match(digest or ""):
        raise ReportFileError(t("reports.file.missing"))
    try:
        data = (folder / digest).read_bytes()
    except OSError:
        raise ReportFileError(t("reports.file.missing")) from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise ReportFileError(t("reports.file.missing"))
    return data


def download_name(unit_code: str, kind: str, media_type: str, position: int = 1, version: int | None = None) -> str:
    """A file name made by the product (never the user's): bao-cao-nam-710-word-v2.docx."""
    code = re.sub(r"[^A-Za-z0-9-]", "", unit_code) or "don-vi"
    page = f"-trang-{position}" if kind == "scan" and position > 1 else ""
    return f"bao-cao-nam-{code}-{kind}{f'-v{version}' if version else ''}{page}.{EXTENSIONS[media_type]}"
