#!/usr/bin/env python3
"""The seed's "Backend Integration" example over the REST API, with the standard library only.

Creates an RB1 campaign from a list of IINs with filters (POST /campaigns/create), then reads its details
(GET /campaigns/{code}). Authenticates with an API token (`pnpm cli token create --username U`).

    CAMPAIGNS_URL=http://127.0.0.1:3000 CAMPAIGNS_TOKEN=... python3 create_campaign.py iins.txt

iins.txt: one IIN per line. Prints {"created": ..., "details": ...} as JSON; on a refusal prints the service's
`detail`, stable `code` and field `issues` to stderr and exits 1.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


def call(method, path, body=None, headers=None):
    """One REST call: JSON in, JSON out; an HTTP error raises with the service's error body."""
    request = urllib.request.Request(
        os.environ["CAMPAIGNS_URL"].rstrip("/") + path,
        method=method,
        data=None if body is None else json.dumps(body).encode("utf-8"),
        headers={
            "Authorization": "Bearer " + os.environ["CAMPAIGNS_TOKEN"],
            "Accept": "application/json",
            **({} if body is None else {"Content-Type": "application/json"}),
            **(headers or {}),
        },
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def main():
    if len(sys.argv) != 2 or "CAMPAIGNS_URL" not in os.environ or "CAMPAIGNS_TOKEN" not in os.environ:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as lines:
        user_iins = [line.strip() for line in lines if line.strip()]

    metadata = {
        "campaign_name": "New Year Promotion",
        "campaign_desc": "Promote the new year offers",
        "stream": "market",
        "sub_stream": "seasonal",
        "target_action": "purchase",
        "channel": "Push",
        "campaign_type": "promotion",
        "campaign_text": "Happy New Year! See our offers.",
        "campaign_text_kz": "Жаңа жылыңызбен! Ұсыныстарымызды қараңыз.",
        "short_desc": "New Year promo",
        "date_start": "2024-12-20",
        "date_end": "2025-01-10",
        "out_date": "2024-12-21",
        "camp_cnt": str(len(user_iins)),
    }
    filter_config = {
        "blacklist_tables": ["ACRM_DW.RB_BLACK_LIST@ACRM"],
        "mau_only": False,
    }

    try:
        # The key makes a retry after a lost answer safe: the service answers it as it answered the first.
        created = call(
            "POST",
            "/campaigns/create",
            {
                "campaign_type": "RB1",
                "metadata": metadata,
                "user_iins": user_iins,
                "filter_config": filter_config,
            },
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        details = call("GET", "/campaigns/" + urllib.parse.quote(created["campaign_code"]))
    except urllib.error.HTTPError as error:
        refusal = json.load(error)
        print(f"{error.code} {refusal.get('code')}: {refusal.get('detail')}", file=sys.stderr)
        for issue in refusal.get("issues") or []:
            print(f"  {issue['field']}: {issue['message']}", file=sys.stderr)
        return 1

    print(json.dumps({"created": created, "details": details}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
