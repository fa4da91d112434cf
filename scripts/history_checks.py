"""History checks, part of scripts/browser_checks.py: the changes pages against an independent diff of the snapshots,
and the Atom feeds against RFC 4287.

The diff here is written from docs/history.md, not from the Swift code: it reads the snapshot files with Python's json,
the FA(3) files with xml.etree, the words from templates/strings/en, and works out every change between each pair of
consecutive snapshots of every tenant history in the content folder. Each English changes page must list exactly those
changes — the same kind, subject, value before and value after, grouped under the right snapshot — and nothing else.
"""
import glob
import json
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
ATOM = "{http://www.w3.org/2005/Atom}"
FA = "{http://crd.gov.pl/wzor/2025/06/25/13775/}"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


class Words:
    def __init__(self, templates):
        self.t = {}
        for path in sorted(glob.glob(os.path.join(templates, "strings", "en", "*.json"))):
            with open(path, encoding="utf-8") as f:
                self.t.update(json.load(f))
        source = open(os.path.join(os.path.dirname(__file__), "..", "Sources", "SiteBuild", "Plan", "ProductNames.swift"), encoding="utf-8").read()
        self.names = dict(re.findall(r'^\s*"([^"]+)": "([^"]+)",$', source, re.M))
        self.upper = {k.upper(): v for k, v in self.names.items()}

    def text(self, key, **args):
        value = self.t[key]
        for k, v in args.items():
            value = value.replace("{" + k + "}", v)
        return value

    def plural(self, key, n, **args):
        forms = self.t[key]
        value = forms["one"] if n == 1 and "one" in forms else forms["other"]
        for k, v in dict(args, n=integer(n)).items():
            value = value.replace("{" + k + "}", v)
        return value

    def product(self, s):
        if s.get("productName"):
            return s["productName"]
        part = s["skuPartNumber"]
        return self.names.get(part) or self.upper.get(part.upper()) or part


def integer(n):
    return f"{n:,}"


def money(amount, currency):
    rounded = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    number = f"{abs(rounded):,.2f}"
    symbol = {"EUR": "€", "GBP": "£", "USD": "US$"}.get(currency)
    return sign + (symbol + number if symbol else currency + "\u00a0" + number)


def dec(value):
    return Decimal(str(value)) if value is not None else None


def capture_date(snapshot):
    moment = datetime.fromisoformat(snapshot["capturedDateTime"].replace("Z", "+00:00"))
    return moment.astimezone(WARSAW).date()


def civil(timestamp):
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(WARSAW).date()


