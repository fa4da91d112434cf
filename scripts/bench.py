#!/usr/bin/env python3
"""tenantsite against Hugo on the same invoices — `make bench` (a benchmark, not a test).

    python3 scripts/bench.py [--bin .build/release/tenantsite] [--runs 5] [--work /tmp/tenantsite-bench]

1. `tenantsite synth --tenants 100 --invoices-per-tenant 100` makes 10,000 invoices (seed 1).
2. The same invoices become a Hugo site: one Markdown page per invoice with its table of lines (3–12 each), under
   a minimal layout (no taxonomies, feeds or sitemap, so Hugo only renders the pages and their section lists).
3. tenantsite (`build --lang pl`: one language, like the Hugo site) and Hugo (Debian's 0.111, installed here when
   missing) build alternately, `--runs` times each, output folders emptied before every run (not timed).
4. Then tenantsite alone on 1,000 and 100,000 invoices, to show how time and memory grow.
5. Fast refresh (docs/scaling.md), on the project's own disk and on tmpfs, alternating with Hugo: a cold build into
   an empty folder; a full build into the previous output (`build --full`: every page made anew; Hugo writes every
   page again); a refresh in which 1% of 1,000 tenants changed; a one-template edit; and `serve`'s time from a saved
   snapshot to the reload its open pages are told to do.

Wall time, CPU time (user + system) and peak memory (maximum resident set) come from `os.wait4` for each run's
process. Medians are printed; the ratios are tenantsite ÷ Hugo. "Pages" means invoice pages: tenantsite also writes,
per tenant, an .eml for every invoice, invoice lists by range and year with CSV, subscription pages, the overview
and the self-service page — the table counts every file each tool wrote.
Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_work() -> str:
    """tmpfs when it has room for the 100,000-page site (~8 GB): this machine's disk takes ~0.4 ms to create a file,
    which would measure the disk rather than the generators (both tools pay it per file: Hugo 10,101, tenantsite 22,749)."""
    shm = Path("/dev/shm")
    if shm.is_dir():
        stats = os.statvfs(shm)
        if stats.f_bavail * stats.f_frsize > 12 * 1024**3:
            return str(shm / "tenantsite-bench")
    return "/tmp/tenantsite-bench"


def filesystem(path: Path) -> str:
    best = ("?", "")
    for line in Path("/proc/mounts").read_text().splitlines():
        _, mount, kind = line.split()[:3]
        if str(path).startswith(mount) and len(mount) >= len(best[1]):
            best = (kind, mount)
    return f"{best[0]} ({best[1]})"


def ensure_hugo() -> str:
    hugo = shutil.which("hugo")
    if hugo:
        return hugo
    log("bench: installing Hugo (Debian package hugo)")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "hugo"], env=env).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "hugo"], env=env, check=True)
    hugo = shutil.which("hugo")
    if not hugo:
        sys.exit("bench: hugo could not be installed")
    return hugo


def measured(command: list[str], cwd: Path | None = None) -> dict:
    """Runs a command; its wall time, CPU time and peak memory (its own process, from wait4)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(command)} failed:\n{stderr}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024}


def count_files(folder: Path) -> tuple[int, int]:
    files = 0
    size = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def empty(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)


