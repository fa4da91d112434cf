#!/usr/bin/env python3
"""Every screen (issue 20): one page of each kind and language on a phone, printed, at night — and sortable tables.

Called by browser_checks.py with its Chromium session; run alone against a built site with
  scripts/screen_checks.py --site /tmp/site [--only invoice-email] [--axe .build/axe/axe.min.js]

  phone   at a 390 × 844 mobile viewport: the document is at most 390 px wide (wide tables scroll in their own box),
          no visible text is smaller than 12 px, and no chart label — in an inline SVG or an SVG image, scaled as
          drawn — is smaller than 12 px; a full-page screenshot is written to <screenshots>/phone/
  print   Chromium's print-to-PDF with the page's own @page: every page is A4 (595 × 842 pt); a demo invoice fits one
          page; no page ends with a heading; the first page is written as a PNG to <screenshots>/print/
  dark    with prefers-color-scheme: dark, web pages turn dark (e-mail pages stay light), axe-core finds no serious
          or critical violation (contrast included); a screenshot at 1280 px is written to <screenshots>/dark/
  sort    on pages with sortable tables: clicking (and pressing Enter on) each header sorts the rows the way a reader
          expects — numbers and money by value, dates by date, text in the page's language's order with numbers
          in names taken as numbers (Ł after L, "Kupujący 2" before "Kupujący 12") — and says so to screen readers
"""

import argparse
import base64
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
MIN_TEXT_PX = 12.0
A4_POINTS = (595.28, 841.89)

# Visible text smaller than 12 px (inline SVG text scaled by its transform), and each SVG image's rendered width.
MEASURE_JS = r"""
const small = [];
const seen = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const text = node.textContent.trim();
  if (!text) continue;
  const element = node.parentElement;
  if (!element || seen.has(element)) continue;
  if (element.closest('[hidden], .visually-hidden, title, desc, script, style')) continue;
  const range = document.createRange();
  range.selectNodeContents(node);
  const boxes = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
  if (!boxes.length) continue;
  const style = getComputedStyle(element);
  if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.opacity) === 0) continue;
  let size = parseFloat(style.fontSize);
  if (element instanceof SVGElement && element.getScreenCTM) {
    const m = element.getScreenCTM();
    if (m) size = size * Math.hypot(m.a, m.b);
  }
  if (size < MIN - 0.05) { small.push([text.slice(0, 40), Math.round(size * 10) / 10]); seen.add(element); }
}
const images = Array.from(document.querySelectorAll('img')).filter(i => /\.svg($|[?#])/.test(i.getAttribute('src') || ''))
  .map(i => ({src: i.getAttribute('src'), url: i.src, width: i.getBoundingClientRect().width}));
return {width: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
        viewport: window.innerWidth, small: small.slice(0, 8), smallCount: small.length, images: images};
"""


def svg_label_sizes(path):
    """(smallest font size in user units, viewBox width) of an SVG file's text."""
    text = open(path, encoding="utf-8").read()
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)', text)
    width = float(box.group(1)) if box else float(re.search(r'<svg[^>]*\swidth="([\d.]+)', text).group(1))
    sizes = [float(s) for s in re.findall(r'font-size[=:]\s*"?([\d.]+)', text)]
    has_text = "<text" in text
    return (min(sizes) if sizes else (16.0 if has_text else None)), width


def pdf_info(path):
    output = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", output, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", output, re.M)
    return pages, (float(size.group(1)), float(size.group(2)))


def pdf_page_texts(path):
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def shot(driver, path, width):
    height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": max(400, min(int(height), 12000)), "scale": 1}})
    with open(path, "wb") as png:
        png.write(base64.b64decode(data["data"]))


def run_axe(driver, axe_source):
    driver.execute_script(axe_source)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {preload: false, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done({error: String(e)}));")


