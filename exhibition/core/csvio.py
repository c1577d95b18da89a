"""CSV in and out, for every export and every import of the platform.

Out: :func:`write_csv` / :func:`csv_response`. Every text cell goes through :func:`cell`, which
defuses spreadsheet formulas as OWASP recommends: a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return (also after leading blanks) gets a leading apostrophe, so that
Excel or LibreOffice shows ``=HYPERLINK(...)`` as text instead of running it. Numbers stay numbers
(a negative price is not a formula).

In: :func:`read_csv` takes the uploaded bytes and either returns the rows, each with its line
number, or raises :class:`ImportFailed` with errors a person can act on: not UTF-8 text (with the
line), a spreadsheet or other binary file, too large, too many rows, missing, unknown or
repeated columns, a row with more values than columns. An importer then checks its rows and
writes all of them or none. Cells that our own writer defused are restored, so that an export
imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
DELIMITERS = (",", ";", "\t")  # Excel writes ';' where the decimal separator is a comma (French)

# A formula start, possibly behind blanks (some spreadsheets trim them) or behind apostrophes
# that are part of the value itself (so that the apostrophe we add can always be taken away).
_DANGER = re.compile(r"'*(?:[=+\-@\t\r]|\s+[=+\-@])")
_DEFUSED = re.compile(r"'+(?:[=+\-@\t\r]|\s+[=+\-@])")


class ImportFailed(DomainError):
    """A file refused as a whole: nothing was imported. ``errors`` = [(line, message)], line 0 = the file."""

    def __init__(self, errors: list[tuple[int, str]], message: str | None = None):
        super().__init__(
            message
            or ngettext(
                "The file was not imported: %(n)s row has errors.",
                "The file was not imported: %(n)s rows have errors.",
                len(errors),
            )
            % {"n": len(errors)},
            field="file",
            code="import_failed",
        )
        self.errors = errors


# --- out ------------------------------------------------------------------------------------


def cell(value: Any) -> Any:
    """One value as a safe CSV cell: numbers as they are, text with formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if _DANGER.match(text):
        return "'" + text
    return text


def stamp(value: Any, tz: Any) -> str:
    """A moment as a spreadsheet reads and sorts it, in the show's local time: ``2026-12-07 09:32``."""
    if value is None:
        return ""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def restore(text: str) -> str:
    """The value :func:`cell` defused, as it was (``'=A1`` -> ``=A1``); other text unchanged."""
    return text[1:] if _DEFUSED.match(text) else text


def write_csv(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV text of ``header`` and ``rows``, every cell through :func:`cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """A download of ``header`` and ``rows``: see :func:`download`."""
    return download(filename, write_csv(header, rows))


def download(filename: str, text: str) -> HttpResponse:
    """CSV text (from :func:`write_csv`) as a download: UTF-8 with a byte-order mark, so that
    Excel reads accents right, and always an attachment."""
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_ascii_filename(filename)}"'
    return response


def _ascii_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "export.csv"


# --- in -------------------------------------------------------------------------------------


def read_upload(upload: Any, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an uploaded file, reading at most one byte more than ``max_bytes`` (enough
    for :func:`decode` to refuse it as too large without holding all of it)."""
    upload.seek(0)
    return upload.read(max_bytes + 1)


def decode(data: bytes | str, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of an uploaded CSV file, or ImportFailed saying why it is not one."""
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise ImportFailed([(0, _too_large(max_bytes))])
        text = data
    else:
        if len(data) > max_bytes:
            raise ImportFailed([(0, _too_large(max_bytes))])
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise ImportFailed(
                [
                    (
                        0,
                        _(
                            "This is a spreadsheet workbook, not a CSV file: save it as “CSV UTF-8” "
                            "and import that file."
                        ),
                    )
                ]
            )
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFailed(
                [(0, _("The file is UTF-16 text: save it as “CSV UTF-8” and import it again."))]
            )
        if b"\x00" in data[:8192]:
            raise ImportFailed([(0, _("This is not a CSV text file (it holds binary data)."))])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ImportFailed(
                [
                    (
                        line,
                        _(
                            "The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8” "
                            "and import it again."
                        )
                        % {"line": line},
                    )
                ]
            ) from None
    text = text.lstrip("\ufeff")
    bad = _control.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ImportFailed(
            [
                (
                    line,
                    _("This is not a CSV text file (line %(line)s holds a control character).")
                    % {"line": line},
                )
            ]
        )
    return text


_control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _too_large(max_bytes: int) -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)}


def _delimiter(first_line: str, known: Collection[str]) -> str:
    """The separator that splits the header into the most known column names (',' if none does)."""
    best, score = ",", -1
    for d in DELIMITERS:
        names = [_name(n) for n in next(csv.reader([first_line], delimiter=d), [])]
        hits = sum(1 for n in names if n in known)
        if hits > score:
            best, score = d, hits
    return best


def _name(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip().lower()


def read_csv(
    data: bytes | str,
    *,
    columns: Sequence[str],
    required: Collection[str],
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> list[tuple[int, dict[str, str]]]:
    """Rows of an uploaded CSV as (line number, {column: stripped text}); the header is line 1.

    ``columns`` are all the names the importer knows (an export's extra columns included), of
    which ``required`` must be there. Raises ImportFailed with every problem of the file's shape;
    what the values mean is the importer's business.
    """
    text = decode(data, max_bytes=max_bytes)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if not first:
        raise ImportFailed([(1, _("The file is empty."))])
    known = {c.lower() for c in columns}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first, known), strict=False)
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[tuple[int, str]] = []
    try:
        header: list[str] | None = None
        for record in reader:
            line = reader.line_num
            if header is None:
                if not any(v.strip() for v in record):
                    continue
                header = [_name(h) for h in record]
                _check_header(header, known, required, columns)
                continue
            if not any(v.strip() for v in record):
                continue
            if len(rows) >= max_rows:
                raise ImportFailed(
                    [
                        (
                            line,
                            _("The file has more than %(n)s rows: split it.")
                            % {"n": number_format(max_rows, force_grouping=True)},
                        )
                    ]
                )
            if len(record) > len(header):
                extra = [v for v in record[len(header) :] if v.strip()]
                if extra:
                    errors.append(
                        (line, _("%(n)s values for %(m)s columns.") % {"n": len(record), "m": len(header)})
                    )
                    continue
            values = {name: restore(v.strip()) for name, v in zip(header, record, strict=False) if name}
            for name in header:
                values.setdefault(name, "")
            rows.append((line, values))
    except csv.Error as exc:
        raise ImportFailed(
            [(reader.line_num, _("The file is not valid CSV here: %(e)s") % {"e": exc})]
        ) from None
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([(2, _("The file has no rows."))])
    return rows


def _check_header(
    header: list[str], known: set[str], required: Collection[str], columns: Sequence[str]
) -> None:
    problems = []
    missing = sorted(set(required) - set(header))
    if missing:
        problems.append(_("Missing columns: %(c)s.") % {"c": ", ".join(missing)})
    unknown = [h for h in header if h and h not in known]
    if unknown:
        problems.append(_("Unknown columns: %(c)s.") % {"c": ", ".join(unknown[:5])})
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        problems.append(_("Columns given twice: %(c)s.") % {"c": ", ".join(repeated)})
    if problems:
        problems.append(_("The first line names the columns: %(c)s.") % {"c": ", ".join(columns)})
        raise ImportFailed([(1, " ".join(problems))])
