#!/usr/bin/env python3
"""Check tenant snapshots against docs/snapshot.schema.json and the cross-checks of docs/snapshot-format.md.

    python3 scripts/demo/check_demo_content.py                 # every content/tenants/*.json
    python3 scripts/demo/check_demo_content.py FILE...         # just these
    python3 scripts/demo/check_demo_content.py --contract-only # skip the extra demo-consistency checks

Prints one line per problem, `FILE: JSON.PATH: MESSAGE`, and exits 1 when there is any. Numbers are read as
decimal.Decimal (never float), so the arithmetic checks are exact.

Three groups of checks:
  schema    — the JSON Schema (draft 2020-12), with format checks for date/date-time/email;
  contract  — the cross-checks snapshot-format.md lists (what `tenantsite check` enforces), plus a few things the
              format implies: real calendar dates, no duplicate keys, no NaN/Infinity, a subscriptionId on a licence
              names a subscription of the same skuId;
  demo      — stricter rules for the demo content only (not errors in customer data): consumedUnits equals the
              users holding a licence from that pool, purchasedBy names a user in the file, KSeF numbers have the
              right structure and CRC-8, money has exactly two decimals, due dates are not before issue dates.
Needs the `jsonschema` package (4.x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "docs" / "snapshot.schema.json"
CENT = Decimal("0.01")

# ISO 4217 (active codes, plus funds codes and a few kept for old documents: HRK, SLL, ZWL, ANG, VEF).
ISO_4217 = set("""
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF
CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP
LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN
PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VEF VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD
XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
""".split())

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
KSEF_RE = re.compile(r"^([0-9]{10})-([0-9]{8})-([0-9A-F]{12})-([0-9A-F]{2})$")
MONEY_FIELDS = ("unitPrice", "subtotal", "taxTotal", "totalForCustomer", "totalCharges", "paidAmount")


def json_path(parts) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def nip_valid(nip: str) -> bool:
    if not re.fullmatch(r"[0-9]{10}", nip):
        return False
    check = sum(int(c) * w for c, w in zip(nip, NIP_WEIGHTS)) % 11
    return check != 10 and check == int(nip[9])


def crc8(data: bytes) -> int:
    crc = 0
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def half_up(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


class DuplicateKey(ValueError):
    pass


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise DuplicateKey(k)
        d[k] = v
    return d


def reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


class Checker:
    def __init__(self, schema: dict, contract_only: bool):
        self.validator_cls = jsonschema.validators.validator_for(schema)
        self.validator_cls.check_schema(schema)
        self.validator = self.validator_cls(schema, format_checker=self.validator_cls.FORMAT_CHECKER)
        self.slug_re = re.compile(schema["$defs"]["slug"]["pattern"])
        self.contract_only = contract_only
        self.problems: list[str] = []

    def report(self, file: str, path, message: str) -> None:
        self.problems.append(f"{file}: {json_path(path)}: {message}")

    # ---------------------------------------------------------------------------------------------------------
    def check_file(self, path: Path) -> None:
        try:
            name = str(path.resolve().relative_to(ROOT))
        except ValueError:
            name = str(path)
        if not self.slug_re.fullmatch(path.stem) or path.suffix != ".json":
            self.report(name, [], f"file name {path.name!r}: the slug must match {self.slug_re.pattern} + .json")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            self.report(name, [], f"not UTF-8: {e}")
            return
        try:
            data = json.loads(text, parse_float=Decimal, object_pairs_hook=no_duplicates,
                              parse_constant=reject_constant)
        except DuplicateKey as e:
            self.report(name, [], f"duplicate key {e.args[0]!r} in an object")
            return
        except ValueError as e:
            self.report(name, [], f"not valid JSON: {e}")
            return

        schema_ok = True
        for err in sorted(self.validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            schema_ok = False
            self.report(name, list(err.absolute_path), f"schema: {err.message}")
        if not isinstance(data, dict):
            return
        # The cross-checks tolerate a partly invalid file, but only walk what has the right shape.
        self.contract(name, data)
        if not self.contract_only and schema_ok:
            self.demo(name, data)

    # ---------------------------------------------------------------------------------------------------------
    def contract(self, f: str, data: dict) -> None:
        def objs(key):
            v = data.get(key)
            return [(i, x) for i, x in enumerate(v) if isinstance(x, dict)] if isinstance(v, list) else []

        subs, users, invoices = objs("subscriptions"), objs("users"), objs("invoices")
        groups_given = isinstance(data.get("groups"), list)
        groups = objs("groups")

        def unique(items, section, key, fold=False):
            seen = {}
            for i, x in items:
                v = x.get(key)
                if not isinstance(v, str):
                    continue
                k = v.casefold() if fold else v
                if k in seen:
                    self.report(f, [section, i, key], f"{v!r} is already used by {section}[{seen[k]}]")
                else:
                    seen[k] = i
            return seen

        sub_index = unique(subs, "subscriptions", "id")
        unique(users, "users", "id")
        unique(users, "users", "userPrincipalName", fold=True)  # sign-in names are case-insensitive
        inv_index = unique(invoices, "invoices", "id")
        group_index = unique(groups, "groups", "id", fold=True)
        sub_by_id = {x["id"]: x for _, x in subs if isinstance(x.get("id"), str)}
        sku_ids = {x["skuId"].lower() for _, x in subs if isinstance(x.get("skuId"), str)}

        # licences
        for ui, u in users:
            lics = u.get("licenseAssignmentStates")
            if not isinstance(lics, list):
                continue
            for li, a in enumerate(lics):
                if not isinstance(a, dict):
                    continue
                p = ["users", ui, "licenseAssignmentStates", li]
                sku = a.get("skuId")
                if isinstance(sku, str) and sku.lower() not in sku_ids:
                    self.report(f, p + ["skuId"], f"no subscription has skuId {sku}")
                sid = a.get("subscriptionId")
                if isinstance(sid, str):
                    if sid not in sub_index:
                        self.report(f, p + ["subscriptionId"], f"no subscription has id {sid!r}")
                    elif isinstance(sku, str) and str(sub_by_id[sid].get("skuId", "")).lower() != sku.lower():
                        self.report(f, p + ["subscriptionId"],
                                    f"subscription {sid!r} is for skuId {sub_by_id[sid].get('skuId')}, not {sku}")
                g = a.get("assignedByGroup")
                if isinstance(g, str) and groups_given and g.casefold() not in group_index:
                    self.report(f, p + ["assignedByGroup"], f"no group has id {g}")

        # tax ids and currencies
        tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
        if isinstance(tenant.get("nip"), str) and not nip_valid(tenant["nip"]):
            self.report(f, ["tenant", "nip"], f"NIP {tenant['nip']} has a wrong check digit")
        for si, s in subs:
            c = s.get("currencyCode")
            if isinstance(c, str) and c not in ISO_4217:
                self.report(f, ["subscriptions", si, "currencyCode"], f"{c!r} is not an ISO 4217 currency code")

        # invoices
        for ii, inv in invoices:
            p = ["invoices", ii]
            c = inv.get("currencyCode")
            if isinstance(c, str) and c not in ISO_4217:
                self.report(f, p + ["currencyCode"], f"{c!r} is not an ISO 4217 currency code")
            for party in ("seller", "buyer"):
                pv = inv.get(party)
                if isinstance(pv, dict) and isinstance(pv.get("nip"), str) and not nip_valid(pv["nip"]):
                    self.report(f, p + [party, "nip"], f"NIP {pv['nip']} has a wrong check digit")
            corrected = inv.get("correctedInvoiceId")
            if isinstance(corrected, str):
                if corrected not in inv_index:
                    self.report(f, p + ["correctedInvoiceId"], f"no invoice has id {corrected!r}")
                elif corrected == inv.get("id"):
                    self.report(f, p + ["correctedInvoiceId"], "a document cannot correct itself")
            lines = inv.get("lines")
            total = Decimal(0)
            lines_ok = isinstance(lines, list)
            for li, line in enumerate(lines if isinstance(lines, list) else []):
                lp = p + ["lines", li]
                if not isinstance(line, dict):
                    lines_ok = False
                    continue
                sid = line.get("subscriptionId")
                if isinstance(sid, str) and sid not in sub_index:
                    self.report(f, lp + ["subscriptionId"], f"no subscription has id {sid!r}")
                q, up, st, tx, tot, rate = (line.get(k) for k in
                                            ("quantity", "unitPrice", "subtotal", "taxTotal", "totalForCustomer",
                                             "vatRate"))
                nums = (q, up, st, tx, tot)
                if not all(isinstance(n, (int, Decimal)) and not isinstance(n, bool) for n in nums) \
                        or not isinstance(rate, str):
                    lines_ok = False
                    continue
                want_st = half_up(Decimal(q) * Decimal(up))
                if st != want_st:
                    self.report(f, lp + ["subtotal"], f"{st} ≠ quantity × unitPrice = {q} × {up} = {want_st}")
                if rate.isdigit():
                    want_tx = half_up(Decimal(st) * Decimal(rate) / 100)
                    why = f"subtotal × {rate}% = {want_tx}"
                else:
                    want_tx, why = Decimal(0), f"0 for vatRate {rate!r}"
                if tx != want_tx:
                    self.report(f, lp + ["taxTotal"], f"{tx} ≠ {why}")
                if tot != st + tx:
                    self.report(f, lp + ["totalForCustomer"], f"{tot} ≠ subtotal + taxTotal = {st + tx}")
                total += tot
            tc = inv.get("totalCharges")
            if lines_ok and isinstance(tc, (int, Decimal)) and not isinstance(tc, bool) and tc != total:
                self.report(f, p + ["totalCharges"], f"{tc} ≠ the sum of the lines' totalForCustomer = {total}")

        # calendar validity of every date and timestamp (the schema patterns only check the shape)
        self.walk_dates(f, data, [])

    DATE_KEYS = {"invoiceDate", "saleDate", "dueDate", "billingPeriodStartDate", "billingPeriodEndDate",
                 "chargeStartDate", "chargeEndDate", "date"}
    TS_KEYS = {"capturedDateTime", "createdDateTime", "nextLifecycleDateTime", "panelLastSyncedDateTime"}

    def walk_dates(self, f, node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, str) and k in self.DATE_KEYS and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
                    try:
                        dt.date.fromisoformat(v)
                    except ValueError:
                        self.report(f, path + [k], f"{v!r} is not a calendar date")
                elif isinstance(v, str) and k in self.TS_KEYS:
                    try:
                        dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
                    except ValueError:
                        self.report(f, path + [k], f"{v!r} is not a valid timestamp")
                else:
                    self.walk_dates(f, v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                self.walk_dates(f, v, path + [i])

    # ---------------------------------------------------------------------------------------------------------
    def demo(self, f: str, data: dict) -> None:
        subs, users, invoices = data["subscriptions"], data["users"], data["invoices"]
        by_sku: dict[str, list[dict]] = {}
        for s in subs:
            by_sku.setdefault(s["skuId"].lower(), []).append(s)
        held = {s["id"]: 0 for s in subs}
        for ui, u in enumerate(users):
            seen = set()
            for li, a in enumerate(u["licenseAssignmentStates"]):
                sid = a.get("subscriptionId")
                pool = by_sku.get(a["skuId"].lower(), [])
                if sid is None:
                    if len(pool) > 1:
                        self.report(f, ["users", ui, "licenseAssignmentStates", li],
                                    f"demo: {len(pool)} subscriptions have skuId {a['skuId']}: give subscriptionId")
                        continue
                    if not pool:
                        continue
                    sid = pool[0]["id"]
                if sid in seen:
                    self.report(f, ["users", ui, "licenseAssignmentStates", li],
                                f"demo: the user holds two licences from subscription {sid}")
                seen.add(sid)
                if a["state"] != "Error" and sid in held:  # an assignment in Error consumes no licence
                    held[sid] += 1
        for si, s in enumerate(subs):
            if s["consumedUnits"] != held[s["id"]]:
                self.report(f, ["subscriptions", si, "consumedUnits"],
                            f"demo: {s['consumedUnits']} but {held[s['id']]} users hold a licence from this pool")
            pb = s.get("purchasedBy")
            if isinstance(pb, dict):
                match = [u for u in users if u["userPrincipalName"].casefold() == pb["userPrincipalName"].casefold()]
                if not match:
                    self.report(f, ["subscriptions", si, "purchasedBy", "userPrincipalName"],
                                f"demo: no user {pb['userPrincipalName']!r} in the file")
                elif pb.get("id") and pb["id"] != match[0]["id"]:
                    self.report(f, ["subscriptions", si, "purchasedBy", "id"],
                                f"demo: {pb['id']} is not the id of {pb['userPrincipalName']}")
            if "unitPrice" in s and s["unitPrice"] is not None:
                self.two_decimals(f, ["subscriptions", si, "unitPrice"], s["unitPrice"])

        for ii, inv in enumerate(invoices):
            p = ["invoices", ii]
            if inv["dueDate"] < inv["invoiceDate"]:
                self.report(f, p + ["dueDate"], "demo: due before it was issued")
            if inv.get("billingPeriodStartDate") and inv.get("billingPeriodEndDate") and \
                    inv["billingPeriodEndDate"] < inv["billingPeriodStartDate"]:
                self.report(f, p + ["billingPeriodEndDate"], "demo: the billing period ends before it starts")
            for k in ("totalCharges", "paidAmount"):
                self.two_decimals(f, p + [k], inv[k])
            for li, line in enumerate(inv["lines"]):
                for k in MONEY_FIELDS:
                    if k in line:
                        self.two_decimals(f, p + ["lines", li, k], line[k])
                if not isinstance(line["quantity"], int):
                    self.report(f, p + ["lines", li, "quantity"], "demo: licence quantities are whole numbers")
            if inv["documentType"] in ("creditNote", "correction"):
                target = next((x for x in invoices if x["id"] == inv.get("correctedInvoiceId")), None)
                if target and target["invoiceDate"] > inv["invoiceDate"]:
                    self.report(f, p + ["invoiceDate"], "demo: issued before the document it corrects")
            k = inv.get("ksefNumber")
            if isinstance(k, str):
                m = KSEF_RE.fullmatch(k)
                if not m:
                    self.report(f, p + ["ksefNumber"], "demo: not NIP-YYYYMMDD-XXXXXXXXXXXX-CC (35 characters)")
                else:
                    if "%02X" % crc8(k[:32].encode("ascii")) != m.group(4):
                        self.report(f, p + ["ksefNumber"], "demo: wrong CRC-8 checksum")
                    if m.group(1) != inv["seller"].get("nip"):
                        self.report(f, p + ["ksefNumber"], "demo: does not start with the seller's NIP")

    def two_decimals(self, f, path, value) -> None:
        if not isinstance(value, Decimal) or value.as_tuple().exponent != -2:
            self.report(f, path, f"demo: money is written with exactly two decimals, not {value}")


def main() -> int:
    ap = argparse.ArgumentParser(description="Check tenant snapshots (schema + cross-checks).")
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--contract-only", action="store_true",
                    help="only the schema and the cross-checks of snapshot-format.md, not the demo rules")
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "content" / "tenants").glob("*.json"))
    if not files:
        print("no snapshot files found", file=sys.stderr)
        return 1
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    checker = Checker(schema, args.contract_only)
    for path in files:
        checker.check_file(path)
    for line in checker.problems:
        print(line)
    if checker.problems:
        print(f"{len(checker.problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return 1
    print(f"OK: {len(files)} file(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