def set_dark(driver, dark):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def background_luminance(driver):
    """The relative luminance of what the body is drawn on (its background, else the page's)."""
    rgb = driver.execute_script(
        "for (const e of [document.body, document.documentElement]) {"
        "  const c = getComputedStyle(e).backgroundColor;"
        "  if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; }"
        "return 'rgb(255, 255, 255)';")
    values = [float(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3]]
    linear = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def phone_checks(driver, site, relative, where, folder, name, results):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        driver.get("file://" + os.path.join(site, relative))
        measured = driver.execute_script(MEASURE_JS.replace("MIN", str(MIN_TEXT_PX)))
        results.check(measured["width"] <= PHONE["width"],
                      f"{where}: at 390 px the document is {measured['width']} px wide (viewport {measured['viewport']})")
        results.check(measured["smallCount"] == 0,
                      f"{where}: at 390 px {measured['smallCount']} text(s) below {MIN_TEXT_PX:g} px: {measured['small']}")
        for image in measured["images"]:
            path = os.path.normpath(os.path.join(os.path.dirname(os.path.join(site, relative)), image["src"].split("#")[0]))
            if not os.path.isfile(path):
                continue
            smallest, box_width = svg_label_sizes(path)
            if smallest is None:
                continue
            drawn = smallest * image["width"] / box_width
            results.check(drawn >= MIN_TEXT_PX - 0.05,
                          f"{where}: at 390 px chart {image['src']} draws labels at {drawn:.1f} px "
                          f"({smallest:g} units × {image['width']:.0f}/{box_width:g})")
        shot(driver, os.path.join(folder, "phone", name), PHONE["width"])
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def print_checks(driver, site, relative, where, folder, name, kind, results):
    driver.set_window_size(1280, 900)
    driver.get("file://" + os.path.join(site, relative))
    headings = [h.strip() for h in driver.execute_script(
        "return Array.from(document.querySelectorAll('h1, h2, h3, h4')).filter(h => h.offsetParent !== null)"
        ".map(h => h.innerText)") if h.strip()]
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    pdf_path = os.path.join(folder, "print", name.replace(".png", ".pdf"))
    with open(pdf_path, "wb") as out:
        out.write(base64.b64decode(pdf["data"]))
    pages, size = pdf_info(pdf_path)
    results.check(abs(size[0] - A4_POINTS[0]) < 1.5 and abs(size[1] - A4_POINTS[1]) < 1.5,
                  f"{where}: printed on {size[0]:.0f} × {size[1]:.0f} pt, not A4")
    if kind == "invoice-email":
        results.check(pages == 1, f"{where}: the printed invoice takes {pages} pages")
    texts = pdf_page_texts(pdf_path)
    for number, text in enumerate(texts[:-1], start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines or number == pages:
            continue
        last = re.sub(r"\s+", " ", lines[-1])
        ends = [h for h in headings if re.sub(r"\s+", " ", h) == last]
        results.check(not ends, f"{where}: printed page {number} ends with the heading {last!r}")
    png_base = os.path.join(folder, "print", name.replace(".png", ""))
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", pdf_path, png_base], check=True)
    return pages


def dark_checks(driver, site, relative, where, folder, name, kind, axe_source, results):
    driver.set_window_size(1280, 900)
    set_dark(driver, True)
    try:
        driver.get("file://" + os.path.join(site, relative))
        luminance = background_luminance(driver)
        if kind == "invoice-email":
            results.check(luminance > 0.5, f"{where}: in dark mode the e-mail page turned dark (luminance {luminance:.2f})")
        else:
            results.check(luminance < 0.05, f"{where}: dark mode did not darken the page (luminance {luminance:.2f})")
        if axe_source:
            outcome = run_axe(driver, axe_source)
            if isinstance(outcome, dict):
                results.check(False, f"{where}: dark: axe-core failed: {outcome.get('error')}")
            else:
                serious = [v for v in outcome if v.get("impact") in ("serious", "critical")]
                results.check(not serious, f"{where}: dark: axe-core: " + "; ".join(
                    f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in serious))
        shot(driver, os.path.join(folder, "dark", name), 1280)
    finally:
        set_dark(driver, False)


# ---------------------------------------------------------------------------------------------------------------
# Sorting: what order a reader expects, computed here independently of site.js.

# Every way the site writes a month, in full: abbreviations and long forms (Polish long dates are genitive).
MONTHS = {
    "en": {name: i + 1 for i, names in enumerate(zip(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]))
        for name in names},
    "pl": {name: i + 1 for i, names in enumerate(zip(
        ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"],
        ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października",
         "listopada", "grudnia"]))
        for name in names},
}


