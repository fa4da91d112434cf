#!/usr/bin/env python3
"""Writes the demo's FA(3) invoices: the KSeF files home.pl and AZ.pl would have sent the two Polish demo tenants.

This is how content/ksef/ was made, kept for whoever changes the demo: it reads a snapshot whose invoices are typed in
(format v1/v2), writes one FA(3) file per invoice issued from --since (named <ksefNumber>.xml when the invoice has
one), and validates each against the Ministry of Finance's schema with xmllint when --schema is given. The files are
then joined to the snapshot with `tenantsite import --output content/tenants/<slug>.json FILES`, which replaces the
typed invoices and keeps what was paid.

    python3 scripts/make_demo_ksef.py SNAPSHOT.json OUTDIR --since 2026-04-01 --schema ../shared/ksef/schema/fa3-local.xsd
"""
import argparse
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"


def money(value):
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def quantity(value):
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def nrb(seed):
    """A 26-digit Polish account number whose two check digits are right (ISO 13616 mod 97)."""
    bban = ("10901014" + f"{seed:016d}")[-24:]
    check = 98 - int(bban + "252100") % 97  # "PL" = 25 21, then "00"
    return f"{check:02d}{bban}"


def party(tag, p, buyer):
    lines = [f"    <{tag}>", "        <DaneIdentyfikacyjne>", f"            <NIP>{p['nip']}</NIP>",
             f"            <Nazwa>{escape(p['name'])}</Nazwa>", "        </DaneIdentyfikacyjne>", "        <Adres>",
             f"            <KodKraju>{p.get('countryCode', 'PL')}</KodKraju>"]
    for i, line in enumerate(p["addressLines"][:2]):
        lines.append(f"            <AdresL{i + 1}>{escape(line)}</AdresL{i + 1}>")
    lines.append("        </Adres>")
    if buyer:
        lines += ["        <JST>2</JST>", "        <GV>2</GV>"]
    lines.append(f"    </{tag}>")
    return lines


