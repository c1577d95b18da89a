"""Accreditation in the demo show: the usual site (through the set-up service), staff badges
ordered by the exhibiting companies, a badge for everyone admitted, demo photos for the
delegation members, a rehearsal day today (so that badges can be scanned in the demo whatever
the date), scanners at the gates and tables, and a plausible morning of scans at the rehearsal."""

from __future__ import annotations

import hashlib
import io
import random
import time
from datetime import datetime, timedelta
from datetime import time as dtime

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from exhibition.accounts.models import Organisation
from exhibition.events.demo import FIRST, LAST
from exhibition.exhibitors.models import BadgeRequest
from exhibition.exhibitors.selectors import badge_quota, settings_for
from exhibition.floorplans.models import Stand
from exhibition.meetings.models import Place

from . import services
from .models import AccessDay, Badge, BadgeCategory, Device, Gate, Presence, Scan, Zone, private_storage
from .photos import process_photo

STAFF_ROLES = [
    "Sales director",
    "Key account manager",
    "Product manager",
    "Engineer",
    "Export manager",
    "Business developer",
    "Technical support",
]


def _silhouette(colour: str) -> bytes:
    img = Image.new("RGB", (300, 400), "#e5e7eb")
    d = ImageDraw.Draw(img)
    d.ellipse((95, 60, 205, 180), fill=colour)
    d.ellipse((40, 200, 260, 460), fill=colour)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def extend(show) -> None:
    event, rng, users = show.event, show.rng, show.users
    t0 = time.monotonic()
    organiser = users["organiser"]
    # A rehearsal day today: the show's own days lie ahead, the gates work now. The morning of
    # scans is the rehearsal's (today's once the morning is over, else yesterday's), never a
    # show day that has not come yet.
    today = event.today()
    morning = today if timezone.localtime(timezone=event.tz).hour >= 12 else today - timedelta(days=1)
    services.set_up(event=event, actor=organiser)
    for day in sorted({morning, today}):
        if not AccessDay.objects.filter(event=event, date=day).exists():
            rehearsal = AccessDay.objects.create(
                event=event, date=day, kind=AccessDay.Kind.SHOW, opens_at=dtime(0, 0), closes_at=dtime(23, 59)
            )
            for cat in BadgeCategory.objects.filter(event=event):
                cat.days.add(rehearsal)
            services.setup.bump(event)

    # --- staff badges ordered by the companies (within their quota) ----------------------------
    conf = settings_for(event)
    areas: dict[int, float] = {}
    for oid, area in Stand.objects.filter(event=event, exhibitor__isnull=False).values_list(
        "exhibitor_id", "area"
    ):
        areas[oid] = areas.get(oid, 0) + float(area or 0)
    requests = []
    admitted = {
        o.pk: o
        for o in Organisation.objects.filter(
            event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False
        )
    }
    for oid, area in areas.items():
        if oid not in admitted:
            continue
        quota = badge_quota(conf, area)
        for _j in range(min(quota, rng.randint(1, 4))):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            requests.append(
                BadgeRequest(
                    event=event,
                    organisation_id=oid,
                    name=name,
                    role=rng.choice(STAFF_ROLES),
                    requested_by=users["exhibitor"],
                )
            )
    seen = set()
    unique = []
    for r in requests:
        if (r.organisation_id, r.name.lower()) not in seen:
            seen.add((r.organisation_id, r.name.lower()))
            unique.append(r)
    demo_company = show.companies[0]
    if demo_company.pk in admitted:
        unique = [r for r in unique if r.organisation_id != demo_company.pk]
        unique.append(
            BadgeRequest(
                event=event,
                organisation=demo_company,
                name=users["exhibitor"].get_full_name(),
                role="Managing director",
                email=users["exhibitor"].email,
                requested_by=users["exhibitor"],
            )
        )
    BadgeRequest.objects.bulk_create(unique)

    # --- a badge for everyone admitted -----------------------------------------------------------
    issued = services.issue_missing_badges(event=event, actor=organiser)
    # Delegation members need a photo: demo silhouettes (a real delegation uploads its own).
    photos = []
    for colour in ("#7c3aed", "#2563eb", "#0f766e", "#b45309"):
        data, thumb = process_photo(_silhouette(colour))
        name = f"accreditation/photos/{event.pk}/demo-{colour[1:]}.jpg"
        storage = private_storage()
        if not storage.exists(name):
            storage.save(name, ContentFile(data))
        photos.append((name, thumb))
    key = services.signing_key(event)
    window = services.badges._window(event)
    pending = list(Badge.objects.filter(event=event, status=Badge.Status.PENDING))
    for i, b in enumerate(pending):
        b.photo, b.photo_thumb = photos[i % len(photos)]
        b.status, b.key, b.valid_from, b.valid_mask = Badge.Status.VALID, key, window[0], window[1]
    Badge.objects.bulk_update(
        pending, ["photo", "photo_thumb", "status", "key", "valid_from", "valid_mask"], batch_size=1000
    )

    # --- scanners: four lanes at the main entrance, one per hall, the lounge, two meeting tables -----
    zones = {z.code: z for z in Zone.objects.filter(event=event)}
    gates = {g.zone.code: g for g in Gate.objects.filter(event=event).select_related("zone")}
    devices = [
        Device(
            event=event,
            name=f"Main entrance, lane {lane}",
            gate=gates.get("site"),
            token_hash=hashlib.sha256(f"demo-{event.pk}-{lane}-{rng.random()}".encode()).hexdigest(),
            registered_at=timezone.now(),
            created_by=organiser,
        )
        for lane in range(1, 5)
    ]
    Device.objects.bulk_create(devices)
    tables = list(Place.objects.filter(event=event, kind=Place.Kind.TABLE).order_by("name")[:2])
    for t in tables:
        Gate.objects.get_or_create(event=event, name=t.name, defaults={"zone": zones["meetings"], "place": t})
    services.setup.bump(event)

    # A lost badge, reissued: the old code is refused.
    lost = (
        Badge.objects.filter(event=event, status=Badge.Status.VALID, source=Badge.Source.VISITOR)
        .exclude(user=users["visitor"])
        .order_by("pk")
        .first()
    )
    if lost is not None:
        services.reissue_badge(badge=lost, actor=organiser)

    # --- the first morning: arrivals from 08:00, visitors from 09:30 ------------------------------
    _first_morning(event, rng, devices, zones, gates, morning)
    show.say(
        f"Accreditation: {issued} badges issued, {Scan.objects.filter(event=event).count()} scans on the "
        f"rehearsal morning of {morning:%d %B} ({time.monotonic() - t0:.1f} s)"
    )