def cell_key(text, language):
    """(kind, value) of a cell as a reader reads it: a date, a number (money included), or text."""
    text = text.strip()
    if text in ("", "—", "–", "-"):
        return ("empty", None)
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return ("date", (int(m[1]), int(m[2]), int(m[3])))
    m = re.match(r"^(\d{1,2})\.(\d{2})\.(\d{4})", text)
    if m:
        return ("date", (int(m[3]), int(m[2]), int(m[1])))
    m = re.match(r"^(\d{1,2}) (\w+) (\d{4})", text)
    if m and m[2].lower() in MONTHS[language]:
        return ("date", (int(m[3]), MONTHS[language][m[2].lower()], int(m[1])))
    number = re.sub(r"[\s\u00a0\u202f]", "", text)
    number = re.sub(r"^([+-]?)(zł|PLN|EUR|USD|GBP|US\$|€|£)", r"\1", number)
    number = re.sub(r"(zł|PLN|EUR|USD|GBP|€|£|%)$", "", number)
    number = number.replace("\u2212", "-")
    if language == "pl":
        number = number.replace(",", ".")
    else:
        number = number.replace(",", "")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", number):
        return ("number", float(number))
    return ("text", text)


POLISH_ALPHABET = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
ENGLISH_FOLD = str.maketrans("ąćęłńóśźżäöüéèáàíñç", "acelnoszzaoueeaainc")


def natural_text_key(text, language):
    """Alphabetical order a Polish (or English) reader expects, ignoring case, with runs of digits compared as
    numbers: written out here from the Polish alphabet (ą after a, ł after l, ż last) rather than a locale, so the
    check does not share its collation with the browser's Intl.Collator that site.js uses."""
    key = []
    for part in re.split(r"(\d+)", re.sub(r"[\u00a0\u202f]", " ", text.lower())):
        if part.isdigit():
            key.append((1, int(part)))
            continue
        if language != "pl":
            part = part.translate(ENGLISH_FOLD)
        key.extend((2, POLISH_ALPHABET.index(c)) if c in POLISH_ALPHABET else (0, ord(c)) for c in part)
    return key


def expected_order(texts, language):
    keys = [cell_key(t, language) for t in texts]
    kinds = {k for k, _ in keys if k != "empty"}
    if kinds and kinds <= {"number"}:
        values = [(1, 0.0) if k == "empty" else (0, v) for k, v in keys]
    elif kinds and kinds <= {"date"}:
        values = [(1, (0, 0, 0)) if k == "empty" else (0, v) for k, v in keys]
    else:
        values = [(1, []) if k == "empty" else (0, natural_text_key(t, language)) for (k, _), t in zip(keys, texts)]
    return values