def invoice_xml(inv, corrected, seed):
    rate_sums = {}
    for line in inv["lines"]:
        assert line["vatRate"] == "23", "the demo's invoices are all at 23%"
        net, vat = rate_sums.get("1", (Decimal(0), Decimal(0)))
        rate_sums["1"] = (net + Decimal(str(line["subtotal"])), vat + Decimal(str(line["taxTotal"])))
    is_correction = corrected is not None
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<Faktura xmlns="{NS}">', "    <Naglowek>",
           '        <KodFormularza kodSystemowy="FA (3)" wersjaSchemy="1-0E">FA</KodFormularza>',
           "        <WariantFormularza>3</WariantFormularza>",
           f"        <DataWytworzeniaFa>{inv['invoiceDate']}T06:00:00Z</DataWytworzeniaFa>",
           "        <SystemInfo>tenantsite demo</SystemInfo>", "    </Naglowek>"]
    out += party("Podmiot1", inv["seller"], False)
    out += party("Podmiot2", inv["buyer"], True)
    out += ["    <Fa>", f"        <KodWaluty>{inv['currencyCode']}</KodWaluty>", f"        <P_1>{inv['invoiceDate']}</P_1>",
            "        <P_1M>Szczecin</P_1M>", f"        <P_2>{escape(inv['id'])}</P_2>"]
    if inv.get("billingPeriodStartDate"):
        out += ["        <OkresFa>", f"            <P_6_Od>{inv['billingPeriodStartDate']}</P_6_Od>",
                f"            <P_6_Do>{inv['billingPeriodEndDate']}</P_6_Do>", "        </OkresFa>"]
    net, vat = rate_sums["1"]
    out += [f"        <P_13_1>{money(net)}</P_13_1>", f"        <P_14_1>{money(vat)}</P_14_1>",
            f"        <P_15>{money(inv['totalCharges'])}</P_15>",
            "        <Adnotacje>", "            <P_16>2</P_16>", "            <P_17>2</P_17>", "            <P_18>2</P_18>",
            "            <P_18A>2</P_18A>", "            <Zwolnienie>", "                <P_19N>1</P_19N>", "            </Zwolnienie>",
            "            <NoweSrodkiTransportu>", "                <P_22N>1</P_22N>", "            </NoweSrodkiTransportu>",
            "            <P_23>2</P_23>", "            <PMarzy>", "                <P_PMarzyN>1</P_PMarzyN>", "            </PMarzy>",
            "        </Adnotacje>", f"        <RodzajFaktury>{'KOR' if is_correction else 'VAT'}</RodzajFaktury>"]
    if is_correction:
        out += ["        <PrzyczynaKorekty>Zmniejszenie liczby licencji w okresie rozliczeniowym</PrzyczynaKorekty>",
                "        <TypKorekty>2</TypKorekty>", "        <DaneFaKorygowanej>",
                f"            <DataWystFaKorygowanej>{corrected['invoiceDate']}</DataWystFaKorygowanej>",
                f"            <NrFaKorygowanej>{escape(corrected['id'])}</NrFaKorygowanej>"]
        if corrected.get("ksefNumber"):
            out += ["            <NrKSeF>1</NrKSeF>", f"            <NrKSeFFaKorygowanej>{corrected['ksefNumber']}</NrKSeFFaKorygowanej>"]
        else:
            out += ["            <NrKSeFN>1</NrKSeFN>"]
        out += ["        </DaneFaKorygowanej>"]
    number = 0

    def row(description, qty, unit, price, value, before=False):
        nonlocal number
        number += 1
        r = ["        <FaWiersz>", f"            <NrWierszaFa>{number}</NrWierszaFa>", f"            <P_7>{escape(description)}</P_7>",
             f"            <P_8A>{escape(unit)}</P_8A>", f"            <P_8B>{quantity(qty)}</P_8B>", f"            <P_9A>{money(price)}</P_9A>",
             f"            <P_11>{money(value)}</P_11>", "            <P_12>23</P_12>"]
        if before:
            r.append("            <StanPrzed>1</StanPrzed>")
        r.append("        </FaWiersz>")
        return r

    for line in inv["lines"]:
        if is_correction and "→" in line["description"]:
            # "(korekta ilości: 15 → 13)": the line as it stood, then as it stands.
            text = line["description"]
            base = text[:text.index(" (korekta")]
            counts = text[text.index(":") + 1:text.index(")")].split("→")
            old, new = Decimal(counts[0].strip()), Decimal(counts[1].strip())
            price = Decimal(str(line["unitPrice"]))
            out += row(base, old, line["unit"], price, old * price, before=True)
            out += row(base, new, line["unit"], price, new * price)
        else:
            out += row(line["description"], line["quantity"], line["unit"], line["unitPrice"], line["subtotal"])
    out += ["        <Platnosc>", "            <TerminPlatnosci>", f"                <Termin>{inv['dueDate']}</Termin>",
            "            </TerminPlatnosci>", "            <FormaPlatnosci>6</FormaPlatnosci>", "            <RachunekBankowy>",
            f"                <NrRB>{nrb(seed)}</NrRB>", "            </RachunekBankowy>", "        </Platnosc>", "    </Fa>", "</Faktura>", ""]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snapshot")
    parser.add_argument("outdir")
    parser.add_argument("--since", default="2026-04-01")
    parser.add_argument("--schema")
    args = parser.parse_args()
    snapshot = json.loads(Path(args.snapshot).read_text(encoding="utf-8"))
    by_id = {i["id"]: i for i in snapshot["invoices"] if "lines" in i}
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    seed = int(snapshot["tenant"]["nip"]) % 10**9
    written = []
    for inv in snapshot["invoices"]:
        if "lines" not in inv or inv["invoiceDate"] < args.since:
            continue
        corrected = by_id.get(inv.get("correctedInvoiceId")) if inv["documentType"] != "invoice" else None
        name = (inv.get("ksefNumber") or inv["id"].replace("/", "_")) + ".xml"
        (out / name).write_text(invoice_xml(inv, corrected, seed), encoding="utf-8")
        written.append(out / name)
    if args.schema:
        result = subprocess.run(["xmllint", "--noout", "--schema", args.schema, *map(str, written)], capture_output=True, text=True)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            sys.exit(1)
    print(f"wrote {len(written)} FA(3) files to {out}")


if __name__ == "__main__":
    main()