def synth(binary: Path, content: Path, tenants: int, invoices: int, history: int = 1) -> None:
    stamp = content / ".bench-stamp"
    wanted = f"{tenants} {invoices} 1" + (f" history {history}" if history > 1 else "")
    if stamp.exists() and stamp.read_text() == wanted:
        return
    empty(content)
    log(f"bench: synth --tenants {tenants} --invoices-per-tenant {invoices} --history {history}")
    subprocess.run([str(binary), "synth", "--tenants", str(tenants), "--invoices-per-tenant", str(invoices), "--seed", "1",
                    "--history", str(history), "--output", str(content)], check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(wanted)


# -- The Hugo site -----------------------------------------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://example.invalid/"
languageCode = "pl"
title = "Faktury"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
"""

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="pl">
<head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ .Params.buyer }} · {{ .Params.date }}</p>
{{ .Content }}{{ end }}
"""

HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def cell(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def hugo_site(content: Path, site: Path) -> int:
    """One Markdown page per invoice of the synthetic content: the same numbers, a table of its lines."""
    stamp = site / ".bench-stamp"
    snapshots = sorted((content / "tenants").glob("*.json"))
    wanted = f"{len(snapshots)} {(content / '.bench-stamp').read_text()}"
    if stamp.exists() and stamp.read_text().split("\n")[0] == wanted:
        return int(stamp.read_text().split("\n")[1])
    empty(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "config.toml").write_text(HUGO_CONFIG)
    (site / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (site / "content").mkdir()
    (site / "content" / "_index.md").write_text("---\ntitle: Klienci\n---\n")
    pages = 0
    for snapshot in snapshots:
        data = json.loads(snapshot.read_text())
        folder = site / "content" / snapshot.stem
        folder.mkdir()
        (folder / "_index.md").write_text(f"---\ntitle: {json.dumps(data['tenant']['displayName'])}\n---\n")
        for number, invoice in enumerate(data["invoices"]):
            lines = ["| Opis | Ilość | J.m. | Cena netto | VAT | Netto | Brutto |", "|---|---:|---|---:|---:|---:|---:|"]
            for line in invoice["lines"]:
                lines.append("| " + " | ".join(cell(line[k]) for k in
                                                 ("description", "quantity", "unit", "unitPrice", "vatRate", "subtotal",
                                                  "totalForCustomer")) + " |")
            front = (f"---\ntitle: {json.dumps(invoice['id'])}\ndate: {invoice['invoiceDate']}\n"
                     f"buyer: {json.dumps(invoice['buyer']['name'])}\n---\n\n")
            total = f"\n\n**Razem do zapłaty: {invoice['totalCharges']} {invoice['currencyCode']}**\n"
            (folder / f"invoice-{number:04d}.md").write_text(front + "\n".join(lines) + total)
            pages += 1
    stamp.write_text(f"{wanted}\n{pages}")
    return pages


# -- Runs --------------------------------------------------------------------------------------------------------

def empty_output(output: Path) -> None:
    """A tenantsite output (a link to its trees, `.NAME.tenantsite/`) or a plain folder, gone."""
    if output.is_symlink():
        output.unlink()
    empty(output)
    empty(output.parent / f".{output.name}.tenantsite")


def run_tenantsite(binary: Path, content: Path, output: Path, jobs: int | None = None, keep: bool = False,
                   templates: Path | None = None, extra: list[str] | None = None) -> dict:
    if not keep:
        empty_output(output)
    command = [str(binary), "build", "--content", str(content), "--templates", str(templates or ROOT / "templates"),
               "--output", str(output), "--lang", "pl"] + (extra or [])
    if jobs:
        command += ["--jobs", str(jobs)]
    return measured(command)


def run_hugo(hugo: str, site: Path, output: Path, keep: bool = False) -> dict:
    if not keep:
        empty(output)
    return measured([hugo, "--quiet", "--source", str(site), "--destination", str(output)])


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def row(label: str, pages: int, runs: list[dict], files: tuple[int, int]) -> str:
    return (f"| {label:<10} | {pages:>7,} | {len(runs):>4} | {median(runs, 'wall'):>8.2f} | {median(runs, 'cpu'):>7.2f} | "
            f"{median(runs, 'rss_mib'):>8.0f} | {files[0]:>7,} | {files[1] / 1048576:>8.0f} |")


def history_rows(binary: Path, work: Path, runs: int) -> None:
    """Histories: 100 tenants × 12 monthly snapshots beside the same 100 tenants' newest snapshots alone; and the peak
    memory of 24 snapshots per tenant against 2 (only consecutive pairs are held, so it should not grow)."""
    rows = []
    for tenants, history, label in [(100, 1, "100 × 1"), (100, 12, "100 × 12"), (20, 2, "20 × 2"), (20, 24, "20 × 24")]:
        folder = work / f"content-history-{tenants}-{history}"
        synth(binary, folder, tenants, 100, history)
        out = work / "out-history"
        measured_runs = [run_tenantsite(binary, folder, out) for _ in range(runs)]
        rows.append((label, measured_runs, count_files(out)))
        log(f"bench: history {label}: {median(measured_runs, 'wall'):.2f} s, {median(measured_runs, 'rss_mib'):.0f} MiB")
        empty_output(out)
    print("\nHistories (synth --history N; each tenant's pages are today's, plus its changes page and feed)\n")
    print("| tenants × snapshots | runs |     wall |     cpu | peak MiB |   files |")
    print("|---------------------|-----:|---------:|--------:|---------:|--------:|")
    for label, measured_runs, files in rows:
        print(f"| {label:<19} | {len(measured_runs):>4} | {median(measured_runs, 'wall'):>8.2f} | {median(measured_runs, 'cpu'):>7.2f} | "
              f"{median(measured_runs, 'rss_mib'):>8.0f} | {files[0]:>7,} |")
    by = {label: measured_runs for label, measured_runs, _ in rows}
    print(f"\n100 × 12 ÷ 100 × 1: wall {median(by['100 × 12'], 'wall') / median(by['100 × 1'], 'wall'):.2f}, "
          f"peak memory {median(by['100 × 12'], 'rss_mib') / median(by['100 × 1'], 'rss_mib'):.2f}")
    print(f"peak memory 24 ÷ 2 snapshots per tenant: {median(by['20 × 24'], 'rss_mib') / median(by['20 × 2'], 'rss_mib'):.2f} (target ≤ 1.2)")


def touch_tenants(content: Path, count: int, round_: int) -> None:
    """Changes `count` tenants' snapshots as a nightly refresh does: taken again a little later (their capture time
    moves, so their pages and the partner pages that list them change)."""
    import re
    files = sorted((content / "tenants").glob("*.json"))
    step = max(1, len(files) // count)
    for path in files[round_ % step::step][:count]:
        text = path.read_text(encoding="utf-8")
        moved = re.sub(r'("capturedDateTime": "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:)(\d{2})',
                       lambda m: m.group(1) + f"{(int(m.group(2)) + 1) % 60:02d}", text, count=1)
        path.write_text(moved, encoding="utf-8")


def refresh_rows(binary: Path, hugo: str, content10k: Path, hugo_source: Path, disk: Path, tmpfs: Path | None, runs: int) -> None:
    """Cold and full builds on disk and tmpfs against Hugo; a 1% refresh of 1,000 tenants; a one-template edit."""
    places = [("disk", disk)] + ([("tmpfs", tmpfs)] if tmpfs else [])
    lines = []
    for name, work in places:
        work.mkdir(parents=True, exist_ok=True)
        out_t, out_h = work / "refresh-tenantsite", work / "refresh-hugo"
        cold_t, cold_h, full_t, full_h = [], [], [], []
        for i in range(runs):
            cold_t.append(run_tenantsite(binary, content10k, out_t))
            cold_h.append(run_hugo(hugo, hugo_source, out_h))
            # The nightly rebuild: the output holds the last two builds' trees (the first run after a cold build
            # fills the second tree, not timed), and Hugo's output holds its last build.
            run_tenantsite(binary, content10k, out_t, keep=True, extra=["--full"])
            full_t.append(run_tenantsite(binary, content10k, out_t, keep=True, extra=["--full"]))
            full_h.append(run_hugo(hugo, hugo_source, out_h, keep=True))
            log(f"bench: {name} run {i + 1}/{runs}: cold {cold_t[-1]['wall']:.2f} s vs Hugo {cold_h[-1]['wall']:.2f} s; "
                f"full {full_t[-1]['wall']:.2f} s vs Hugo {full_h[-1]['wall']:.2f} s")
        empty_output(out_t)
        empty(out_h)
        lines.append((name, "cold build (empty output)", cold_t, cold_h))
        lines.append((name, "full build (--full: every page made; the previous builds there)", full_t, full_h))

    # 1% of 1,000 tenants, on disk: the refresh after a nightly fetch in which 10 tenants changed.
    content = disk / "content-1000x10"
    synth(binary, content, 1000, 10)
    out = disk / "refresh-1000"
    empty_output(out)
    run_tenantsite(binary, content, out, keep=True)
    run_tenantsite(binary, content, out, keep=True)
    full, refresh = [], []
    for i in range(runs):
        full.append(run_tenantsite(binary, content, out, keep=True, extra=["--full"]))
        touch_tenants(content, 10, i)
        refresh.append(run_tenantsite(binary, content, out, keep=True))
        log(f"bench: 1,000 tenants: full {full[-1]['wall']:.2f} s, 1% changed {refresh[-1]['wall']:.2f} s")
    # One template edited: every tenant's pages are made again; only files whose bytes changed are written.
    templates = disk / "templates-copy"
    empty(templates)
    shutil.copytree(ROOT / "templates", templates)
    run_tenantsite(binary, content, out, keep=True, templates=templates)
    edits = []
    for i in range(runs):
        page = templates / "pages" / "person.md"
        page.write_text(page.read_text() + "\n")
        edits.append(run_tenantsite(binary, content, out, keep=True, templates=templates))
    empty_output(out)
    stamp = (content / ".bench-stamp")
    stamp.unlink(missing_ok=True)  # the snapshots were changed: make them again next time

    print("\nFull and cold builds, 10,000 invoices (medians, seconds)\n")
    print("| output on | build | tenantsite | Hugo | tenantsite ÷ Hugo |")
    print("|---|---|---:|---:|---:|")
    for name, what, t, h in lines:
        print(f"| {name} ({filesystem(disk if name == 'disk' else tmpfs)}) | {what} | {median(t, 'wall'):.2f} | {median(h, 'wall'):.2f} | "
              f"{median(t, 'wall') / median(h, 'wall'):.2f} |")
    full_disk = [t for name, what, t, _ in lines if name == "disk" and what.startswith("full")][0]
    hugo_full_disk = [h for name, what, _, h in lines if name == "disk" and what.startswith("full")][0]
    print(f"\nfull build on disk ÷ Hugo's: {median(full_disk, 'wall') / median(hugo_full_disk, 'wall'):.3f} (target ≤ 1/3 = 0.333)")
    print(f"\n1,000 tenants × 10 invoices on disk: full build (--full) {median(full, 'wall'):.2f} s; "
          f"1% of tenants changed {median(refresh, 'wall'):.3f} s = {median(refresh, 'wall') / median(full, 'wall'):.3f} of the full build "
          f"(target ≤ 0.05); one template edited {median(edits, 'wall'):.2f} s")


def serve_row(binary: Path, runs: int) -> None:
    """`serve` on the demo: from a saved snapshot to the reload event its pages get (scripts/serve_reload.py)."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "serve_reload.py"), "--binary", str(binary), "--runs", str(runs)],
                            capture_output=True, text=True)
    print("\n" + (result.stdout.strip() or f"serve: {result.stderr.strip()[-500:]}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=str(ROOT / ".build/release/tenantsite"))
    parser.add_argument("--runs", type=int, default=5, help="runs of each tool on 10,000 pages (alternating)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs of tenantsite on 1,000 pages")
    parser.add_argument("--big-runs", type=int, default=1, help="runs of tenantsite on 100,000 pages")
    parser.add_argument("--work", default=default_work(),
                        help="work folder (default: on tmpfs when there is room, so the tools are measured, not the disk)")
    parser.add_argument("--skip-100k", action="store_true", help="leave out the 100,000-page run")
    parser.add_argument("--history-only", action="store_true", help="only the history rows (100 tenants × 12 snapshots; 24 vs 2)")
    parser.add_argument("--refresh-only", action="store_true", help="only the fast-refresh rows (disk and tmpfs, 1% refresh, template edit, serve)")
    parser.add_argument("--disk", default=str(ROOT / ".build" / "bench-disk"), help="work folder on the project's disk")
    args = parser.parse_args()

    binary = Path(args.bin).resolve()
    if not binary.exists():
        sys.exit(f"bench: {binary} is missing; run `make bench` (it builds `swift build -c release --static-swift-stdlib --product tenantsite`)")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if args.history_only:
        history_rows(binary, work, args.scale_runs)
        return
    hugo = ensure_hugo()
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]

    content = work / "content-10k"
    synth(binary, content, 100, 100)
    site = work / "hugo-site"
    pages = hugo_site(content, site)
    disk = Path(args.disk)
    tmpfs = work if filesystem(work).startswith("tmpfs") else (Path("/dev/shm/tenantsite-bench") if Path("/dev/shm").is_dir() else None)
    if args.refresh_only:
        refresh_rows(binary, hugo, content, site, disk, tmpfs, args.runs)
        serve_row(binary, args.scale_runs)
        return
    out_t, out_h = work / "out-tenantsite", work / "out-hugo"

    tenantsite_runs, hugo_runs = [], []
    for i in range(args.runs):
        tenantsite_runs.append(run_tenantsite(binary, content, out_t))
        hugo_runs.append(run_hugo(hugo, site, out_h))
        log(f"bench: run {i + 1}/{args.runs}: tenantsite {tenantsite_runs[-1]['wall']:.2f} s, "
            f"Hugo {hugo_runs[-1]['wall']:.2f} s")
    files_t, files_h = count_files(out_t), count_files(out_h)

    scale = []
    for tenants, label in [(10, "1k"), (1000, "100k")]:
        if label == "100k" and args.skip_100k:
            continue
        folder = work / f"content-{label}"
        synth(binary, folder, tenants, 100)
        count = args.big_runs if label == "100k" else args.scale_runs
        runs = [run_tenantsite(binary, folder, work / f"out-{label}") for _ in range(count)]
        log(f"bench: {label}: {median(runs, 'wall'):.2f} s")
        scale.append((tenants * 100, runs, count_files(work / f"out-{label}")))
        empty_output(work / f"out-{label}")

    cores = os.cpu_count()
    load = os.getloadavg()[0]
    print(f"\ntenantsite vs Hugo {hugo_version}, {cores} cores (load {load:.1f}), output on {filesystem(work)}; "
          f"medians (wall and CPU in seconds, peak memory in MiB)\n")
    print("| tool       |   pages | runs |     wall |     cpu | peak MiB |   files | MB written |")
    print("|------------|--------:|-----:|---------:|--------:|---------:|--------:|---------:|")
    print(row("tenantsite", pages, tenantsite_runs, files_t))
    print(row("Hugo", pages, hugo_runs, files_h))
    for count, runs, files in scale:
        print(row("tenantsite", count, runs, files))
    wall_ratio = median(tenantsite_runs, "wall") / median(hugo_runs, "wall")
    cpu_ratio = median(tenantsite_runs, "cpu") / median(hugo_runs, "cpu")
    rss_ratio = median(tenantsite_runs, "rss_mib") / median(hugo_runs, "rss_mib")
    print(f"\ntenantsite ÷ Hugo on {pages:,} invoice pages: wall {wall_ratio:.2f} (target ≤ 0.33), "
          f"CPU {cpu_ratio:.2f}, peak memory {rss_ratio:.2f} (target ≤ 0.25)")
    big = [runs for count, runs, _ in scale if count == 100_000]
    if big:
        growth = median(big[0], "rss_mib") / median(tenantsite_runs, "rss_mib")
        print(f"peak memory 100,000 ÷ 10,000 pages: {growth:.2f} (target ≤ 1.5)")
    history_rows(binary, work, args.scale_runs)
    refresh_rows(binary, hugo, content, site, disk, tmpfs, args.runs)
    serve_row(binary, args.scale_runs)
    print(f"\nFiles: tenantsite writes per invoice a page and an .eml, plus per tenant the overview, subscription and "
          f"self-service pages, invoice lists by range and year with CSV, and the site-wide pages; Hugo writes one page "
          f"per invoice, a list page per tenant and the home page.")


if __name__ == "__main__":
    main()
