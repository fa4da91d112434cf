#!/usr/bin/env python3
"""Every shipped and imported snapshot against docs/snapshot.schema.json (part of `make test`).

The Swift decoder is what tenantsite enforces; this keeps the published JSON Schema honest: the demo content, the
test fixtures that are whole snapshots, and what `tenantsite import` writes from the import fixtures must all be
valid by the schema, and a few files that the decoder refuses must be invalid by it too.
"""
import argparse, json, pathlib, subprocess, sys, tempfile

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    schema = json.loads((ROOT / "docs/snapshot.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = []
    refused = []

    def check(name, document, valid=True):
        if not valid:
            refused.append(name)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if valid and errors:
            failures.append(f"{name}: {'/'.join(map(str, errors[0].path))}: {errors[0].message}")
        if not valid and not errors:
            failures.append(f"{name}: the schema accepts what tenantsite refuses")

    # Single snapshots and every snapshot of every history (docs/history.md).
    snapshots = sorted((ROOT / "content/tenants").glob("*.json")) + sorted((ROOT / "content/tenants").glob("*/*.json"))
    snapshots += sorted((ROOT / "Tests/SiteBuildTests/Fixtures").glob("*/tenants/*.json"))
    for path in snapshots:
        check(str(path.relative_to(ROOT)), json.loads(path.read_text(encoding="utf-8")))

    # What import writes from a realistic, lagging tenant (disagreements, unknown channels, a missing creation date).
    with tempfile.TemporaryDirectory() as folder:
        out = pathlib.Path(folder) / "kreska.json"
        inputs = sorted((ROOT / "Tests/TenantImportTests/Fixtures/lagging-tenant").glob("*.json"))
        subprocess.run([args.binary, "import", "--output", str(out), "--captured", "2026-12-04T09:30:00Z", *map(str, inputs)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        imported = json.loads(out.read_text(encoding="utf-8"))
        check("import of lagging-tenant", imported)
        if not imported.get("disagreements"):
            failures.append("import of lagging-tenant: no disagreements written")
        broken = json.loads(json.dumps(imported))
        broken["disagreements"][0]["claims"] = broken["disagreements"][0]["claims"][:1]
        check("a disagreement with one claim", broken, valid=False)
        broken = json.loads(json.dumps(imported))
        broken["schemaVersion"] = 5
        check("schemaVersion 5", broken, valid=False)
        # A KSeF invoice is its file's name, SHA-256 and number, never the typed invoice's fields beside them.
        demo = json.loads(sorted((ROOT / "content/tenants/kwiaciarnia-lakowa").glob("*.json"))[-1].read_text(encoding="utf-8"))
        ksef = next(i for i in demo["invoices"] if "ksef" in i)
        for name, change in [("a KSeF file in a folder", lambda i: i["ksef"].update(file="../x.xml")),
                             ("a KSeF invoice with typed lines", lambda i: i.update(lines=[])),
                             ("a KSeF number of another shape", lambda i: i.update(ksefNumber="8520041736-2026-11"))]:
            broken = json.loads(json.dumps(demo))
            change(next(i for i in broken["invoices"] if i["id"] == ksef["id"]))
            check(name, broken, valid=False)
        broken = json.loads(json.dumps(imported))
        broken["subscriptions"][0]["purchaseChannel"] = "guessed"
        check("an unknown purchase channel word", broken, valid=False)

    print(f"schema: {len(snapshots) + 1} snapshots valid, {len(refused)} refused files invalid" if not failures else "\n".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
