#!/usr/bin/env python3
"""How build time grows inside one tenant — `make bench-scale` (a benchmark, not a test).

    python3 scripts/bench_scale.py [--bin .build/release/tenantsite] [--sizes 1000,4000,16000,64000] [--runs 3]

For each dimension — subscriptions, users, invoice lines — one tenant is made from the demo snapshot
`content/tenants/kwiaciarnia-lakowa.json` with N of that item (the rest as in the demo), built with `--jobs 1`, and
timed (median of `--runs`, wall and CPU from `os.wait4`). Printed per size: time, time per item, and the growth
exponent k of time ∝ Nᵏ between consecutive sizes and over the whole range (least squares on log–log). A per-tenant
step that is linear gives k ≈ 1; quadratic work shows as k → 2. The target is k ≤ 1.2.

A size whose snapshot would pass the 16 MB cap is skipped and said so. Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "content/tenants/kwiaciarnia-lakowa.json"
MAX_BYTES = 16 * 1024 * 1024
NS = uuid.UUID("6f1c1c2e-8c1f-4a53-9d0e-3f6b1c1e0a11")


def uid(kind: str, i: int) -> str:
    """Short ids where the format takes any id (subscriptions, users), so that 64,000 items fit in 16 MB; GUIDs where it
    asks for one (skus)."""
    return str(uuid.uuid5(NS, f"{kind}-{i}")) if kind in ("sku", "user") else f"{kind[0]}{i}"


# Only what the format requires (docs/snapshot.schema.json), so that 64,000 of an item fit in a 16 MB snapshot.
SUBSCRIPTION_KEYS = {"id", "skuId", "skuPartNumber", "status", "isTrial", "prepaidUnits", "consumedUnits", "createdDateTime",
                     "purchaseChannel"}
USER_KEYS = {"id", "displayName", "userPrincipalName", "accountEnabled", "licenseAssignmentStates"}
LINE_KEYS = {"description", "quantity", "unit", "unitPrice", "vatRate", "subtotal", "taxTotal", "totalForCustomer"}


def minimal(item: dict, keys: set[str]) -> dict:
    return {k: v for k, v in item.items() if k in keys}


def with_subscriptions(base: dict, n: int) -> dict:
    """N subscriptions of 64 products (several subscriptions of one sku, as renewals and reseller re-purchases make),
    every sixteenth held by one of the demo's users, so holders, pools and attention items grow with N too."""
    d = copy.deepcopy(base)
    template = minimal(d["subscriptions"][0], SUBSCRIPTION_KEYS)
    subs = []
    for i in range(n):
        s = copy.deepcopy(template)
        s["id"] = uid("sub", i)
        s.pop("commerceSubscriptionId", None)
        s["skuId"] = uid("sku", i % 64)
        s["skuPartNumber"] = f"SKU_{i % 64}"
        s["prepaidUnits"] = {"enabled": 2}  # the other counts default to 0
        s["consumedUnits"] = 1
        subs.append(s)
    d["subscriptions"] = subs
    users = d["users"]
    for u in users:
        u["licenseAssignmentStates"] = []
    for i, s in enumerate(subs[::16]):
        users[i % len(users)]["licenseAssignmentStates"].append({"skuId": s["skuId"], "subscriptionId": s["id"], "state": "Active"})
    for inv in d["invoices"]:
        for line in inv["lines"]:
            line.pop("subscriptionId", None)
    return d


def with_users(base: dict, n: int) -> dict:
    """N users, each holding the demo's first subscription's product (its licences raised to match)."""
    d = copy.deepcopy(base)
    template = minimal(d["users"][0], USER_KEYS)
    sub = d["subscriptions"][0]
    sub["id"] = "s0"  # a short id: it is named by every user's licence
    for inv in d["invoices"]:
        for line in inv["lines"]:
            line.pop("subscriptionId", None)
    users = []
    for i in range(n):
        u = copy.deepcopy(template)
        u["id"] = uid("user", i)
        u["displayName"] = f"O {i}"
        u["userPrincipalName"] = f"o{i}@l.pl"
        u["licenseAssignmentStates"] = [{"skuId": sub["skuId"], "subscriptionId": sub["id"], "state": "Active"}]
        users.append(u)
    d["users"] = users
    sub["prepaidUnits"]["enabled"] = n
    sub["consumedUnits"] = n
    for g in d.get("groups", []):
        g.pop("members", None)
    return d


