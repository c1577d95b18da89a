"""Stands to and from CSV: the export and the all-or-nothing import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit, csvio
from exhibition.core.errors import DomainError
from exhibition.events.models import Event, Hall

from ..models import Pavilion, Stand
from .common import bump_plan_version, parse_number, parse_stand_number
from .stands import create_stand, update_stand

# --- CSV import / export ---------------------------------------------------------------------

CSV_COLUMNS = [
    "number",
    "hall",
    "x",
    "y",
    "width",
    "depth",
    "rotation",
    "type",
    "open_sides",
    "status",
    "pavilion",
    "exhibitor",
    "area",
    "price",
]
REQUIRED_COLUMNS = ("number", "hall", "x", "y", "width", "depth")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


ImportFailed = csvio.ImportFailed


def export_stands_csv(event: Event) -> str:
    stands = (
        Stand.objects.filter(event=event)
        .select_related("hall", "pavilion", "exhibitor")
        .order_by("hall__position", "number")
    )
    return csvio.write_csv(
        CSV_COLUMNS,
        (
            [
                s.number,
                s.hall.code,
                s.x,
                s.y,
                s.width,
                s.depth,
                s.rotation,
                s.kind,
                s.open_sides if s.open_sides_fixed else "",
                s.status,
                s.pavilion.name if s.pavilion else "",
                s.exhibitor.name if s.exhibitor else "",
                s.area,
                s.price,
            ]
            for s in stands
        ),
    )


def import_stands_csv(*, event: Event, actor: User, data: bytes | str) -> ImportReport:
    """Create or update stands from CSV (columns as exported). All or nothing: any bad row
    and nothing is written; the errors name their row numbers (the header is row 1).

    New stands are available or blocked; an existing stand keeps its commercial status when the
    file repeats it (so that an export imports back unchanged)."""
    rows = csvio.read_csv(data, columns=CSV_COLUMNS, required=REQUIRED_COLUMNS)
    halls = {h.code.upper(): h for h in Hall.objects.filter(event=event)}
    # a pavilion by its name or its French name, in any case (the English name first on a clash)
    known = list(Pavilion.objects.filter(event=event))
    pavilions = {p.name_fr.lower(): p for p in known if p.name_fr} | {p.name.lower(): p for p in known}
    wanted = {(row.get("number") or "").strip().upper() for _i, row in rows}
    existing = {
        s.number: s
        for s in Stand.objects.filter(event=event, number__in=wanted).select_related("hall", "pavilion")
    }
    report = ImportReport()
    errors: list[tuple[int, str]] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for i, row in rows:
        try:
            number = parse_stand_number(row.get("number"))
            if number in seen:
                raise DomainError(_("stand %(n)s appears twice in the file") % {"n": number})
            seen.add(number)
            hall = halls.get((row.get("hall") or "").strip().upper())
            if hall is None:
                raise DomainError(_("unknown hall %(h)r") % {"h": row.get("hall")})
            nums = {}
            for col in ("x", "y", "width", "depth"):
                value = (row.get(col) or "").strip().replace(",", ".")
                try:
                    nums[col] = parse_number(value)
                except DomainError:
                    raise DomainError(
                        _("%(c)s is not a number: %(v)r") % {"c": col, "v": row.get(col)}
                    ) from None
            kind = (row.get("type") or "").strip().lower() or Stand.Kind.SHELL
            if kind not in Stand.Kind.values:
                raise DomainError(_("type must be shell or raw, not %(v)r") % {"v": kind})
            status = (row.get("status") or "").strip().lower() or Stand.Status.AVAILABLE
            current = existing.get(number)
            if not (current is not None and current.status == status) and status not in (
                Stand.Status.AVAILABLE,
                Stand.Status.BLOCKED,
            ):
                raise DomainError(_("status on import is available or blocked, not %(v)r") % {"v": status})
            sides = (row.get("open_sides") or "").strip()
            pav_name = (row.get("pavilion") or "").strip()
            pavilion = pavilions.get(pav_name.lower()) if pav_name else None
            if pav_name and pavilion is None:
                raise DomainError(_("unknown pavilion %(p)r") % {"p": pav_name})
            rotation = (row.get("rotation") or "").strip() or "0"
            if rotation not in ("0", "90"):
                raise DomainError(_("rotation is 0 or 90, not %(v)r") % {"v": rotation})
            if sides and sides not in ("1", "2", "3", "4"):
                raise DomainError(_("open_sides is empty or 1 to 4, not %(v)r") % {"v": sides})
            parsed.append(
                (
                    i,
                    dict(
                        number=number,
                        hall=hall,
                        rotation=int(rotation),
                        kind=kind,
                        status=status,
                        open_sides=int(sides) if sides else None,
                        pavilion=pavilion,
                        **nums,
                    ),
                )
            )
        except DomainError as exc:
            errors.append((i, exc.message))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for i, p in parsed:
            try:
                with transaction.atomic():
                    if p["number"] in existing:
                        changes = {k: v for k, v in p.items() if k != "number"}
                        if changes["status"] == existing[p["number"]].status:
                            del changes["status"]
                        update_stand(stand=existing[p["number"]], actor=actor, **changes)
                        report.updated += 1
                    else:
                        create_stand(event=event, actor=actor, record=False, **p)
                        report.created += 1
            except DomainError as exc:
                errors.append((i, exc.message))
        if errors:
            raise ImportFailed(errors)
        audit.record(
            actor=actor,
            action="stands.imported",
            obj=event,
            event=event,
            created=report.created,
            updated=report.updated,
            numbers=[p["number"] for _i, p in parsed],
        )
        if report.created:
            bump_plan_version(event)
    return report
