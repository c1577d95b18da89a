"""Demo show extension: the 1,080 demo companies through exhibitor registration.

Companies with a stand are approved (with a profile and products); the rest are
submitted, under review, waitlisted or rejected. A small restricted-party list makes a
few companies hit (one hit left open for the demo). Bulk-inserted in the shapes the
services produce; the few screened applications go through ``screen_application``."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from exhibition.accounts.models import Organisation
from exhibition.floorplans.models import Stand

from . import services
from .models import (
    Application,
    ExhibitorProfile,
    ExhibitorSettings,
    Product,
    ProfileContact,
    RestrictedParty,
    ScreeningHit,
)

S = Application.State

PRODUCTS = {
    "cyber": [("SOC-in-a-box", "Managed detection and response"), ("CryptoLink", "Encrypted communications")],
    "drones": [("SkyGuard", "Counter-drone radar and jammer"), ("Hawk-4 UAV", "Surveillance quadcopter")],
    "forensics": [("TraceLab", "Mobile forensic laboratory"), ("DNA-Fast", "Rapid DNA analyser")],
    "vehicles": [("Rhino APC", "Armoured personnel carrier"), ("Patrol-E", "Electric patrol vehicle")],
    "protection": [("Aegis Vest", "Ballistic vest level IIIA"), ("Riot Shield X", "Polycarbonate shield")],
    "surveillance": [("EagleEye", "Thermal camera"), ("Perimeter-360", "Intrusion detection")],
    "crisis": [("CrisisBoard", "Incident command software"), ("AlertNet", "Mass notification")],
    "training": [("SimRange", "Virtual shooting range"), ("TacticalVR", "Scenario training")],
    "communications": [("TETRA-Go", "Mission-critical radio"), ("MeshCom", "Tactical mesh network")],
    "border": [("GateScan", "Vehicle scanner"), ("Sentinel Fence", "Smart fence")],
    "identity": [("FaceID Pro", "Biometric access control"), ("DocCheck", "Document authentication")],
    "weapons": [("Less-Lethal L5", "Launcher"), ("StunPro", "Electric incapacitation device")],
}
FIRST = [
    "Claire",
    "Marc",
    "Sofia",
    "Jonas",
    "Aiko",
    "Omar",
    "Lena",
    "Pierre",
    "Maria",
    "David",
    "Yuki",
    "Ana",
]
LAST = ["Martin", "Bernard", "Schmidt", "Rossi", "Tanaka", "Haddad", "Kowalski", "Garcia", "Smith", "Dubois"]


def extend(show) -> None:
    started = time.perf_counter()
    event, rng, now = show.event, show.rng, timezone.now()
    organiser = show.users["organiser"]
    ExhibitorSettings.objects.update_or_create(
        event=event,
        defaults={
            "application_deadline": now + timedelta(days=14),
            "profile_deadline": show.first_day - timedelta(days=14),
            "badge_deadline": show.first_day - timedelta(days=7),
            "terms": "Exhibitors agree to the general terms of sale and the safety rules of the venue.",
            "embargoed_countries": ["KP", "IR", "SY"],
            "list_version": 1,
        },
    )
    companies = list(
        Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY)
        .prefetch_related("sectors")
        .order_by("pk")
    )
    mine = show.users["exhibitor"]
    own = next(c for c in companies if c.memberships.filter(user=mine).exists())
    area = dict(
        Stand.objects.filter(event=event, exhibitor__isnull=False, status__in=("reserved", "sold"))
        .values_list("exhibitor_id")
        .annotate(a=Sum("area"))
        .order_by()
    )
    if own.pk not in area:  # the demo exhibitor always has a stand
        stand = Stand.objects.filter(event=event, status=Stand.Status.AVAILABLE).order_by("area").first()
        if stand is not None:
            Stand.objects.filter(pk=stand.pk).update(exhibitor=own, status=Stand.Status.SOLD)
            area[own.pk] = stand.area
    halls = list(event.halls.all())
    apps, sector_rows, hall_rows = [], [], []
    pending = [S.SUBMITTED] * 6 + [S.UNDER_REVIEW] * 4 + [S.WAITLISTED] * 2 + [S.REJECTED] + [S.DRAFT]
    for i, org in enumerate(companies):
        state = S.APPROVED if org.pk in area else rng.choice(pending)
        sectors = list(org.sectors.all())
        main = sectors[0].code if sectors else "cyber"
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        submitted = (
            None
            if state == S.DRAFT
            else now - timedelta(days=rng.randint(1, 120), minutes=rng.randint(0, 600))
        )
        apps.append(
            Application(
                event=event,
                organisation=org,
                state=state,
                legal_name=org.name,
                country=org.country,
                address=f"{rng.randint(1, 200)} Business Park, {org.country.name}",
                registration_number=f"REG-{org.country.code}-{100000 + i}",
                vat_number=f"{org.country.code}{rng.randint(10**8, 10**9)}",
                website=org.website,
                contacts=[
                    {
                        "name": person,
                        "email": f"contact{i}@company.demo.test",
                        "phone": "",
                        "role": rng.choice(["CEO", "Sales director", "Export manager"]),
                    }
                ],
                products=", ".join(p for p, _d in PRODUCTS.get(main, PRODUCTS["cyber"])),
                exhibits=PRODUCTS.get(main, PRODUCTS["cyber"])[0][1],
                stand_kind="raw" if area.get(org.pk, 9) >= 36 else "shell",
                stand_area=max(6, int(area.get(org.pk, rng.choice([9, 12, 18, 24, 36])))),
                open_sides=rng.choice([1, 1, 2, 3]),
                submitted_at=submitted,
                terms_accepted_at=submitted,
                terms_version="1" if submitted else "",
                decided_at=submitted + timedelta(days=3)
                if submitted and state in (S.APPROVED, S.REJECTED)
                else None,
                reason="Outside the scope of the show." if state == S.REJECTED else "",
                screening=Application.Screening.NOT_SCREENED
                if state == S.DRAFT
                else Application.Screening.CLEAR,
                screened_version=0 if state == S.DRAFT else 1,
                created_by=mine if org.pk == own.pk else None,
            )
        )
    apps = Application.objects.bulk_create(apps, batch_size=500)
    for app, org in zip(apps, companies, strict=True):
        sector_rows += [
            Application.sectors.through(application_id=app.pk, sector_id=s.pk) for s in org.sectors.all()
        ]
        if halls:
            hall_rows.append(
                Application.preferred_halls.through(application_id=app.pk, hall_id=rng.choice(halls).pk)
            )
    Application.sectors.through.objects.bulk_create(sector_rows, batch_size=1000)
    Application.preferred_halls.through.objects.bulk_create(hall_rows, batch_size=1000)

    # Profiles and products of the approved companies, which are admitted to the show.
    approved = [(a, o) for a, o in zip(apps, companies, strict=True) if a.state == S.APPROVED]
    Organisation.objects.filter(pk__in=[o.pk for _a, o in approved]).update(
        admitted_at=now, admission_note="Application approved"
    )
    profiles = []
    for app, org in approved:
        sectors = list(org.sectors.all())
        names_en = ", ".join(s.name_en.lower() for s in sectors)
        names_fr = ", ".join(s.name_fr.lower() for s in sectors)
        products = PRODUCTS.get(sectors[0].code if sectors else "cyber", PRODUCTS["cyber"])
        text = " ".join(
            [org.name, app.legal_name, app.products]
            + [f"{p} {d}" for p, d in products]
            + [f"{s.name_en} {s.name_fr}" for s in sectors]
        )
        profiles.append(
            ExhibitorProfile(
                event=event,
                organisation=org,
                website=org.website,
                search_text=text,
                description_en=f"{org.name} supplies {names_en} to police, armed forces and operators of critical sites.",
                description_fr=f"{org.name} fournit des solutions ({names_fr}) aux forces de l'ordre et aux opérateurs.",
            )
        )
    profiles = ExhibitorProfile.objects.bulk_create(profiles, batch_size=500)
    product_rows, product_sector, contacts = [], [], []
    for profile, (app, org) in zip(profiles, approved, strict=True):
        sectors = list(org.sectors.all())
        for name, desc in PRODUCTS.get(sectors[0].code if sectors else "cyber", PRODUCTS["cyber"]):
            product_rows.append((Product(profile=profile, name=name, description=desc), sectors[:1]))
        contacts.append(
            ProfileContact(
                profile=profile,
                name=app.contacts[0]["name"],
                role=app.contacts[0]["role"],
                email=app.contacts[0]["email"],
                is_public=rng.random() < 0.6,
            )
        )
    created = Product.objects.bulk_create([p for p, _s in product_rows], batch_size=1000)
    for product, (_p, sectors) in zip(created, product_rows, strict=True):
        product_sector += [Product.sectors.through(product_id=product.pk, sector_id=s.pk) for s in sectors]
    Product.sectors.through.objects.bulk_create(product_sector, batch_size=1000)
    ProfileContact.objects.bulk_create(contacts, batch_size=1000)

    # The restricted-party list: some unrelated names, and variants of four demo companies.
    by_state = {s: [a for a in apps if a.state == s] for s in S.values}
    flagged = {
        "cleared": by_state[S.APPROVED][5],
        "cleared2": by_state[S.APPROVED][40],
        "confirmed": by_state[S.REJECTED][0],
        "open": by_state[S.SUBMITTED][0],
    }
    parties = [
        RestrictedParty(
            event=event,
            name="Krasnaya Zvezda Trading",
            aliases=["Red Star Trading"],
            country="RU",
            source="EU consolidated list",
        ),
        RestrictedParty(
            event=event,
            name="Golden Crescent Arms",
            aliases=["GCA Holdings"],
            country="",
            source="UN sanctions list",
        ),
        RestrictedParty(
            event=event, name="Pyongyang Precision Machinery", aliases=[], country="KP", source="OFAC SDN"
        ),
    ]
    for app in flagged.values():
        words = app.legal_name.split()
        variant = " ".join(reversed(words[:2])).upper().replace("E", "É", 1)  # word order and accents
        parties.append(
            RestrictedParty(
                event=event,
                name=variant,
                aliases=[],
                country=str(app.country),
                source="National export-control list",
            )
        )
    RestrictedParty.objects.bulk_create(parties)
    for key, app in flagged.items():
        services.screen_application(application=app)
        hits = ScreeningHit.objects.filter(application=app)
        if key.startswith("cleared"):
            hits.update(
                status=ScreeningHit.Status.CLEARED,
                reason="Different company: registration number checked",
                resolved_by=organiser,
                resolved_at=now,
            )
            Application.objects.filter(pk=app.pk).update(screening=Application.Screening.RESOLVED)
        elif key == "confirmed":
            hits.update(
                status=ScreeningHit.Status.CONFIRMED,
                reason="Same entity as listed",
                resolved_by=organiser,
                resolved_at=now,
            )
            Application.objects.filter(pk=app.pk).update(screening=Application.Screening.CONFIRMED)
    show.extra["applications"] = len(apps)
    show.say(
        f"{len(apps)} exhibitor applications ({len(approved)} approved), {len(parties)} restricted parties, "
        f"{ScreeningHit.objects.filter(application__event=event, status='open').count()} open screening hit(s) "
        f"in {time.perf_counter() - started:.1f} s"
    )
