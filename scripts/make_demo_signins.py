#!/usr/bin/env python3
"""Gives the demo's Polish tenants their people's sign-in activity (snapshot format v4), in every snapshot of their
histories, as Graph's signInActivity would have had it when each snapshot was taken. Kept for whoever changes the demo.

Everyone signs in every few days (the same few days for the same person), except:
- Kwiaciarnia: Mirosław Głąb last signed in on 1 July (idle for 30 days from August, 90 from October); Krystyna Bąk
  never signed in; Piotr Żak's last sign-in is the day before his account was blocked (1 October).
- Abakus: Kamil Jóźwiak last signed in on 20 September (idle for 30 days from the November snapshot).

    python3 scripts/make_demo_signins.py content
"""
import hashlib
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

STORIES = {
    "kwiaciarnia-lakowa": {"Mirosław Głąb": "2026-07-01T08:12:40Z", "Krystyna Bąk": None, "Piotr Żak": "2026-09-30T15:02:11Z"},
    "biuro-rachunkowe-abakus": {"Kamil Jóźwiak": "2026-09-20T09:45:03Z"},
}


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    content = Path(sys.argv[1] if len(sys.argv) > 1 else "content")
    for slug, story in STORIES.items():
        for path in sorted((content / "tenants" / slug).glob("*.json")):
            d = json.loads(path.read_text(encoding="utf-8"))
            captured = datetime.fromisoformat(d["capturedDateTime"].replace("Z", "+00:00"))
            d["schemaVersion"] = 4
            for user in d["users"]:
                name = user["displayName"]
                seed = int(hashlib.sha256(user["id"].encode()).hexdigest()[:8], 16)
                if name in story:
                    last = story[name]
                    if last is not None and datetime.fromisoformat(last.replace("Z", "+00:00")) > captured:
                        last = stamp(captured - timedelta(days=1 + seed % 3, minutes=seed % 600))
                else:
                    last = stamp(captured - timedelta(days=seed % 5, minutes=seed % 900))
                activity = {}
                if last is not None:
                    activity = {"lastSignInDateTime": last, "lastNonInteractiveSignInDateTime": last, "lastSuccessfulSignInDateTime": last}
                user["signInActivity"] = activity
            path.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
