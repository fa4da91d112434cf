#!/usr/bin/env python3
"""Writes the demo tenants' histories: five earlier monthly snapshots of each demo tenant, told backwards from its
newest one, so that the changes pages have a story to show (docs/history.md).

This is how content/tenants/<slug>/ was made, kept for whoever changes the demo. Each story is a list of events, each
with the day it happened and what the tenant looked like before it; a snapshot taken on a day is the newest one with
every later event undone. Invoices issued after a snapshot are left out of it, and those issued in the 20 days before
it were not paid yet (one of them is paid late, so that it becomes overdue on the way).

    python3 scripts/make_demo_history.py content          # content/tenants/<slug>.json → content/tenants/<slug>/*.json
"""
import copy
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

SNAPSHOT_DAYS = [date(2026, 6, 10), date(2026, 7, 10), date(2026, 8, 10), date(2026, 9, 10), date(2026, 10, 10)]


def sub(d, sid):
    return next(s for s in d["subscriptions"] if s["id"].startswith(sid))


def user(d, uid):
    return next(u for u in d["users"] if u["id"].startswith(uid))


def holds(d, a, s):
    """Whether assignment a draws on subscription s (named, or the only one of its sku)."""
    if a.get("subscriptionId"):
        return a["subscriptionId"] == s["id"]
    same = [x for x in d["subscriptions"] if x["skuId"] == a["skuId"]]
    return bool(same) and same[0] is s


def release(d, a):
    for s in d["subscriptions"]:
        if holds(d, a, s):
            s["consumedUnits"] -= 1
            return


def drop_licence(d, uid, sku_prefix):
    u = user(d, uid)
    for a in [a for a in u["licenseAssignmentStates"] if a["skuId"].startswith(sku_prefix)]:
        release(d, a)
        u["licenseAssignmentStates"].remove(a)


def drop_user(d, uid):
    u = user(d, uid)
    for a in u["licenseAssignmentStates"]:
        release(d, a)
    d["users"].remove(u)


def drop_subscription(d, sid):
    s = sub(d, sid)
    for u in d["users"]:
        for a in [a for a in u["licenseAssignmentStates"] if holds(d, a, s)]:
            u["licenseAssignmentStates"].remove(a)
    d["subscriptions"].remove(s)


def add_user(d, uid, name, upn, licences):
    """A person who left later: with their licences, counted in their pools."""
    d["users"].append({"id": uid, "displayName": name, "userPrincipalName": upn, "accountEnabled": True,
                       "licenseAssignmentStates": [{"skuId": sku, "state": "Active"} for sku in licences]})
    for sku in licences:
        next(s for s in d["subscriptions"] if s["skuId"] == sku)["consumedUnits"] += 1


def kwiaciarnia(d, day):
    # 2 Nov: Zdzisław buys a Visio trial himself; 28 Oct: a Project trial starts.
    if day < date(2026, 11, 2):
        drop_subscription(d, "3c54aa1c")
    if day < date(2026, 10, 28):
        drop_subscription(d, "eb97c37f")
    # 8 Nov: Visio (auto-renew off) expires; its two licences go into grace.
    if day < date(2026, 11, 8):
        v = sub(d, "286cb9b8")
        v["status"], v["prepaidUnits"] = "active", {"enabled": 2, "suspended": 0, "warning": 0, "lockedOut": 0}
    # 1 Oct: Piotr Żak leaves; his account is blocked but keeps its licence. Weronika joins; no licence is free for her.
    if day < date(2026, 10, 1):
        user(d, "0cd49075")["accountEnabled"] = True
        drop_user(d, "0950aaa8")
    # 5 Nov: Exchange Online is suspended at home.pl (the September invoice is still unpaid).
    if day < date(2026, 11, 5):
        e = sub(d, "381fd636")
        e["status"], e["prepaidUnits"] = "active", {"enabled": 5, "suspended": 0, "warning": 0, "lockedOut": 0}
    # 1 Sep: Dawid Mądry leaves: licence removed, account blocked.
    if day < date(2026, 9, 1):
        dawid = user(d, "8c58f42d")
        dawid["accountEnabled"] = True
        dawid["licenseAssignmentStates"] = [{"skuId": "3b555118-da6a-4418-894f-7df1e2096870", "state": "Active"}]
        sub(d, "191a8c4b")["consumedUnits"] += 1
    # 12 Aug: Natalia joins with one more Business Standard licence bought for her.
    if day < date(2026, 8, 12):
        drop_user(d, "cbed4e25")
        sub(d, "58802a9c")["prepaidUnits"]["enabled"] -= 1
    # 20 Jul: Sebastian Kowalczyk leaves (his account is deleted).
    if day < date(2026, 7, 20):
        add_user(d, "5e6a1c9d-2f47-4b1e-9c3a-7d2b8e4f6a10", "Sebastian Kowalczyk", "sebastian.kowalczyk@kwiaciarnia-lakowa.pl",
                 ["f245ecc8-75af-4f8e-b61f-27d8114de5f3"])
    # 14 Jun: Business Basic renews for a year at a higher price.
    if day < date(2026, 6, 14):
        sub(d, "191a8c4b")["unitPrice"] = 276.0
    return {"FV/2026/08/06139": date(2026, 9, 25)}  # paid late: overdue in the snapshot of 10 Sep