def long_date(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


# The facts a snapshot gives, as docs/history.md and docs/overview.md define them.

FREE = {"FLOW_FREE", "POWER_BI_STANDARD", "POWERAPPS_DEV", "POWER_BI_INDIVIDUAL_USER", "WINDOWS_STORE", "RIGHTSMANAGEMENT_ADHOC", "MCOPSTNC",
        "PHONESYSTEM_VIRTUALUSER", "MICROSOFT_BUSINESS_CENTER", "TEAMS_FREE", "STREAM"}
TRIAL = {"FORMS_PRO", "TEAMS_EXPLORATORY", "PROJECT_MADEIRA_PREVIEW_IW_SKU"}
VIRAL = {"CCIBOTS_PRIVPREV_VIRAL", "POWERAPPS_VIRAL", "FLOW_P2_VIRAL", "DYN365_AI_SERVICE_INSIGHTS_VIRAL", "POWERAPPS_INDIVIDUAL_USER",
         "POWERAUTOMATE_ATTENDED_RPA_VIRAL"}
MONTHS_IN = {"monthly": 1, "annual": 12, "triennial": 36}


def units(s, key):
    return s.get("prepaidUnits", {}).get(key, 0)


def usable(s):
    return units(s, "enabled") + units(s, "warning")


def licence_class(s):
    part = s["skuPartNumber"].upper()
    if part in FREE:
        return "free"
    if part in TRIAL:
        return "trial"
    if part in VIRAL or part.endswith("_VIRAL") or "_VIRAL_" in part:
        return "viral"
    if part.endswith("_FREE") or part.startswith("FREE_") or "_FREE_" in part:
        return "free"
    if part.endswith("_TRIAL") or "_TRIAL_" in part or "EXPLORATORY" in part:
        return "trial"
    if s.get("isTrial"):
        return "trial"
    if usable(s) >= 10000 and s.get("unitPrice") is None and s["consumedUnits"] * 20 < usable(s):
        return "free"
    return "paid"


def live(s):
    return s["status"] != "deleted"


def monthly_cost(s):
    if s.get("isTrial") or s["status"] == "deleted" or s.get("unitPrice") is None or not s.get("currencyCode"):
        return None
    months = MONTHS_IN.get(s.get("billingCycle"))
    if not months:
        return None
    return dec(s["unitPrice"]) * units(s, "enabled") / months


class Tenant:
    """One snapshot with what the rules need: indexes, invoices with their totals and due dates, "today"."""

    def __init__(self, snapshot, ksef_folder):
        self.s = snapshot
        self.today = capture_date(snapshot)
        self.subs = {s["id"]: s for s in snapshot["subscriptions"]}
        self.users = {u["id"]: u for u in snapshot["users"]}
        self.invoices = {}
        for inv in snapshot.get("invoices", []):
            if "ksef" in inv:
                root = ET.parse(os.path.join(ksef_folder, inv["ksef"]["file"])).getroot()
                fa = root.find(FA + "Fa")
                issued = date.fromisoformat(fa.find(FA + "P_1").text)
                terms = [date.fromisoformat(t.text) for t in fa.iter(FA + "Termin")]
                due = max(min(terms), issued) if terms else issued
                facts = {"total": dec(fa.find(FA + "P_15").text), "currency": fa.find(FA + "KodWaluty").text, "due": due}
            else:
                facts = {"total": dec(inv["totalCharges"]), "currency": inv["currencyCode"], "due": date.fromisoformat(inv["dueDate"])}
            facts["paid"] = dec(inv["paidAmount"])
            self.invoices[inv["id"]] = facts

    def by_sku(self, sku):
        return [s for s in self.s["subscriptions"] if s["skuId"] == sku]

    def subscription_of(self, a):
        if a.get("subscriptionId"):
            return self.subs.get(a["subscriptionId"])
        same = self.by_sku(a["skuId"])
        return same[0] if len(same) == 1 else None

    def licence_product(self, a, words):
        s = self.subscription_of(a) or (self.by_sku(a["skuId"]) or [None])[0]
        return words.product(s) if s else a["skuId"]

    def licences(self, user):
        seen, out = set(), []
        for a in user.get("licenseAssignmentStates", []):
            if a["skuId"] in seen:
                continue
            seen.add(a["skuId"])
            error = a.get("error")
            out.append((a["skuId"], a, (a["state"], None if error in (None, "None") else error)))
        return out

    def invoice_status(self, number):
        """Overdue or unpaid; a settled one is "paid" here (whether a correction credits it does not matter to a diff)."""
        f = self.invoices[number]
        if f["total"] - f["paid"] != 0:
            return "overdue" if f["due"] < self.today else "unpaid"
        return "paid"

    def spend(self):
        totals = {}
        for s in self.s["subscriptions"]:
            if live(s) and licence_class(s) == "paid":
                cost = monthly_cost(s)
                if cost is not None:
                    totals[s["currencyCode"]] = totals.get(s["currencyCode"], Decimal(0)) + cost
        return totals

    def attention(self):
        """The attention items as keys (kind, subscription, user, disagreement), in no particular order."""
        subs = [s for s in self.s["subscriptions"] if live(s)]
        keys = set()

        def days(s):
            return (civil(s["nextLifecycleDateTime"]) - self.today).days if s.get("nextLifecycleDateTime") else None

        for s in subs:
            if s["status"] in ("active", "expired") and usable(s) - s["consumedUnits"] < 0 and licence_class(s) == "paid":
                keys.add(("overAssigned", s["id"], None, None))
        for u in self.s["users"]:
            if any(a["state"] in ("Error", "ActiveWithError") or a.get("error") not in (None, "None") for a in u.get("licenseAssignmentStates", [])):
                keys.add(("licenceErrors", None, u["id"], None))
        for s in subs:
            d = days(s)
            if s["status"] == "active" and d is not None and 0 <= d <= 30:
                if s.get("autoRenewEnabled") is False:
                    keys.add(("endingWithoutRenewal", s["id"], None, None))
                elif s.get("autoRenewEnabled") is None:
                    keys.add(("renewalUnknown", s["id"], None, None))
            if s["status"] in ("suspended", "disabled", "expired"):
                keys.add((s["status"], s["id"], None, None))
        for u in self.s["users"]:
            if not u["accountEnabled"] and u.get("licenseAssignmentStates"):
                keys.add(("disabledUsersWithLicences", None, u["id"], None))
        for u in self.s["users"]:
            activity = u.get("signInActivity")
            if not u["accountEnabled"] or not u.get("licenseAssignmentStates") or activity is None:
                continue
            times = [civil(t) for t in (activity.get("lastSignInDateTime"), activity.get("lastNonInteractiveSignInDateTime"),
                                        activity.get("lastSuccessfulSignInDateTime")) if t]
            idle = (self.today - max(times)).days if times else 10**9
            if idle >= 90:
                keys.add(("idleLicences", None, u["id"], None))
            elif idle >= 30:
                keys.add(("idleLicences30", None, u["id"], None))
        for number, f in self.invoices.items():
            owed = f["total"] - f["paid"]
            if owed > 0:
                keys.add(("overdueInvoices" if f["due"] < self.today else "unpaidInvoices", None, None, None))
        for s in subs:
            unassigned = units(s, "enabled") - s["consumedUnits"]
            if (licence_class(s) == "paid" and unassigned > 0 and not s.get("isTrial") and s["status"] == "active"
                    and s.get("unitPrice") is not None and s.get("currencyCode") and MONTHS_IN.get(s.get("billingCycle"))
                    and dec(s["unitPrice"]) * unassigned > 0):
                keys.add(("unassigned", s["id"], None, None))
        for d in self.s.get("disagreements", []):
            sub = user = None
            if d["subject"] == "subscription" and d["id"] in self.subs:
                sub = d["id"]
            elif d["subject"] == "sku" and self.by_sku(d["id"]):
                sub = self.by_sku(d["id"])[0]["id"]
            elif d["subject"] == "user" and d["id"] in self.users:
                user = d["id"]
            keys.add(("disagreement", sub, user, f"{d['subject']}/{d['id']}/{d['field']}/{d.get('sku') or ''}"))
        return keys


def expected_changes(old, new, w):
    """Every change from old to new as (label, about, before, after), in English words."""
    out = []
    none = w.text("changes.value.none")
    unknown = w.text("common.notInSnapshot")

    def add(kind, about, before=None, after=None):
        out.append((w.text("changes.kind." + kind), about, none if before is None else before, none if after is None else after))

    def channel(m):
        base = w.text("channel." + m["channel"])
        return f"{base}: {m['partnerName']}" if m["channel"] == "partner" and m.get("partnerName") else base

    a, b = old.s["tenant"]["management"], new.s["tenant"]["management"]
    if (a["channel"], a.get("partnerName")) != (b["channel"], b.get("partnerName")):
        add("channelChanged", new.s["tenant"]["displayName"], channel(a), channel(b))

    def term(text):
        if text is None:
            return unknown
        m = re.fullmatch(r"P(\d+)([MY])", text)
        if m and int(m.group(1)) > 0:
            return w.plural("sub.term.months" if m.group(2) == "M" else "sub.term.years", int(m.group(1)))
        return text

    def price(s):
        return money(dec(s["unitPrice"]), s["currencyCode"]) if s.get("unitPrice") is not None and s.get("currencyCode") else unknown

    def price_key(s):
        return (dec(s["unitPrice"]), s["currencyCode"]) if s.get("unitPrice") is not None and s.get("currencyCode") else None

    for s in new.s["subscriptions"]:
        name = w.product(s)
        was = old.subs.get(s["id"])
        selfservice = s.get("purchaseChannel") == "selfService"
        if was is None:
            add("selfServiceBought" if selfservice else "subscriptionAdded", name, None, w.plural("changes.value.licences", usable(s)))
            continue
        if was["status"] != s["status"]:
            cancelled = selfservice and s["status"] in ("disabled", "deleted") and was["status"] not in ("disabled", "deleted")
            add("selfServiceCancelled" if cancelled else "statusChanged", name, w.text("sub.state." + was["status"]), w.text("sub.state." + s["status"]))
        if bool(was.get("isTrial")) != bool(s.get("isTrial")):
            word = lambda t: w.text("changes.value.trial" if t else "changes.value.paid")
            add("trialChanged", name, word(was.get("isTrial")), word(s.get("isTrial")))
        if price_key(was) != price_key(s):
            add("priceChanged", name, price(was), price(s))
        if was.get("billingCycle") != s.get("billingCycle"):
            cycle = lambda c: w.text("sub.cycle." + c) if c else unknown
            add("billingCycleChanged", name, cycle(was.get("billingCycle")), cycle(s.get("billingCycle")))
        if was.get("termDuration") != s.get("termDuration"):
            add("termChanged", name, term(was.get("termDuration")), term(s.get("termDuration")))
        if was.get("autoRenewEnabled") != s.get("autoRenewEnabled"):
            renew = lambda r: unknown if r is None else w.text("sub.autoRenew.on" if r else "sub.autoRenew.off")
            add("autoRenewChanged", name, renew(was.get("autoRenewEnabled")), renew(s.get("autoRenewEnabled")))
    for s in old.s["subscriptions"]:
        if s["id"] not in new.subs:
            add("selfServiceCancelled" if s.get("purchaseChannel") == "selfService" else "subscriptionRemoved", w.product(s),
                w.text("sub.state." + s["status"]))

    def products(t):
        found = {}
        for s in t.s["subscriptions"]:
            if live(s):
                p = found.setdefault(s["skuId"], {"name": w.product(s), "usable": 0, "assigned": 0})
                p["usable"] += usable(s)
                p["assigned"] += s["consumedUnits"]
        return found

    pa, pb = products(old), products(new)
    for sku in set(pa) | set(pb):
        x, y = pa.get(sku, {}), pb.get(sku, {})
        name = (pb.get(sku) or pa.get(sku))["name"]
        if x.get("usable", 0) != y.get("usable", 0):
            add("licencesChanged", name, integer(x.get("usable", 0)), integer(y.get("usable", 0)))
        if x.get("assigned", 0) != y.get("assigned", 0):
            add("assignmentsChanged", name, integer(x.get("assigned", 0)), integer(y.get("assigned", 0)))

    def licence_words(value):
        state, error = value
        word = w.text("sub.assignment." + state)
        return w.text("changes.value.licenceWithError", state=word, error=w.text("sub.error." + error)) if error else word

    def held(t, user):
        names = sorted(t.licence_product(a, w) for _, a, _ in t.licences(user))
        return ", ".join(names) if names else w.text("changes.value.noLicence")

    for u in new.s["users"]:
        was = old.users.get(u["id"])
        if was is None:
            add("personJoined", u["displayName"], None, held(new, u))
            continue
        if was["accountEnabled"] != u["accountEnabled"]:
            allowed = lambda e: w.text("changes.value.signInAllowed" if e else "changes.value.signInBlocked")
            add("personUnblocked" if u["accountEnabled"] else "personBlocked", u["displayName"], allowed(was["accountEnabled"]), allowed(u["accountEnabled"]))
        before = {sku: (a, v) for sku, a, v in old.licences(was)}
        after = {sku: (a, v) for sku, a, v in new.licences(u)}
        for sku, (a, value) in after.items():
            about = w.text("changes.aboutLicence", person=u["displayName"], product=new.licence_product(a, w))
            if sku in before:
                if before[sku][1] != value:
                    add("licenceStateChanged", about, licence_words(before[sku][1]), licence_words(value))
            else:
                add("licenceGained", about, None, licence_words(value))
        for sku, (a, value) in before.items():
            if sku not in after:
                add("licenceLost", w.text("changes.aboutLicence", person=u["displayName"], product=old.licence_product(a, w)), licence_words(value))
    for u in old.s["users"]:
        if u["id"] not in new.users:
            add("personLeft", u["displayName"], held(old, u))

    for number, f in new.invoices.items():
        was = old.invoices.get(number)
        if was is None:
            add("invoiceIssued", number, None, money(f["total"], f["currency"]))
            continue
        owed_before, owed_after = was["total"] - was["paid"], f["total"] - f["paid"]
        if owed_before != owed_after or was["currency"] != f["currency"]:
            add("invoicePaid" if owed_after == 0 else "invoicePartlyPaid", number, money(owed_before, was["currency"]), money(owed_after, f["currency"]))
        then, now = old.invoice_status(number), new.invoice_status(number)
        if now == "overdue" and then != "overdue":
            add("invoiceOverdue", number, w.text("invoices.status." + then), w.text("invoices.status." + now))
    for number, f in old.invoices.items():
        if number not in new.invoices:
            add("invoiceRemoved", number, money(f["total"], f["currency"]))

    sa, sb = old.spend(), new.spend()
    for currency in set(sa) | set(sb):
        if sa.get(currency) != sb.get(currency):
            about = w.text("changes.aboutCurrency", currency=currency)
            add("monthlyCostChanged", about, money(sa[currency], currency) if currency in sa else None,
                money(sb[currency], currency) if currency in sb else None)

    def subject(t, key):
        kind, sub, user, _ = key
        if sub and sub in t.subs:
            return w.product(t.subs[sub])
        if user and user in t.users:
            return t.users[user]["displayName"]
        return t.s["tenant"]["displayName"]

    ka, kb = old.attention(), new.attention()
    for key in kb - ka:
        add("attentionRaised", subject(new, key), None, w.text("attention.short." + key[0]))
    for key in ka - kb:
        add("attentionResolved", subject(old, key), w.text("attention.short." + key[0]))
    return out


class ChangesPage(HTMLParser):
    """The step headings (h2 after the trend section) and each step's table rows, as text."""

    def __init__(self):
        super().__init__()
        self.steps = []
        self.in_h2 = self.in_cell = False
        self.text = ""
        self.row = None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self.in_h2, self.text = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.in_cell, self.text = True, ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self.in_h2 = False
            self.steps.append({"heading": self.text.strip(), "rows": []})
        elif tag in ("td", "th") and self.row is not None:
            self.in_cell = False
            self.row.append(" ".join(self.text.split()))
        elif tag == "tr" and self.row is not None:
            if self.steps and len(self.row) == 4 and not self.row[0] == "Change":
                self.steps[-1]["rows"].append(tuple(self.row))
            self.row = None

    def handle_data(self, data):
        if self.in_h2 or self.in_cell:
            self.text += data


def history_check(site, content, templates, results):
    words = Words(templates)
    tenants = os.path.join(content, "tenants")
    checked = 0
    for slug in sorted(os.listdir(tenants)):
        folder = os.path.join(tenants, slug)
        if not os.path.isdir(folder):
            continue
        snapshots = []
        for name in sorted(os.listdir(folder)):
            if name.endswith(".json"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    snapshots.append(json.load(f))
        snapshots.sort(key=lambda s: datetime.fromisoformat(s["capturedDateTime"].replace("Z", "+00:00")))
        ksef = os.path.join(content, "ksef", slug)
        states = [Tenant(s, ksef) for s in snapshots]
        with open(os.path.join(site, "en", "tenants", slug, "changes.html"), encoding="utf-8") as f:
            page = ChangesPage()
            page.feed(f.read())
        steps = [s for s in page.steps if s["heading"].endswith(")")]
        if not results.check(len(steps) == len(states) - 1, f"{slug}: {len(steps)} snapshot sections on the changes page, {len(states) - 1} expected"):
            continue
        # Newest first: the page's first section is the last pair.
        for shown, (old, new) in zip(steps, reversed(list(zip(states, states[1:])))):
            when = f"{long_date(new.today)} (since {long_date(old.today)})"
            results.check(shown["heading"] == when, f"{slug}: section {shown['heading']!r}, expected {when!r}")
            # Cells are compared as text with spaces folded (the page's non-breaking spaces included).
            expected = Counter(tuple(" ".join(cell.split()) for cell in row) for row in expected_changes(old, new, words))
            found = Counter(shown["rows"])
            missing, extra = expected - found, found - expected
            results.check(not missing and not extra,
                          f"{slug} {when}: missing {sorted(missing)[:4]}, not expected {sorted(extra)[:4]}")
            checked += sum(expected.values())
    return checked


def atom_check(site, results):
    """RFC 4287's required elements, unique entry ids, RFC 3339 times; feedparser reads each feed as Atom 1.0."""
    try:
        import feedparser
    except ImportError:
        feedparser = None
    feeds = sorted(glob.glob(os.path.join(site, "**", "*.atom"), recursive=True))
    results.check(len(feeds) >= 4, f"only {len(feeds)} Atom feeds")
    stamp = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
    entries = 0
    for path in feeds:
        where = os.path.relpath(path, site)
        try:
            feed = ET.parse(path).getroot()
        except ET.ParseError as error:
            results.check(False, f"{where}: not XML: {error}")
            continue
        results.check(feed.tag == ATOM + "feed", f"{where}: the root is {feed.tag}")
        for element in ("id", "title", "updated"):
            results.check(len(feed.findall(ATOM + element)) == 1, f"{where}: the feed needs exactly one atom:{element}")
        results.check(stamp.match(feed.findtext(ATOM + "updated") or "") is not None, f"{where}: feed updated is not RFC 3339")
        has_author = feed.find(ATOM + "author/" + ATOM + "name") is not None
        results.check(any(l.get("rel") == "self" for l in feed.findall(ATOM + "link")), f"{where}: no rel=self link")
        ids = set()
        for entry in feed.findall(ATOM + "entry"):
            entries += 1
            for element in ("id", "title", "updated"):
                results.check(len(entry.findall(ATOM + element)) == 1, f"{where}: an entry needs exactly one atom:{element}")
            entry_id = entry.findtext(ATOM + "id") or ""
            results.check(entry_id not in ids and re.match(r"^urn:uuid:[0-9a-f-]{36}$", entry_id), f"{where}: entry id {entry_id!r} repeated or not a URN")
            ids.add(entry_id)
            results.check(stamp.match(entry.findtext(ATOM + "updated") or "") is not None, f"{where}: entry updated is not RFC 3339")
            results.check(has_author or entry.find(ATOM + "author") is not None, f"{where}: an entry without an author")
            alternate = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
            results.check(alternate or entry.find(ATOM + "content") is not None, f"{where}: an entry with neither content nor an alternate link")
            for link in alternate:
                target = os.path.normpath(os.path.join(os.path.dirname(path), link.get("href")))
                results.check(os.path.isfile(target), f"{where}: entry links to {link.get('href')}, which was not built")
        if feedparser:
            parsed = feedparser.parse(path)
            results.check(not parsed.bozo and parsed.version == "atom10", f"{where}: feedparser: {parsed.version} {parsed.get('bozo_exception')}")
            results.check(len(parsed.entries) == len(feed.findall(ATOM + "entry")), f"{where}: feedparser found {len(parsed.entries)} entries")
    return entries


class CalendarRows(HTMLParser):
    """The rows of a calendar page's table (the header row left out)."""

    def __init__(self):
        super().__init__()
        self.rows = 0
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows += 1

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False


def calendar_check(site, results):
    """Every .ics parses (PyPI icalendar) as RFC 5545 with one event per row of its page, unique UIDs, all-day dates."""
    import icalendar
    files = sorted(glob.glob(os.path.join(site, "**", "calendar.ics"), recursive=True))
    results.check(len(files) >= 4, f"only {len(files)} calendars")
    events = 0
    for path in files:
        where = os.path.relpath(path, site)
        with open(path, "rb") as f:
            raw = f.read()
        results.check(all(line.endswith(b"\r") or not line for line in raw.split(b"\n")), f"{where}: a line not ended by CRLF")
        results.check(all(len(line.rstrip(b"\r")) <= 75 for line in raw.split(b"\n")), f"{where}: a line longer than 75 octets")
        try:
            calendar = icalendar.Calendar.from_ical(raw)
        except Exception as error:  # the library's own error types vary by version
            results.check(False, f"{where}: icalendar cannot read it: {error}")
            continue
        found = [c for c in calendar.walk("VEVENT")]
        uids = [str(e.get("UID")) for e in found]
        results.check(len(set(uids)) == len(uids), f"{where}: repeated UIDs")
        for e in found:
            results.check(all(e.get(k) is not None for k in ("UID", "DTSTAMP", "DTSTART", "SUMMARY")), f"{where}: an event without UID, DTSTAMP, DTSTART or SUMMARY")
            results.check(type(e.decoded("DTSTART")) is date, f"{where}: not an all-day event")
        page = CalendarRows()
        with open(os.path.join(os.path.dirname(path), "calendar.html"), encoding="utf-8") as f:
            page.feed(f.read())
        results.check(page.rows == len(found), f"{where}: {len(found)} events, {page.rows} rows on its page")
        events += len(found)
    return events


def run(binary, content, templates, site, results):
    checked = history_check(site, content, templates, results)
    entries = atom_check(site, results)
    events = calendar_check(site, results)
    # A second build gives the same feeds, byte for byte (no wall clock in them).
    with tempfile.TemporaryDirectory(prefix="tenantsite-feeds-") as again:
        out = os.path.join(again, "site")
        build = subprocess.run([binary, "build", "--content", content, "--templates", templates, "--output", out,
                                "--from", "2026-01-01", "--to", "2026-06-30", "--jobs", "1"], capture_output=True, text=True)
        if results.check(build.returncode == 0, f"second build: {build.stderr[-500:]}"):
            for path in glob.glob(os.path.join(site, "**", "*.atom"), recursive=True) + glob.glob(os.path.join(site, "**", "*.ics"), recursive=True):
                twin = os.path.join(out, os.path.relpath(path, site))
                results.check(os.path.isfile(twin) and open(path, "rb").read() == open(twin, "rb").read(),
                              f"{os.path.relpath(path, site)} differs between two builds")
    print(f"history: {checked} changes of the demo histories found on their pages as an independent diff expects; "
          f"{entries} Atom entries and {events} calendar events checked", flush=True)