def _first_morning(event, rng: random.Random, devices, zones, gates, day) -> None:

    def at(h: int, m: int, s: int = 0) -> datetime:
        return datetime.combine(day, dtime(h, m, s), tzinfo=event.tz)

    halls = [z for z in zones.values() if z.kind == Zone.Kind.HALL]
    badges = list(Badge.objects.filter(event=event, status=Badge.Status.VALID).select_related("category"))
    scans, presence = [], []
    n = 0

    def scan(
        b: Badge, zone: Zone, when: datetime, result: str = Scan.Result.OK, direction: str = "entry"
    ) -> None:
        nonlocal n
        n += 1
        scans.append(
            Scan(
                event=event,
                device=devices[n % len(devices)],
                nonce=f"demo-{n}",
                badge=b,
                category=b.category,
                country=b.country.code if b.country else "",
                zone=zone,
                gate=gates.get(zone.code),
                direction=direction,
                scanned_at=when,
                received_at=when,
                result=result,
            )
        )

    revoked = Badge.objects.filter(event=event, status=Badge.Status.REVOKED).first()
    for b in badges:
        code = b.category.code
        if code == "visitor":
            if rng.random() > 0.55:
                continue
            minute = int(rng.triangular(0, 150, 25))
            when = at(9, 15) + timedelta(minutes=minute, seconds=rng.randint(0, 59))
            if when < at(9, 30):
                scan(b, zones["site"], when, Scan.Result.OUTSIDE_HOURS)
                when = at(9, 30) + timedelta(seconds=rng.randint(0, 600))
        elif code in ("exhibitor", "organiser", "contractor"):
            if rng.random() > 0.8:
                continue
            when = at(7, 45) + timedelta(minutes=int(rng.triangular(0, 110, 50)), seconds=rng.randint(0, 59))
        elif code in ("delegation", "press"):
            if rng.random() > 0.5:
                continue
            when = at(10, 0) + timedelta(minutes=rng.randint(0, 140))
        else:
            continue
        scan(b, zones["site"], when)
        hall = rng.choice(halls) if halls else None
        if hall is not None:
            scan(b, hall, when + timedelta(minutes=rng.randint(2, 15)))
            presence.append(Presence(badge=b, zone=hall, inside=True, last_entry_at=when, last_scan_at=when))
        presence.append(
            Presence(badge=b, zone=zones["site"], inside=True, last_entry_at=when, last_scan_at=when)
        )
        if code == "visitor" and rng.random() < 0.02:
            scan(b, zones["lounge"], when + timedelta(minutes=30), Scan.Result.WRONG_ZONE)
        if rng.random() < 0.01:
            scan(b, zones["site"], when + timedelta(seconds=20), Scan.Result.ALREADY_INSIDE)
    if revoked is not None:
        scan(revoked, zones["site"], at(9, 41), Scan.Result.REVOKED)
    scans.extend(
        Scan(
            event=event,
            device=devices[i % len(devices)],
            nonce=f"demo-invalid-{i}",
            zone=zones["site"],
            gate=gates.get("site"),
            direction="entry",
            scanned_at=at(9, 30) + timedelta(minutes=7 * i),
            received_at=at(9, 30) + timedelta(minutes=7 * i),
            result=Scan.Result.INVALID,
        )
        for i in range(12)
    )
    Scan.objects.bulk_create(scans, batch_size=2000)
    Presence.objects.bulk_create(presence, batch_size=2000, ignore_conflicts=True)