def abakus(d, day):
    # 3 Sep: AZ.pl raises the monthly price of Business Basic.
    if day < date(2026, 9, 3):
        sub(d, "c54df623")["unitPrice"] = 24.6
    # 5 Aug: a fourth Business Basic licence is bought for an intern who has not started.
    if day < date(2026, 8, 5):
        sub(d, "c54df623")["prepaidUnits"]["enabled"] = 3
    # 1 Jul: Alicja's Exchange licence is in error until the pool is fixed.
    if day < date(2026, 7, 1):
        user(d, "fea47a0d")["licenseAssignmentStates"][0].update({"state": "Error", "error": "CountViolation"})
    return {}


def northwind(d, day):
    # 1 Oct: two hires, two more Business Premium licences.
    if day < date(2026, 10, 1):
        drop_user(d, "e18280d6")
        drop_user(d, "61d3bba8")
        sub(d, "4dcc081b")["prepaidUnits"]["enabled"] -= 2
    # Project Plan 3: auto-renew turned off in July, expired in August, disabled in October.
    p = sub(d, "b1a5d76f")
    if day < date(2026, 10, 1):
        p["status"], p["prepaidUnits"] = "expired", {"enabled": 0, "suspended": 0, "warning": 2, "lockedOut": 0}
    if day < date(2026, 8, 1):
        p["status"], p["prepaidUnits"] = "active", {"enabled": 2, "suspended": 0, "warning": 0, "lockedOut": 0}
    if day < date(2026, 7, 15):
        p["autoRenewEnabled"] = True
    # 17 Aug: Emily buys Power BI Pro with her own card, for herself and Oliver.
    if day < date(2026, 8, 17):
        drop_subscription(d, "e243dac7")
    return {}


STORIES = {"kwiaciarnia-lakowa": kwiaciarnia, "biuro-rachunkowe-abakus": abakus, "northwind-gmbh": northwind}


def invoice_date(content, invoice, slug):
    if "invoiceDate" in invoice:
        return date.fromisoformat(invoice["invoiceDate"])
    xml = (content / "ksef" / slug / invoice["ksef"]["file"]).read_text(encoding="utf-8")
    return date.fromisoformat(re.search(r"<P_1>([0-9-]+)</P_1>", xml).group(1))


def main():
    content = Path(sys.argv[1] if len(sys.argv) > 1 else "content")
    for slug, story in STORIES.items():
        single = content / "tenants" / f"{slug}.json"
        folder = content / "tenants" / slug
        newest_path = single if single.exists() else folder / "2026-11-20.json"
        newest = json.loads(newest_path.read_text(encoding="utf-8"))
        folder.mkdir(exist_ok=True)
        for day in SNAPSHOT_DAYS:
            d = copy.deepcopy(newest)
            d["capturedDateTime"] = f"{day.isoformat()}T07:30:00Z"
            m = d["tenant"]["management"]
            if "panelLastSyncedDateTime" in m:
                m["panelLastSyncedDateTime"] = f"{(day - timedelta(days=1)).isoformat()}T05:30:00Z"
            paid_late = story(d, day)
            kept = []
            for inv in d["invoices"]:
                issued = invoice_date(content, inv, slug)
                if issued > day:
                    continue
                if issued > day - timedelta(days=20) or (inv["id"] in paid_late and day < paid_late[inv["id"]]):
                    inv["paidAmount"] = 0
                kept.append(inv)
            d["invoices"] = kept
            (folder / f"{day.isoformat()}.json").write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if newest_path == single:
            single.rename(folder / "2026-11-20.json")


if __name__ == "__main__":
    main()
