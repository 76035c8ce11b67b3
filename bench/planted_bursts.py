#!/usr/bin/env python3
"""Planted bursts: does `trends` (and `trends --bursts`) find rises we put into a real corpus?

Takes Reuters-21578 (or any JSON Lines corpus with `date`, `title`, `body`), plants copies of
randomly chosen stories under new ids, each carrying a tag no real story has (`planted`) and a
made-up word in its body, and indexes corpus + plants with the release binary:

- a one-week burst of 5, 10, 20 and 40 stories spread over the week;
- a slow rise over four weeks (1, 2, 4 and 8 stories a week).

For each it asks `trends --from WEEK_START --to WEEK_END --kind tag` (is `planted` listed, at what
rank?) and `trends --bursts --kind tag` (does a burst of `planted` cover the planted days?). False
alarms: on the corpus without plants, how many tags `trends` lists per one-week window over the
corpus's dense weeks (real rises count too: they are what else a user would be shown).

    python3 bench/planted_bursts.py [--corpus FILE] [--binary target/release/topictrack] [--work DIR]

Prints a Markdown table; `--json FILE` also writes the figures.
"""

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "planted"
WORD = "zorblat"


def day(text):
    return dt.date.fromisoformat(text[:10])


def read(corpus):
    with open(corpus, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line:
                yield json.loads(line)


def plant(records, days_and_counts, seed):
    """Copies of random dated stories, `count` on each given day, tagged and carrying WORD."""
    rng = random.Random(seed)
    dated = [r for r in records if r.get("date") and (r.get("body") or "").strip()]
    out = []
    for when, count in days_and_counts:
        for n in range(count):
            story = dict(rng.choice(dated))
            story["id"] = f"planted-{when.isoformat()}-{n}"
            story["date"] = when.isoformat()
            story["tags"] = [TAG]
            story["body"] = f"{story['body']}\nAnalysts mentioned {WORD} again."
            out.append(story)
    return out


def index(binary, work, records, name):
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    idx = folder / "index"
    subprocess.run([binary, "--index", str(idx), "index", str(folder / "corpus.jsonl")],
                   check=False, capture_output=True)
    return idx


def trends(binary, idx, *args, empty_ok=False):
    run = subprocess.run([binary, "--index", str(idx), "trends", "--kind", "tag", "--json", *args],
                         capture_output=True, text=True)
    if run.returncode != 0:
        if empty_ok and "holds no document" in run.stderr:
            return None
        raise SystemExit(f"trends {args} failed: {run.stderr.strip()}")
    return json.loads(run.stdout)


def rank_of(report):
    for group in report["kinds"]:
        for at, item in enumerate(group["items"], 1):
            if item["value"] == TAG:
                return at
    return None


def burst_covers(report, first, last):
    for burst in report["bursts"]:
        if burst["value"] == TAG and day(burst["from"]) <= last and day(burst["to"]) >= first:
            return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = ROOT.parent / "shared"
    parser.add_argument("--corpus", default=str(shared / "corpora/reuters21578/reuters21578.jsonl"))
    parser.add_argument("--binary", default=str(ROOT / "target/release/topictrack"))
    parser.add_argument("--work", default=None, help="folder for the indexes (default: a temporary one)")
    parser.add_argument("--week", default="1987-04-06", help="first day of the planted week")
    parser.add_argument("--json", default=None)
    opts = parser.parse_args()
    if not Path(opts.corpus).exists():
        sys.exit(f"{opts.corpus} not found")
    work = Path(opts.work) if opts.work else Path(tempfile.mkdtemp(prefix="planted-"))
    records = list(read(opts.corpus))
    start = dt.date.fromisoformat(opts.week)
    week = [start + dt.timedelta(days=n) for n in range(7)]
    rows = []
    cases = [(f"one week, {k} stories", [(week[n % 7], k // 7 + (1 if n < k % 7 else 0)) for n in range(7)],
              week[0], week[-1]) for k in (5, 10, 20, 40)]
    rise = []
    for w, per_week in enumerate((1, 2, 4, 8)):
        for n in range(per_week):
            rise.append((start + dt.timedelta(days=7 * w + (n * 7) // per_week), 1))
    cases.append(("slow rise, 1/2/4/8 a week over 4 weeks", rise, start + dt.timedelta(days=21),
                  start + dt.timedelta(days=27)))
    for name, plan, first, last in cases:
        plan = [(when, count) for when, count in plan if count > 0]
        planted = plant(records, plan, seed=len(rows) + 1)
        idx = index(opts.binary, work, records + planted, f"case{len(rows)}")
        window = trends(opts.binary, idx, "--from", first.isoformat(), "--to", last.isoformat())
        bursts = trends(opts.binary, idx, "--bursts", "--top", "50")
        rows.append({"case": name, "planted": len(planted), "window": f"{first} to {last}",
                     "trends_rank": rank_of(window), "burst_found": burst_covers(bursts, first, last)})
    # False alarms: tags listed per week on the corpus without plants, over its dense weeks.
    idx = index(opts.binary, work, records, "clean")
    listed = []
    for w in range(-3, 5):
        first = start + dt.timedelta(days=7 * w)
        report = trends(opts.binary, idx, "--from", first.isoformat(),
                        "--to", (first + dt.timedelta(days=6)).isoformat(), empty_ok=True)
        if report is not None:  # a week of the corpus without any story is skipped
            listed.append(sum(len(group["items"]) for group in report["kinds"]))
    clean_bursts = trends(opts.binary, idx, "--bursts", "--top", "1000")
    print("| planted | stories | window asked | trends: rank of `planted` | --bursts: found |")
    print("|---|---|---|---|---|")
    for row in rows:
        rank = row["trends_rank"] if row["trends_rank"] is not None else "not listed"
        print(f"| {row['case']} | {row['planted']} | {row['window']} | {rank} | {'yes' if row['burst_found'] else 'no'} |")
    print()
    print(f"Without plants: tags listed per one-week window over {len(listed)} weeks with stories "
          f"from {start - dt.timedelta(days=21)}: {listed} (mean {sum(listed) / max(len(listed), 1):.1f}); "
          f"`trends --bursts --kind tag` lists {len(clean_bursts['bursts'])} bursts "
          f"(by {clean_bursts['interval']}).")
    if opts.json:
        Path(opts.json).write_text(json.dumps({"cases": rows, "clean_listed_per_week": listed,
                                               "clean_bursts": len(clean_bursts["bursts"])}, indent=2) + "\n")
    if not opts.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