def with_invoice_lines(base: dict, n: int) -> dict:
    """One invoice of N lines (the demo's first invoice's first line, repeated), totals kept exact."""
    d = copy.deepcopy(base)
    inv = d["invoices"][0]
    line = minimal(inv["lines"][0], LINE_KEYS)
    inv["lines"] = [copy.deepcopy(line) for _ in range(n)]
    from decimal import Decimal
    total = sum(Decimal(str(l["totalForCustomer"])) for l in inv["lines"])
    inv["totalCharges"] = float(total)  # cents of a sum of cents: the shortest repr is exact
    inv["paidAmount"] = inv["totalCharges"]
    return d


DIMENSIONS = {"subscriptions": with_subscriptions, "users": with_users, "invoice lines": with_invoice_lines}


def run(binary: str, content: Path, output: Path) -> tuple[float, float]:
    shutil.rmtree(output, ignore_errors=True)
    errors = output.with_suffix(".stderr")
    start = time.perf_counter()
    with open(errors, "wb") as err:  # a file, not a pipe: a long report must not block the build
        proc = subprocess.Popen([binary, "build", "--content", str(content), "--templates", str(ROOT / "templates"),
                                 "--output", str(output), "--jobs", "1"], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build failed on {content}:\n{errors.read_text()[:2000]}")
    return wall, usage.ru_utime + usage.ru_stime


def exponent(points: list[tuple[int, float]]) -> float:
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=str(ROOT / ".build/release/tenantsite"))
    parser.add_argument("--sizes", default="1000,4000,16000,64000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default="/dev/shm/tenantsite-bench-scale" if Path("/dev/shm").is_dir() else "/tmp/tenantsite-bench-scale")
    parser.add_argument("--only", help="one dimension: subscriptions, users or 'invoice lines'")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    base = json.loads(DEMO.read_text())
    worst = 0.0
    print(f"one tenant, --jobs 1, median of {args.runs}; k = growth exponent of CPU time (time ∝ Nᵏ)")
    for name, make in DIMENSIONS.items():
        if args.only and args.only != name:
            continue
        print(f"\n{name}:")
        print(f"{'N':>8} {'wall s':>8} {'CPU s':>8} {'CPU µs/item':>12} {'k (step)':>9}")
        points: list[tuple[int, float]] = []
        for n in sizes:
            content = work / f"{name.replace(' ', '-')}-{n}"
            (content / "tenants").mkdir(parents=True)
            text = json.dumps(make(base, n), ensure_ascii=False, separators=(",", ":"))
            if len(text.encode()) > MAX_BYTES:
                print(f"{n:>8}  skipped: the snapshot would be {len(text.encode()) / 2**20:.1f} MB, over the 16 MB cap")
                continue
            (content / "tenants/bench.json").write_text(text)
            runs = [run(args.bin, content, work / "out") for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            step = ""
            if points:
                n0, t0 = points[-1]
                step = f"{math.log(cpu / t0) / math.log(n / n0):9.2f}"
            points.append((n, cpu))
            print(f"{n:>8} {wall:8.2f} {cpu:8.2f} {cpu / n * 1e6:12.1f} {step:>9}", flush=True)
            shutil.rmtree(content)
        if len(points) >= 2:
            k = exponent(points)
            worst = max(worst, k)
            print(f"{'':>8} growth exponent over {points[0][0]}–{points[-1][0]}: k = {k:.2f}")
    shutil.rmtree(work, ignore_errors=True)
    print(f"\nworst growth exponent: {worst:.2f} (target ≤ 1.2)")


if __name__ == "__main__":
    main()