def sort_checks(driver, site, pages, results):
    """Each sortable table on the given pages: every header, ascending then descending, by mouse and by keyboard."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    checked = 0
    driver.set_window_size(1280, 900)
    for relative in pages:
        language = relative.split("/")[0]
        driver.get("file://" + os.path.join(site, relative))
        tables = driver.find_elements(By.CSS_SELECTOR, "main table.sortable")
        results.check(tables, f"{relative}: no sortable table")
        for t_index in range(len(tables)):
            table = driver.find_elements(By.CSS_SELECTOR, "main table.sortable")[t_index]
            headers = table.find_elements(By.CSS_SELECTOR, "thead th")
            for c_index in range(len(headers)):
                header = headers[c_index]
                buttons = header.find_elements(By.CSS_SELECTOR, "button")
                if not results.check(buttons, f"{relative}: table {t_index + 1} header {c_index + 1} has no sort button"):
                    continue
                button = buttons[0]
                for attempt, direction in enumerate(("ascending", "descending")):
                    if attempt == 0:
                        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
                        button.click()
                    else:
                        button.send_keys(Keys.ENTER)
                    where = f"{relative}: table {t_index + 1}, column {c_index + 1} ({header.text.strip()!r}), {direction}"
                    results.check(header.get_attribute("aria-sort") == direction,
                                  f"{where}: aria-sort is {header.get_attribute('aria-sort')!r}")
                    others = [h.get_attribute("aria-sort") for i, h in enumerate(headers) if i != c_index]
                    results.check(all(o in (None, "none") for o in others), f"{where}: other headers say {others}")
                    texts = driver.execute_script(
                        "return Array.from(arguments[0].tBodies[0].rows).map(r => r.cells[arguments[1]] ? r.cells[arguments[1]].innerText : '')",
                        table, c_index)
                    keys = expected_order(texts, language)
                    empties = [k for k in keys if k[0] == 1]
                    filled = [k for k in keys if k[0] == 0]
                    wanted = sorted(filled, reverse=(direction == "descending"))
                    ok = filled == wanted and keys[len(filled):] == empties
                    results.check(ok, f"{where}: rows not in order: {texts[:12]}")
                    status = driver.execute_script("const s = document.getElementById('sort-status'); return s ? s.textContent : ''")
                    results.check(header.text.strip().split("\n")[0] in status and status.strip(),
                                  f"{where}: screen readers are told {status!r}")
                    checked += 1
    return checked


def run(driver, site, chosen, axe_source, screenshots, results, sortable_pages):
    """chosen: {(kind, language): relative} of one page per kind and language."""
    for sub in ("phone", "print", "dark"):
        path = os.path.join(screenshots, sub)
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
    for (kind, language), relative in sorted(chosen.items()):
        where = f"{relative} [{kind}, {language}]"
        name = f"{kind.replace(':', '_').replace('/', '_')}-{language}.png"
        phone_checks(driver, site, relative, where, screenshots, name, results)
        print_checks(driver, site, relative, where, screenshots, name, kind, results)
        dark_checks(driver, site, relative, where, screenshots, name, kind, axe_source, results)
    sorted_count = sort_checks(driver, site, sortable_pages, results)
    return sorted_count


def all_invoices_print_on_one_page(driver, site, invoices, results):
    """Every demo invoice (up to 12 lines) prints on one A4 page."""
    driver.set_window_size(1280, 900)
    folder = tempfile.mkdtemp(prefix="tenantsite-print-")
    try:
        for relative in invoices:
            driver.get("file://" + os.path.join(site, relative))
            lines = driver.execute_script(
                "const t = document.querySelectorAll('table:not([role])'); return t.length ? t[0].tBodies[0].rows.length : 0")
            pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
            path = os.path.join(folder, "invoice.pdf")
            with open(path, "wb") as out:
                out.write(base64.b64decode(pdf["data"]))
            pages, size = pdf_info(path)
            if lines <= 12:
                results.check(pages == 1, f"{relative}: {lines} line(s) print on {pages} A4 pages")
            results.check(abs(size[0] - A4_POINTS[0]) < 1.5, f"{relative}: printed on {size[0]:.0f} pt wide paper, not A4")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import browser_checks
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True)
    parser.add_argument("--axe", default=".build/axe/axe.min.js")
    parser.add_argument("--screenshots", default=".build/screenshots")
    parser.add_argument("--only", help="only this page kind")
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    pages = sorted(os.path.relpath(os.path.join(root, name), site)
                   for root, _, names in os.walk(site) for name in names if name.endswith(".html"))
    chosen = browser_checks.choose_pages(site, pages)
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k[0] == args.only}
    results = browser_checks.Results()
    driver = browser_checks.start_chromium()
    try:
        axe = open(args.axe, encoding="utf-8").read() if os.path.exists(args.axe) else None
        run(driver, site, chosen, axe, args.screenshots, results, browser_checks.sortable_pages(site, pages))
    finally:
        driver.quit()
    print(f"screen checks: {results.passed} passed, {len(results.failures)} failed")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
