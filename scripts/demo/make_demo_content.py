#!/usr/bin/env python3
"""Write tenantsite's demo tenant snapshots to content/tenants/.

Deterministic: no clock, no unseeded randomness; running it twice gives the same bytes.
Python 3.11, standard library only.

    python3 scripts/demo/make_demo_content.py            # writes content/tenants/*.json
    python3 scripts/demo/make_demo_content.py --out DIR  # writes elsewhere

Money is decimal.Decimal throughout, rounded half-up (away from zero) to the grosz/cent, and written as JSON
numbers with exactly two decimals by the small serialiser below; quantities are integers. All companies, people,
addresses, tax ids and document numbers are fictional (tax ids have valid check digits). The Microsoft skuIds and
part numbers are the real ones.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import random
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

D = Decimal
CENT = D("0.01")
CAPTURED = "2026-11-20T07:30:00Z"
CAPTURED_DATE = dt.date(2026, 11, 20)

# All ids are uuid5 over this namespace and a readable name, so they are stable and look like Microsoft's.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://tenantsite.example/demo-content/v1")


def gid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def money(x) -> Decimal:
    """Round half-up (away from zero) to 0.01."""
    return D(x).quantize(CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------------------------
# Real Microsoft SKUs (skuId, part number, friendly name)

SKUS = {
    "O365_BUSINESS_PREMIUM": ("f245ecc8-75af-4f8e-b61f-27d8114de5f3", "Microsoft 365 Business Standard"),
    "O365_BUSINESS_ESSENTIALS": ("3b555118-da6a-4418-894f-7df1e2096870", "Microsoft 365 Business Basic"),
    "SPB": ("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "Microsoft 365 Business Premium"),
    "EXCHANGESTANDARD": ("4b9405b0-7788-4568-add1-99614e613b69", "Exchange Online (Plan 1)"),
    "POWER_BI_PRO": ("f8a1db68-be16-40ed-86d5-cb42ce701560", "Power BI Pro"),
    "PROJECTPROFESSIONAL": ("53818b1b-4a27-454b-8896-0dba576410e6", "Project Plan 3"),
    "VISIOCLIENT": ("c5928f49-12ba-48f7-ada3-0d743a3601d5", "Visio Plan 2"),
    "Microsoft_365_Copilot": ("639dec6b-bb19-468b-871c-c5c441c4b0cb", "Microsoft 365 Copilot"),
    # Not in tenantsite's table of common part numbers: shows the unknown-part-number path (no productName).
    "RMSBASIC": ("093e8d14-a334-43d9-93e3-30589a8b47d0", None),
}


def sku_id(part: str) -> str:
    return SKUS[part][0]


def product_name(part: str) -> str:
    return SKUS[part][1] or part


# --------------------------------------------------------------------------------------------------------------
# Tax ids and KSeF numbers

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def nip_check_digit(first9: str) -> int:
    return sum(int(c) * w for c, w in zip(first9, NIP_WEIGHTS)) % 11


def make_nip(first9: str) -> str:
    """Complete nine digits to a valid NIP; when the check digit would be 10, step the ninth-digit block."""
    n = int(first9)
    while True:
        s = f"{n:09d}"
        c = nip_check_digit(s)
        if c != 10:
            return s + str(c)
        n += 1


def make_de_vat_id(first8: str) -> str:
    """German USt-IdNr.: DE + 8 digits + ISO 7064 MOD 11,10 check digit."""
    p = 10
    for c in first8:
        s = (int(c) + p) % 10 or 10
        p = (2 * s) % 11
    check = (11 - p) % 10
    return f"DE{first8}{check}"


def make_nl_vat_id(first8: str) -> str:
    """Dutch BTW-id of a legal entity: NL + RSIN (9 digits, eleven-test) + B01."""
    n = int(first8)
    while True:
        s = f"{n:08d}"
        total = sum(int(c) * w for c, w in zip(s, range(9, 1, -1)))
        check = total % 11
        if check < 10:
            return f"NL{s}{check}B01"
        n += 1


def crc8(data: bytes) -> int:
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def ksef_number(seller_nip: str, accepted: dt.date, document_id: str) -> str:
    """NIP-YYYYMMDD-<12 hex technical part>-<CRC-8 of the first 32 characters>, as KSeF assigns them."""
    tech = hashlib.sha256(("ksef/" + document_id).encode()).hexdigest()[:12].upper()
    data = f"{seller_nip}-{accepted:%Y%m%d}-{tech}"
    return f"{data}-{crc8(data.encode('ascii')):02X}"


# --------------------------------------------------------------------------------------------------------------
# Names and dates

FOLD = str.maketrans({
    "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
    "Ą": "a", "Ć": "c", "Ę": "e", "Ł": "l", "Ń": "n", "Ó": "o", "Ś": "s", "Ź": "z", "Ż": "z",
})
FOLD_DE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ı": "i",
                         "ğ": "g", "ş": "s", "ç": "c"})


def upn(first: str, last: str, domain: str, german: bool = False) -> str:
    table = FOLD_DE if german else FOLD
    local = f"{first}.{last}".translate(table).lower()
    assert local.isascii(), local
    return f"{local}@{domain}"


def ts(s: str) -> str:
    """'2025-12-01 09:12:44' -> RFC 3339 UTC."""
    return s.replace(" ", "T") + "Z"


def months(start: tuple[int, int], end: tuple[int, int]):
    y, m = start
    while (y, m) <= end:
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def prev_month(y: int, m: int) -> tuple[int, int]:
    return (y - 1, 12) if m == 1 else (y, m - 1)


def month_first(y: int, m: int) -> dt.date:
    return dt.date(y, m, 1)


def month_last(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def iso(d: dt.date) -> str:
    return d.isoformat()


PL_HOLIDAYS_EARLY_MONTH = {(1, 1), (5, 1), (5, 3), (11, 1)}  # the only public holidays that fall on days 1-3


def first_working_day_1_to_3(y: int, m: int) -> dt.date:
    for day in (1, 2, 3):
        d = dt.date(y, m, day)
        if d.weekday() < 5 and (m, day) not in PL_HOLIDAYS_EARLY_MONTH:
            return d
    return dt.date(y, m, 2)  # the billing run is automatic and also issues on a weekend


# --------------------------------------------------------------------------------------------------------------
# Building blocks


def subscription(*, id, part, status, is_trial, enabled, created, purchase_channel, commerce=None, suspended=0,
                 warning=0, locked_out=0, next_lifecycle=None, billing_cycle=None, term=None, auto_renew="absent",
                 unit_price=None, currency=None, purchased_by=None, with_product_name=True):
    s = {"id": id}
    if commerce:
        s["commerceSubscriptionId"] = commerce
    s["skuId"] = sku_id(part)
    s["skuPartNumber"] = part
    if with_product_name and SKUS[part][1]:
        s["productName"] = SKUS[part][1]
    s["status"] = status
    s["isTrial"] = is_trial
    s["prepaidUnits"] = {"enabled": enabled, "suspended": suspended, "warning": warning, "lockedOut": locked_out}
    s["consumedUnits"] = None  # filled in from the users below, so pools and users always agree
    s["createdDateTime"] = ts(created)
    if next_lifecycle:
        s["nextLifecycleDateTime"] = ts(next_lifecycle)
    if billing_cycle:
        s["billingCycle"] = billing_cycle
    if term:
        s["termDuration"] = term
    if auto_renew != "absent":
        s["autoRenewEnabled"] = auto_renew
    if unit_price is not None:
        s["unitPrice"] = money(unit_price)
        s["currencyCode"] = currency
    s["purchaseChannel"] = purchase_channel
    if purchased_by:
        s["purchasedBy"] = purchased_by
    return s


def fill_consumed_units(subs: list[dict], users: list[dict]) -> None:
    """consumedUnits = users holding a licence from that pool (an assignment in Error state consumes nothing)."""
    by_sku: dict[str, list[dict]] = {}
    for s in subs:
        by_sku.setdefault(s["skuId"], []).append(s)
    counts = {s["id"]: 0 for s in subs}
    for u in users:
        for a in u["licenseAssignmentStates"]:
            if a["state"] == "Error":
                continue
            sid = a.get("subscriptionId")
            if sid is None:
                pool = by_sku[a["skuId"]]
                assert len(pool) == 1, f"{u['userPrincipalName']}: ambiguous pool for {a['skuId']}"
                sid = pool[0]["id"]
            counts[sid] += 1
    for s in subs:
        s["consumedUnits"] = counts[s["id"]]


def invoice_line(description, quantity, unit, unit_price, vat_rate, subscription_id=None, start=None, end=None):
    quantity = D(quantity)
    unit_price = money(unit_price)
    subtotal = money(quantity * unit_price)
    tax = money(subtotal * D(vat_rate) / 100) if vat_rate.isdigit() else money(0)
    line = {
        "description": description,
        "quantity": int(quantity),
        "unit": unit,
        "unitPrice": unit_price,
        "vatRate": vat_rate,
        "subtotal": subtotal,
        "taxTotal": tax,
        "totalForCustomer": subtotal + tax,
    }
    if subscription_id:
        line["subscriptionId"] = subscription_id
    if start:
        line["chargeStartDate"] = iso(start)
    if end:
        line["chargeEndDate"] = iso(end)
    return line


def invoice(*, id, document_type="invoice", corrected=None, invoice_date, sale_date=None, due_date, period=None,
            currency, seller, buyer, lines, paid="all", ksef=None):
    total = sum((l["totalForCustomer"] for l in lines), money(0))
    inv = {"id": id, "documentType": document_type}
    if corrected:
        inv["correctedInvoiceId"] = corrected
    inv["invoiceDate"] = iso(invoice_date)
    if sale_date and sale_date != invoice_date:
        inv["saleDate"] = iso(sale_date)
    inv["dueDate"] = iso(due_date)
    if period:
        inv["billingPeriodStartDate"] = iso(period[0])
        inv["billingPeriodEndDate"] = iso(period[1])
    inv["currencyCode"] = currency
    inv["seller"] = seller
    inv["buyer"] = buyer
    inv["lines"] = lines
    inv["totalCharges"] = total
    inv["paidAmount"] = total if paid == "all" else money(paid)
    if ksef:
        inv["ksefNumber"] = ksef
    return inv


# --------------------------------------------------------------------------------------------------------------
# JSON: 2-space indent, UTF-8, Decimals as numbers with their exact digits


def to_json(o, indent: int = 0) -> str:
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(o, dict):
        if not o:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {to_json(v, indent + 1)}" for k, v in o.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(o, list):
        if not o:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in o) + "\n" + pad + "]"
    if isinstance(o, Decimal):
        if o == 0:
            o = abs(o)  # never write -0.00
        return format(o, "f")
    if isinstance(o, bool) or o is None:
        return json.dumps(o)
    if isinstance(o, int):
        return str(o)
    if isinstance(o, str):
        return json.dumps(o, ensure_ascii=False)
    raise TypeError(f"cannot write {type(o).__name__}: {o!r}")


# ==============================================================================================================
# 1. Kwiaciarnia Łąkowa sp. z o.o. — Kraków, home.pl, PLN, Polish


def kwiaciarnia_lakowa() -> dict:
    slug = "kwiaciarnia-lakowa"
    domain = "lakowa.pl"
    nip = make_nip("677238491")
    homepl_nip = make_nip("852004173")

    def sid(name):
        return gid(slug, "subscription", name)

    def cid(name):
        return gid(slug, "commerce-subscription", name)

    g_bstd = gid(slug, "group", "licencje-business-standard")
    g_bbasic = gid(slug, "group", "magazyn-business-basic")
    groups = [
        {"id": g_bstd, "displayName": "Licencje – Microsoft 365 Business Standard"},
        {"id": g_bbasic, "displayName": "Magazyn i pracownia – Business Basic"},
    ]

    S = {k: sid(k) for k in ("bstd", "bbasic", "spb", "exchange", "pbi-homepl", "rmsbasic", "project-trial",
                             "visio", "copilot", "pbi-lukasz", "pbi-malgorzata", "visio-trial-zdzislaw")}

    # (first, last, department, job title, enabled, [licences])
    # a licence: (part, subscription key or None, group or None, state, error)
    def lic(part, sub=None, group=None, state="Active", error="None"):
        return (part, sub, group, state, error)

    people = [
        ("Barbara", "Kwiatkowska", "Zarząd", "Prezes Zarządu", True,
         [lic("SPB"), lic("POWER_BI_PRO", "pbi-homepl"), lic("Microsoft_365_Copilot")]),
        ("Jerzy", "Ślęzak", "Zarząd", "Członek Zarządu", True, [lic("SPB")]),
        ("Igor", "Wąsowicz", "IT", "Administrator IT", True,
         [lic("SPB"), lic("VISIOCLIENT", "visio"), lic("PROJECTPROFESSIONAL")]),
        ("Łukasz", "Żółkiewski", "Sprzedaż", "Kierownik sprzedaży", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd), lic("POWER_BI_PRO", "pbi-lukasz"),
          lic("Microsoft_365_Copilot")]),
        ("Agnieszka", "Pietrzyk-Sołtys", "Sprzedaż", "Handlowiec", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd)]),
        ("Michał", "Jędrzejczak", "Sprzedaż", "Handlowiec", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd), lic("POWER_BI_PRO", "pbi-lukasz")]),
        ("Paweł", "Ćwikliński", "Sprzedaż", "Przedstawiciel handlowy", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd), lic("POWER_BI_PRO", "pbi-lukasz")]),
        ("Joanna", "Kołodziej", "Sprzedaż", "Specjalistka ds. e-commerce", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd), lic("POWER_BI_PRO", "pbi-homepl")]),
        ("Hanna", "Stępień", "Sprzedaż", "Specjalistka ds. marketingu", True,
         [lic("O365_BUSINESS_PREMIUM"), lic("VISIOCLIENT", "visio"), lic("PROJECTPROFESSIONAL")]),
        ("Piotr", "Żak", "Sprzedaż", "Handlowiec", False,  # left in September 2026; licence never removed
         [lic("O365_BUSINESS_PREMIUM")]),
        ("Małgorzata", "Wójcik", "Księgowość", "Główna księgowa", True,
         [lic("O365_BUSINESS_PREMIUM"), lic("POWER_BI_PRO", "pbi-malgorzata")]),
        ("Grażyna", "Dąbrowska", "Księgowość", "Specjalistka ds. księgowości", True,
         [lic("O365_BUSINESS_PREMIUM")]),
        ("Krystyna", "Bąk", "Księgowość", "Specjalistka ds. kadr i płac", True, [lic("O365_BUSINESS_PREMIUM")]),
        ("Ewa", "Łuczak", "Obsługa klienta", "Kierowniczka działu obsługi klienta", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd)]),
        ("Natalia", "Świątek", "Obsługa klienta", "Konsultantka", True,
         [lic("O365_BUSINESS_PREMIUM"),
          lic("O365_BUSINESS_ESSENTIALS", group=g_bbasic, state="ActiveWithError",
              error="MutuallyExclusiveViolation")]),
        ("Oskar", "Nowicki", "Obsługa klienta", "Konsultant", True, [lic("O365_BUSINESS_PREMIUM", group=g_bstd)]),
        ("Żaneta", "Kuźniar", "Obsługa klienta", "Konsultantka", True,
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd)]),
        ("Weronika", "Śliwińska", "Obsługa klienta", "Konsultantka", True,  # new hire: the pool is full
         [lic("O365_BUSINESS_PREMIUM", group=g_bstd, state="Error", error="CountViolation")]),
        ("Zdzisław", "Gąsiorowski", "Magazyn", "Kierownik magazynu", True,
         [lic("O365_BUSINESS_ESSENTIALS", group=g_bbasic), lic("VISIOCLIENT", "visio-trial-zdzislaw")]),
        ("Tomasz", "Źrebiec", "Magazyn", "Magazynier", True, [lic("O365_BUSINESS_ESSENTIALS", group=g_bbasic)]),
        ("Bartłomiej", "Szczęsny", "Magazyn", "Kierowca – dostawca", True,
         [lic("O365_BUSINESS_ESSENTIALS", group=g_bbasic)]),
        ("Mirosław", "Głąb", "Magazyn", "Magazynier", True, [lic("O365_BUSINESS_ESSENTIALS", group=g_bbasic)]),
        ("Dawid", "Mądry", "Magazyn", "Pracownik sezonowy", False, []),
        ("Renata", "Olszewska-Gródek", "Pracownia florystyczna", "Starsza florystka", True,
         [lic("O365_BUSINESS_ESSENTIALS")]),
        ("Katarzyna", "Wróbel", "Pracownia florystyczna", "Florystka", True, [lic("O365_BUSINESS_ESSENTIALS")]),
    ]

    users = []
    user_by_first = {}
    for first, last, dept, title, enabled, lics in people:
        u = {
            "id": gid(slug, "user", first, last),
            "displayName": f"{first} {last}",
            "userPrincipalName": upn(first, last, domain),
            "department": dept,
            "jobTitle": title,
            "accountEnabled": enabled,
            "licenseAssignmentStates": [],
        }
        for part, sub, group, state, error in lics:
            a = {"skuId": sku_id(part)}
            if sub:
                a["subscriptionId"] = S[sub]
            a["assignedByGroup"] = group  # Graph writes null for a direct assignment
            a["state"] = state
            a["error"] = error
            u["licenseAssignmentStates"].append(a)
        users.append(u)
        user_by_first[first] = u

    def buyer_of(first):
        u = user_by_first[first]
        return {"id": u["id"], "displayName": u["displayName"], "userPrincipalName": u["userPrincipalName"]}

    PLN = "PLN"
    P_BSTD, P_BBASIC_Y, P_SPB, P_EXCH, P_PBI, P_VISIO_Y, P_COPILOT = (
        D("54.40"), D("295.20"), D("92.50"), D("17.20"), D("58.90"), D("729.00"), D("126.40"))

    subs = [
        # Over-assigned: 13 licences paid for, 14 people hold one (one of them a disabled account), a new hire
        # is in CountViolation.
        subscription(id=S["bstd"], commerce=cid("bstd"), part="O365_BUSINESS_PREMIUM", status="active",
                     is_trial=False, enabled=13, created="2023-03-06 10:14:52",
                     next_lifecycle="2026-12-06 00:00:00", billing_cycle="monthly", term="P1M", auto_renew=True,
                     unit_price=P_BSTD, currency=PLN, purchase_channel="reseller"),
        # Unused licences: 10 bought for the year, 7 assigned. Annual billing.
        subscription(id=S["bbasic"], commerce=cid("bbasic"), part="O365_BUSINESS_ESSENTIALS", status="active",
                     is_trial=False, enabled=10, created="2024-06-14 08:03:11",
                     next_lifecycle="2027-06-14 00:00:00", billing_cycle="annual", term="P1Y", auto_renew=True,
                     unit_price=P_BBASIC_Y, currency=PLN, purchase_channel="reseller"),
        # Ends within 30 days and will not renew.
        subscription(id=S["spb"], commerce=cid("spb"), part="SPB", status="active", is_trial=False, enabled=3,
                     created="2025-12-01 09:12:44", next_lifecycle="2026-12-01 00:00:00", billing_cycle="monthly",
                     term="P1Y", auto_renew=False, unit_price=P_SPB, currency=PLN, purchase_channel="reseller"),
        # Suspended after the All Saints' Day season; its seasonal users' licences were removed.
        subscription(id=S["exchange"], commerce=cid("exchange"), part="EXCHANGESTANDARD", status="suspended",
                     is_trial=False, enabled=0, suspended=5, created="2025-10-01 07:45:09",
                     billing_cycle="monthly", term="P1M", auto_renew=True, unit_price=P_EXCH, currency=PLN,
                     purchase_channel="reseller"),
        subscription(id=S["pbi-homepl"], commerce=cid("pbi-homepl"), part="POWER_BI_PRO", status="active",
                     is_trial=False, enabled=2, created="2024-02-01 11:30:27", next_lifecycle="2026-12-01 00:00:00",
                     billing_cycle="monthly", term="P1M", auto_renew=True, unit_price=P_PBI, currency=PLN,
                     purchase_channel="reseller"),
        # Free SKU Microsoft adds on its own; part number unknown to tenantsite, nothing known about renewal.
        subscription(id=S["rmsbasic"], part="RMSBASIC", status="active", is_trial=False, enabled=1,
                     created="2023-03-06 10:09:37", purchase_channel="direct"),
        # Trial started in the Microsoft 365 admin center; no productName (tenantsite's table names it).
        subscription(id=S["project-trial"], commerce=cid("project-trial"), part="PROJECTPROFESSIONAL",
                     status="active", is_trial=True, enabled=25, created="2026-10-28 13:52:06",
                     next_lifecycle="2026-11-27 13:52:06", purchase_channel="direct", with_product_name=False),
        # Expired on 8 November 2026 (not renewed): users keep working until it is disabled on 8 December.
        subscription(id=S["visio"], commerce=cid("visio"), part="VISIOCLIENT", status="expired", is_trial=False,
                     enabled=0, warning=2, created="2025-11-08 12:20:41", next_lifecycle="2026-12-08 00:00:00",
                     billing_cycle="annual", term="P1Y", auto_renew=False, unit_price=P_VISIO_Y, currency=PLN,
                     purchase_channel="reseller"),
        subscription(id=S["copilot"], commerce=cid("copilot"), part="Microsoft_365_Copilot", status="active",
                     is_trial=False, enabled=2, created="2026-03-01 08:00:15", next_lifecycle="2027-03-01 00:00:00",
                     billing_cycle="monthly", term="P1Y", auto_renew=True, unit_price=P_COPILOT, currency=PLN,
                     purchase_channel="reseller"),
        # Self-service: two Power BI Pro purchases by two people, one renewing within 30 days; one Visio trial.
        subscription(id=S["pbi-lukasz"], commerce=cid("pbi-lukasz"), part="POWER_BI_PRO", status="active",
                     is_trial=False, enabled=3, created="2025-12-04 15:41:02", next_lifecycle="2026-12-04 15:41:02",
                     billing_cycle="monthly", term="P1M", auto_renew=True, unit_price="60.50", currency=PLN,
                     purchase_channel="selfService", purchased_by=buyer_of("Łukasz")),
        subscription(id=S["pbi-malgorzata"], commerce=cid("pbi-malgorzata"), part="POWER_BI_PRO", status="active",
                     is_trial=False, enabled=1, created="2026-03-15 10:06:58",
                     next_lifecycle="2027-03-15 10:06:58", billing_cycle="annual", term="P1Y", auto_renew=True,
                     unit_price="646.80", currency=PLN, purchase_channel="selfService",
                     purchased_by=buyer_of("Małgorzata")),
        subscription(id=S["visio-trial-zdzislaw"], commerce=cid("visio-trial-zdzislaw"), part="VISIOCLIENT",
                     status="active", is_trial=True, enabled=1, created="2026-11-02 09:17:33",
                     next_lifecycle="2026-12-02 09:17:33", auto_renew=False, purchase_channel="selfService",
                     purchased_by=buyer_of("Zdzisław")),
    ]
    fill_consumed_units(subs, users)

    # ---- invoices: home.pl bills the previous month at the start of each month (arrears)
    seller = {"name": "home.pl S.A.", "addressLines": ["ul. Zbożowa 4", "70-653 Szczecin"], "nip": homepl_nip,
              "countryCode": "PL"}
    buyer = {"name": "Kwiaciarnia Łąkowa sp. z o.o.", "addressLines": ["ul. Józefińska 12 lok. 3", "30-529 Kraków"],
             "nip": nip, "countryCode": "PL"}

    bstd_qty = {}
    for y, m in months((2025, 4), (2026, 10)):
        if (y, m) <= (2025, 8):
            bstd_qty[(y, m)] = 13
        elif (y, m) <= (2026, 5):
            bstd_qty[(y, m)] = 15  # May 2026 was billed for 15 although the pool went down to 13: credit note
        else:
            bstd_qty[(y, m)] = 13

    def monthly(part, sub, qty, price, y, m):
        return invoice_line(f"{product_name(part)} — licencja miesięczna", qty, "szt.", price, "23", S[sub],
                            month_first(y, m), month_last(y, m))

    def annual(part, sub, qty, price, start: dt.date):
        end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
        return invoice_line(f"{product_name(part)} — licencja roczna", qty, "szt.", price, "23", S[sub], start, end)

    rng = random.Random(20261120)
    invoices = []
    special = {}
    for iy, im in months((2025, 5), (2026, 11)):
        by, bm = prev_month(iy, im)
        lines = [monthly("O365_BUSINESS_PREMIUM", "bstd", bstd_qty[(by, bm)], P_BSTD, by, bm)]
        if (by, bm) == (2025, 6):
            lines.append(annual("O365_BUSINESS_ESSENTIALS", "bbasic", 8, P_BBASIC_Y, dt.date(2025, 6, 14)))
        if (by, bm) == (2026, 6):
            lines.append(annual("O365_BUSINESS_ESSENTIALS", "bbasic", 10, P_BBASIC_Y, dt.date(2026, 6, 14)))
        if (2025, 12) <= (by, bm):
            lines.append(monthly("SPB", "spb", 3, P_SPB, by, bm))
        if (by, bm) in {(2025, 10), (2025, 11), (2026, 10)}:
            lines.append(monthly("EXCHANGESTANDARD", "exchange", 5, P_EXCH, by, bm))
        lines.append(monthly("POWER_BI_PRO", "pbi-homepl", 2, P_PBI, by, bm))
        if (by, bm) == (2025, 11):
            lines.append(annual("VISIOCLIENT", "visio", 2, P_VISIO_Y, dt.date(2025, 11, 8)))
        if (2026, 3) <= (by, bm):
            lines.append(monthly("Microsoft_365_Copilot", "copilot", 2, P_COPILOT, by, bm))
        if (by, bm) == (2025, 10):
            lines.append(invoice_line("Migracja skrzynek pocztowych", 1, "usł.", "1450.00", "23"))

        # The November 2026 invoice went out on the 9th (so on 20 November it is unpaid but not yet due).
        issued = dt.date(2026, 11, 9) if (iy, im) == (2026, 11) else first_working_day_1_to_3(iy, im)
        number = f"FV/{iy}/{im:02d}/{rng.randint(120, 9800):05d}"
        paid = "all"
        if (iy, im) == (2026, 11):
            paid = 0  # latest: not yet due
        elif (iy, im) == (2026, 9):
            paid = 0  # overdue since 16 September
        elif (iy, im) == (2026, 10):
            # partially paid: transferred everything except the Copilot line
            paid = sum((l["totalForCustomer"] for l in lines if l.get("subscriptionId") != S["copilot"]),
                       money(0))
        inv = invoice(id=number, invoice_date=issued, sale_date=month_last(by, bm),
                      due_date=issued + dt.timedelta(days=14), period=(month_first(by, bm), month_last(by, bm)),
                      currency=PLN, seller=seller, buyer=buyer, lines=lines, paid=paid,
                      ksef=ksef_number(homepl_nip, issued, number) if issued >= dt.date(2026, 2, 1) else None)
        invoices.append(inv)
        special[(iy, im)] = inv

    # Credit note: May 2026 was billed for 15 Business Standard licences; the pool was 13 from 1 May.
    corrected = special[(2026, 6)]
    cn_date = dt.date(2026, 6, 18)
    cn_id = "FK/2026/06/00007"
    cn_lines = [invoice_line("Microsoft 365 Business Standard — licencja miesięczna (korekta ilości: 15 → 13)", -2,
                             "szt.", P_BSTD, "23", S["bstd"], dt.date(2026, 5, 1), dt.date(2026, 5, 31))]
    credit = invoice(id=cn_id, document_type="creditNote", corrected=corrected["id"], invoice_date=cn_date,
                     due_date=cn_date + dt.timedelta(days=14), period=(dt.date(2026, 5, 1), dt.date(2026, 5, 31)),
                     currency=PLN, seller=seller, buyer=buyer, lines=cn_lines, paid="all",  # refunded
                     ksef=ksef_number(homepl_nip, cn_date, cn_id))
    invoices.insert(invoices.index(corrected) + 1, credit)

    return {
        "schemaVersion": 1,
        "capturedDateTime": CAPTURED,
        "tenant": {
            "id": gid(slug, "tenant"),
            "displayName": "Kwiaciarnia Łąkowa sp. z o.o.",
            "defaultDomain": domain,
            "countryLetterCode": "PL",
            "preferredLanguage": "pl",
            "nip": nip,
            "billingContact": {"displayName": "Księgowość – Kwiaciarnia Łąkowa", "email": "ksiegowosc@lakowa.pl"},
            "management": {"channel": "home.pl", "partnerName": "home.pl S.A.",
                           "panelLastSyncedDateTime": "2026-11-19T05:27:41Z"},
        },
        "groups": groups,
        "subscriptions": subs,
        "users": users,
        "invoices": invoices,
    }


# ==============================================================================================================
# 2. Nordlicht Logistics GmbH — Hamburg, Partner Center partner, EUR, English


def nordlicht_logistics() -> dict:
    slug = "northwind-gmbh"
    domain = "nordlicht-logistics.de"

    def sid(name):
        return gid(slug, "subscription", name)

    S = {k: sid(k) for k in ("spb", "bbasic", "exchange", "project", "pbi-emily")}

    people = [
        ("Jan", "Petersen", "Management", "Managing Director", ["SPB"]),
        ("Sabine", "Köhler", "Finance", "Head of Finance", ["SPB"]),
        ("Emily", "Carter", "Finance", "Financial Controller", ["SPB", ("POWER_BI_PRO", "pbi-emily")]),
        ("Jürgen", "Weiß", "Operations", "Head of Dispatch", ["SPB"]),
        ("Anke", "Schröder", "Operations", "Dispatcher", ["O365_BUSINESS_ESSENTIALS"]),
        ("Björn", "Müller", "IT", "IT Administrator", ["SPB"]),
        ("Katharina", "Groß", "Sales", "Key Account Manager", ["SPB"]),
        ("Oliver", "Hughes", "Sales", "Sales Manager UK", ["SPB", ("POWER_BI_PRO", "pbi-emily")]),
        ("Özlem", "Yılmaz", "Customer Service", "Customer Service Agent", ["EXCHANGESTANDARD"]),
        ("Frieda", "Lange", "Customer Service", "Customer Service Agent", ["EXCHANGESTANDARD"]),
        ("Thomas", "Brandt", "Warehouse", "Warehouse Lead", ["O365_BUSINESS_ESSENTIALS"]),
        ("Mehmet", "Demir", "Warehouse", "Warehouse Operative", ["O365_BUSINESS_ESSENTIALS"]),
    ]
    users = []
    by_first = {}
    for first, last, dept, title, lics in people:
        u = {
            "id": gid(slug, "user", first, last),
            "displayName": f"{first} {last}",
            "userPrincipalName": upn(first, last, domain, german=True),
            "department": dept,
            "jobTitle": title,
            "accountEnabled": True,
            "licenseAssignmentStates": [],
        }
        for l in lics:
            part, sub = (l, None) if isinstance(l, str) else l
            a = {"skuId": sku_id(part)}
            if sub:
                a["subscriptionId"] = S[sub]
            a["state"] = "Active"
            u["licenseAssignmentStates"].append(a)
        users.append(u)
        by_first[first] = u

    EUR = "EUR"
    P_SPB, P_BBASIC_Y, P_EXCH, P_PROJECT = D("20.60"), D("67.20"), D("4.44"), D("28.00")
    emily = by_first["Emily"]
    subs = [
        subscription(id=S["spb"], part="SPB", status="active", is_trial=False, enabled=8,
                     created="2024-02-01 09:00:12", next_lifecycle="2027-02-01 00:00:00", billing_cycle="monthly",
                     term="P1Y", auto_renew=True, unit_price=P_SPB, currency=EUR, purchase_channel="partner"),
        subscription(id=S["bbasic"], part="O365_BUSINESS_ESSENTIALS", status="active", is_trial=False, enabled=4,
                     created="2024-09-10 14:22:40", next_lifecycle="2027-09-10 00:00:00", billing_cycle="annual",
                     term="P1Y", auto_renew=True, unit_price=P_BBASIC_Y, currency=EUR, purchase_channel="partner"),
        subscription(id=S["exchange"], part="EXCHANGESTANDARD", status="active", is_trial=False, enabled=2,
                     created="2025-03-01 08:31:05", next_lifecycle="2026-12-01 00:00:00", billing_cycle="monthly",
                     term="P1M", auto_renew=True, unit_price=P_EXCH, currency=EUR, purchase_channel="partner"),
        # Term ended 31 August 2026, not renewed: expired in September, disabled since 1 October (only admins
        # reach the data), deleted on 30 December.
        subscription(id=S["project"], part="PROJECTPROFESSIONAL", status="disabled", is_trial=False, enabled=0,
                     suspended=2, created="2025-09-01 10:05:59", next_lifecycle="2026-12-30 00:00:00",
                     billing_cycle="monthly", term="P1Y", auto_renew=False, unit_price=P_PROJECT, currency=EUR,
                     purchase_channel="partner"),
        subscription(id=S["pbi-emily"], part="POWER_BI_PRO", status="active", is_trial=False, enabled=2,
                     created="2026-02-17 16:48:21", next_lifecycle="2026-12-17 16:48:21", billing_cycle="monthly",
                     term="P1M", auto_renew=True, unit_price="14.00", currency=EUR, purchase_channel="selfService",
                     purchased_by={"id": emily["id"], "displayName": emily["displayName"],
                                   "userPrincipalName": emily["userPrincipalName"]}),
    ]
    fill_consumed_units(subs, users)

    seller = {"name": "Contoso Cloud Partners B.V.",
              "addressLines": ["Keizersgracht 520", "1017 EK Amsterdam", "Netherlands"],
              "vatId": make_nl_vat_id("85912034"), "countryCode": "NL"}
    buyer = {"name": "Nordlicht Logistics GmbH", "addressLines": ["Am Sandtorkai 50", "20457 Hamburg", "Germany"],
             "vatId": make_de_vat_id("31845207"), "countryCode": "DE"}

    def monthly(part, sub, qty, price, y, m):
        return invoice_line(f"{product_name(part)} — monthly licence", qty, "licence", price, "oo", S[sub],
                            month_first(y, m), month_last(y, m))

    rng = random.Random(4711)
    counters = {2025: 4380, 2026: 0}
    invoices = []
    for iy, im in months((2025, 11), (2026, 11)):
        by, bm = prev_month(iy, im)
        lines = [monthly("SPB", "spb", 7 if (by, bm) <= (2026, 1) else 8, P_SPB, by, bm)]
        if (by, bm) == (2026, 9):
            start = dt.date(2026, 9, 10)
            lines.append(invoice_line("Microsoft 365 Business Basic — annual licence", 4, "licence", P_BBASIC_Y,
                                      "oo", S["bbasic"], start, dt.date(2027, 9, 9)))
        lines.append(monthly("EXCHANGESTANDARD", "exchange", 2, P_EXCH, by, bm))
        if (by, bm) <= (2026, 8):
            lines.append(monthly("PROJECTPROFESSIONAL", "project", 2, P_PROJECT, by, bm))
        counters[iy] += rng.randint(180, 420)
        number = f"INV-{iy}-{counters[iy]:06d}"
        issued = dt.date(iy, im, 6)
        invoices.append(invoice(id=number, invoice_date=issued, due_date=issued + dt.timedelta(days=30),
                                period=(month_first(by, bm), month_last(by, bm)), currency=EUR, seller=seller,
                                buyer=buyer, lines=lines, paid=0 if (iy, im) == (2026, 11) else "all"))

    return {
        "schemaVersion": 1,
        "capturedDateTime": CAPTURED,
        "tenant": {
            "id": gid(slug, "tenant"),
            "displayName": "Nordlicht Logistics GmbH",
            "defaultDomain": domain,
            "countryLetterCode": "DE",
            "preferredLanguage": "en",
            "billingContact": {"displayName": "Nordlicht Logistics – Accounts Payable",
                               "email": "accounts-payable@nordlicht-logistics.de"},
            "management": {"channel": "partner", "partnerName": "Contoso Cloud Partners B.V."},
        },
        "subscriptions": subs,
        "users": users,
        "invoices": invoices,
    }


# ==============================================================================================================
# 3. Biuro Rachunkowe „Abakus” s.c. — Lublin, AZ.pl, PLN, Polish, no self-service purchases


def biuro_abakus() -> dict:
    slug = "biuro-rachunkowe-abakus"
    domain = "abakus-lublin.pl"
    nip = make_nip("712395068")
    azpl_nip = make_nip("852257314")

    S = {k: gid(slug, "subscription", k) for k in ("bbasic", "exchange")}
    people = [
        ("Teresa", "Mazur", "Kierownictwo", "Właścicielka, biegła rewidentka", "O365_BUSINESS_ESSENTIALS"),
        ("Ryszard", "Pękala", "Kierownictwo", "Wspólnik, główny księgowy", "O365_BUSINESS_ESSENTIALS"),
        ("Dorota", "Śmigielska", "Księgowość", "Księgowa", "O365_BUSINESS_ESSENTIALS"),
        ("Kamil", "Jóźwiak", "Kadry i płace", "Specjalista ds. kadr i płac", "EXCHANGESTANDARD"),
        ("Alicja", "Góralczyk-Nowak", "Sekretariat", "Asystentka biura", "EXCHANGESTANDARD"),
    ]
    users = [{
        "id": gid(slug, "user", first, last),
        "displayName": f"{first} {last}",
        "userPrincipalName": upn(first, last, domain),
        "department": dept,
        "jobTitle": title,
        "accountEnabled": True,
        "licenseAssignmentStates": [{"skuId": sku_id(part), "state": "Active"}],
    } for first, last, dept, title, part in people]

    PLN = "PLN"
    P_BBASIC, P_EXCH_Y = D("25.90"), D("198.00")
    subs = [
        subscription(id=S["bbasic"], commerce=gid(slug, "commerce", "bbasic"), part="O365_BUSINESS_ESSENTIALS",
                     status="active", is_trial=False, enabled=4, created="2024-01-08 12:40:03",
                     next_lifecycle="2026-12-08 00:00:00", billing_cycle="monthly", term="P1M", auto_renew=True,
                     unit_price=P_BBASIC, currency=PLN, purchase_channel="reseller"),
        subscription(id=S["exchange"], commerce=gid(slug, "commerce", "exchange"), part="EXCHANGESTANDARD",
                     status="active", is_trial=False, enabled=2, created="2025-06-10 09:55:18",
                     next_lifecycle="2027-06-10 00:00:00", billing_cycle="annual", term="P1Y", auto_renew=True,
                     unit_price=P_EXCH_Y, currency=PLN, purchase_channel="reseller"),
    ]
    fill_consumed_units(subs, users)

    seller = {"name": "AZ.pl sp. z o.o.", "addressLines": ["ul. Zbożowa 4", "70-653 Szczecin"], "nip": azpl_nip,
              "countryCode": "PL"}
    buyer = {"name": "Biuro Rachunkowe „Abakus” s.c. Teresa Mazur, Ryszard Pękala",
             "addressLines": ["ul. Narutowicza 37/4", "20-016 Lublin"], "nip": nip, "countryCode": "PL"}

    rng = random.Random(712)
    invoices = []
    for iy, im in months((2026, 4), (2026, 11)):
        by, bm = prev_month(iy, im)
        lines = [invoice_line("Microsoft 365 Business Basic — licencja miesięczna", 4, "szt.", P_BBASIC, "23",
                              S["bbasic"], month_first(by, bm), month_last(by, bm))]
        if (by, bm) == (2026, 6):
            lines.append(invoice_line("Exchange Online (Plan 1) — licencja roczna", 2, "szt.", P_EXCH_Y, "23",
                                      S["exchange"], dt.date(2026, 6, 10), dt.date(2027, 6, 9)))
        issued = first_working_day_1_to_3(iy, im)
        number = f"FV/AZ/{iy}/{im:02d}/{rng.randint(1000, 48000):06d}"
        invoices.append(invoice(id=number, invoice_date=issued, sale_date=month_last(by, bm),
                                due_date=issued + dt.timedelta(days=14),
                                period=(month_first(by, bm), month_last(by, bm)), currency=PLN, seller=seller,
                                buyer=buyer, lines=lines, paid=0 if (iy, im) == (2026, 10) else "all",
                                ksef=ksef_number(azpl_nip, issued, number)))

    return {
        "schemaVersion": 1,
        "capturedDateTime": CAPTURED,
        "tenant": {
            "id": gid(slug, "tenant"),
            "displayName": "Biuro Rachunkowe „Abakus” s.c.",
            "defaultDomain": domain,
            "countryLetterCode": "PL",
            "preferredLanguage": "pl",
            "nip": nip,
            "billingContact": {"displayName": "Teresa Mazur", "email": "biuro@abakus-lublin.pl"},
            "management": {"channel": "az.pl", "partnerName": "AZ.pl sp. z o.o.",
                           "panelLastSyncedDateTime": "2026-11-20T05:34:12Z"},
        },
        "subscriptions": subs,
        "users": users,
        "invoices": invoices,
    }


TENANTS = {
    "kwiaciarnia-lakowa": kwiaciarnia_lakowa,
    "northwind-gmbh": nordlicht_logistics,
    "biuro-rachunkowe-abakus": biuro_abakus,
}


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=root / "content" / "tenants")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for slug, build in TENANTS.items():
        text = to_json(build()) + "\n"
        # The text must read back to the same data, with every decimal exact.
        json.loads(text, parse_float=Decimal)
        path = args.out / f"{slug}.json"
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
