#!/usr/bin/env python3
"""Generates the same news items as an RSS 2.0 file, an Atom file and a JSON Lines file of about
the size asked for, to compare how fast `topictrack index` reads each format.

Every item has a guid, a title, a link, a date, two categories and a body of a few paragraphs in
Spanish or English, made from sentences written for this script (see FACTS.md: nothing copied).
The three files hold the same items, so documents per second compare directly.

    python3 bench/gen_feeds.py OUT_DIR [--megabytes 100] [--seed 7]

Writes OUT_DIR/feed.rss, OUT_DIR/feed.atom and OUT_DIR/items.jsonl. Python 3 standard library only.
"""

import argparse
import datetime as dt
import html
import json
import random
from pathlib import Path

SUBJECTS_ES = ["Tencent", "Alibaba", "ByteDance", "Huawei", "Nvidia", "el Gobierno chino", "Washington"]
SUBJECTS_EN = ["Tencent", "Alibaba", "ByteDance", "Huawei", "Nvidia", "Beijing", "the US Commerce Department"]
VERBS_ES = ["anunció", "defendió", "recortó", "amplió", "negoció", "retrasó"]
VERBS_EN = ["announced", "defended", "cut", "widened", "negotiated", "delayed"]
OBJECTS_ES = [
    "sus pedidos de chips H20",
    "los controles a la exportación de semiconductores",
    "la compra de GPU para entrenar modelos",
    "un plan de autosuficiencia en chips para 2028",
    "la inversión en centros de datos",
    "el uso de chips fabricados en China",
]
OBJECTS_EN = [
    "its orders of H20 chips",
    "the export controls on semiconductors",
    "the purchase of GPUs to train models",
    "a plan for chip self-sufficiency by 2028",
    "its spending on data centres",
    "the use of chips made in China",
]
CLOSERS_ES = ["según fuentes del sector.", "tras la llamada con analistas.", "en un comunicado breve."]
CLOSERS_EN = ["according to people in the industry.", "after the call with analysts.", "in a short statement."]
CATEGORIES = ["Chips", "Geopolítica", "Tecnología", "Markets", "AI", "Trade"]


def sentence(rng, spanish):
    if spanish:
        return f"{rng.choice(SUBJECTS_ES)} {rng.choice(VERBS_ES)} {rng.choice(OBJECTS_ES)} {rng.choice(CLOSERS_ES)}"
    return f"{rng.choice(SUBJECTS_EN)} {rng.choice(VERBS_EN)} {rng.choice(OBJECTS_EN)} {rng.choice(CLOSERS_EN)}"


def items(rng, count):
    start = dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.timezone.utc)
    for n in range(count):
        spanish = n % 2 == 0
        paragraphs = [
            " ".join(sentence(rng, spanish).capitalize() for _ in range(rng.randint(3, 6)))
            for _ in range(rng.randint(2, 4))
        ]
        when = start + dt.timedelta(minutes=37 * n)
        yield {
            "id": f"bench-{n}",
            "title": sentence(rng, spanish).rstrip("."),
            "url": f"https://bench.test/{n}",
            "date": when,
            "tags": rng.sample(CATEGORIES, 2),
            "paragraphs": paragraphs,
            "lang": "es" if spanish else "en",
        }


def rss_item(item):
    body = "".join(f"<p>{html.escape(p)}</p>" for p in item["paragraphs"])
    cats = "".join(f"<category>{html.escape(t)}</category>" for t in item["tags"])
    return (
        f"<item><title>{html.escape(item['title'])}</title><link>{item['url']}</link>"
        f"<guid>{item['id']}</guid><pubDate>{item['date'].strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        f"{cats}<description><![CDATA[{body}]]></description></item>\n"
    )


def atom_item(item):
    body = html.escape("".join(f"<p>{html.escape(p)}</p>" for p in item["paragraphs"]))
    cats = "".join(f'<category term="{html.escape(t)}"/>' for t in item["tags"])
    return (
        f"<entry><title>{html.escape(item['title'])}</title><id>{item['id']}</id>"
        f'<link href="{item["url"]}"/><published>{item["date"].isoformat()}</published>'
        f'{cats}<content type="html">{body}</content></entry>\n'
    )


def jsonl_item(item):
    return json.dumps(
        {
            "id": item["id"],
            "title": item["title"],
            "url": item["url"],
            "date": item["date"].isoformat(),
            "tags": item["tags"],
            "lang": item["lang"],
            "body": "\n\n".join(item["paragraphs"]),
        },
        ensure_ascii=False,
    ) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--megabytes", type=float, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    target = int(args.megabytes * 1024 * 1024)
    # Items are drawn until the RSS file reaches the size; the other two get the same items.
    rng = random.Random(args.seed)
    chosen, size = [], 0
    for item in items(rng, 10**9):
        chosen.append(item)
        size += len(rss_item(item).encode())
        if size >= target:
            break
    with open(args.out / "feed.rss", "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                  "<title>Bench Wire</title><link>https://bench.test/</link>\n")
        out.writelines(rss_item(item) for item in chosen)
        out.write("</channel></rss>\n")
    with open(args.out / "feed.atom", "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                  "<title>Bench Wire</title><id>urn:bench</id><updated>2025-12-31T00:00:00Z</updated>\n")
        out.writelines(atom_item(item) for item in chosen)
        out.write("</feed>\n")
    with open(args.out / "items.jsonl", "w", encoding="utf-8") as out:
        out.writelines(jsonl_item(item) for item in chosen)
    for name in ["feed.rss", "feed.atom", "items.jsonl"]:
        path = args.out / name
        print(f"{path}: {path.stat().st_size / 1024 / 1024:.1f} MiB, {len(chosen)} items")


if __name__ == "__main__":
    main()
