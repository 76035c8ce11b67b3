#!/usr/bin/env python3
"""Time topictrack beside SQLite FTS5 and tantivy-cli on real corpora (called by bench/run.sh).

Indexing: wall time, documents/s, MB/s, peak RSS (/usr/bin/time -v), index size; full index,
re-index of the unchanged corpus, enrichment on and off. Queries: each as a whole process and
in-process (examples/bench_queries.rs, tantivy-cli `bench`, fts5_baseline.py's own timers),
p50/p95 after a warm-up. Systems are alternated run by run; medians and ratios are reported.
Tracking (Reuters and 1m): on a copy of the full index, `topic add --like` (the earliest four stories of
a tag) and `topic add --query`, each timed with its removal, alternated; then `track` whole-process:
a first look over every member, nothing new, and after an indexing run of a day's new documents.
Anything missing (a corpus, tantivy-cli, /usr/bin/time) is skipped with a message.
Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")

# Per corpus: the queries. `by` says whether filters and timeline series use tags or topics.
REUTERS_Q = {
    "keyword": "oil prices",
    "filtered": "oil",
    "from": "1987-03-01",
    "to": "1987-04-30",
    "by": "tag",
    "filter_value": "crude",
    "series": ["crude", "grain", "trade", "interest", "money-fx"],
    # Tracking: a topic learned from the earliest four stories of this tag, and a query topic.
    "track_tag": "crude",
    "track_query": "oil",
}
QUERIES = {
    "reuters": REUTERS_Q,
    "1m": {**REUTERS_Q, "from": "1990-01-01", "to": "1999-12-31"},
    "sample": {
        "keyword": "export controls",
        "filtered": "nvidia",
        "from": "2024-01-01",
        "to": "2025-12-31",
        "by": "topic",
        "filter_value": "ai-chips",
        "series": ["export-controls", "ai-chips", "model-training", "taiwan-supply-risk",
                   "us-china-rivalry"],
    },
}
QUERY_KINDS = ["search", "filtered", "facets", "timeline1", "timeline5"]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def percentile(values, pct):
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]


def dir_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(cmd, stdin_path=None, stdin_text=None, cwd=None):
    """Runs `cmd`, returning wall seconds, peak RSS (MiB, from /usr/bin/time -v) and stdout."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = [str(TIME), "-v", "-o", report.name, *map(str, cmd)] if TIME.exists() else list(map(str, cmd))
        stdin = open(stdin_path, "rb") if stdin_path else (subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL)
        try:
            started = time.perf_counter()
            done = subprocess.run(full, stdin=stdin, input=stdin_text.encode() if stdin_text is not None else None,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
            wall = time.perf_counter() - started
        finally:
            if stdin_path:
                stdin.close()
        rss = cpu = None
        if TIME.exists():
            text = Path(report.name).read_text()
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
            rss = int(found.group(1)) / 1024 if found else None
            # CPU seconds (user + system) vary less than wall time on a shared machine.
            times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text)
            cpu = sum(float(t) for t in times) if len(times) == 2 else None
    return {"wall_s": wall, "rss_mib": rss, "cpu_s": cpu, "rc": done.returncode,
            "stdout": done.stdout.decode("utf-8", "replace"), "stderr": done.stderr.decode("utf-8", "replace")}


class Bench:
    def __init__(self, opts):
        self.opts = opts
        self.data = Path(opts.data).resolve()
        self.work = self.data / "work"
        self.shared = Path(opts.shared).resolve()
        self.tt = ROOT / "target" / "release" / "topictrack"
        self.bq = ROOT / "target" / "release" / "examples" / "bench_queries"
        self.fts5 = self.shared / "tools" / "fts5_baseline.py"
        self.scale = self.shared / "tools" / "scale_corpus.py"
        tantivy = ROOT / "bench" / "tools" / "bin" / "tantivy"
        self.tantivy = tantivy if tantivy.exists() else None
        self.results = {"machine": machine(), "corpora": {}, "notes": []}
        if not TIME.exists():
            self.note("/usr/bin/time not found: peak RSS is not measured")
        if not self.fts5.exists():
            self.note(f"{self.fts5} not found: SQLite FTS5 columns skipped")
            self.fts5 = None
        if self.tantivy is None:
            self.note("bench/tools/bin/tantivy not found: tantivy-cli columns skipped")
        for tool in (self.tt, self.bq):
            if not tool.exists():
                sys.exit(f"{tool} is missing: run bench/run.sh (it builds in release mode)")

    def note(self, text):
        say("note: " + text)
        self.results["notes"].append(text)

    # ---------------------------------------------------------------- corpora
    def corpus(self, name):
        """(path, is_jsonl) for a corpus, preparing it when needed; None when it cannot be found."""
        reuters = self.shared / "corpora" / "reuters21578" / "reuters21578.jsonl"
        if name == "sample":
            return ROOT / "sample_corpus", False
        if not reuters.exists():
            self.note(f"{reuters} not found: corpus {name} skipped")
            return None
        if name == "reuters":
            return reuters, True
        if name == "files":
            folder = self.data / "reuters-files"
            if not (folder / ".complete").exists():
                say(f"== exploding Reuters into single files under {folder}")
                shutil.rmtree(folder, ignore_errors=True)
                with open(reuters, encoding="utf-8") as lines:
                    for i, line in enumerate(lines):
                        if not line.strip():
                            continue
                        sub = folder / f"{i // 1000:02d}"
                        sub.mkdir(parents=True, exist_ok=True)
                        (sub / f"{i:05d}.json").write_text(line.strip() + "\n", encoding="utf-8")
                (folder / ".complete").touch()
            return folder, False
        if name == "1m":
            big = self.data / "reuters_x50.jsonl"
            if not (self.data / "reuters_x50.done").exists():
                if not self.scale.exists():
                    self.note(f"{self.scale} not found: corpus 1m skipped")
                    return None
                say(f"== generating {big} (50 copies of Reuters, ~1.1 GB)")
                self.data.mkdir(parents=True, exist_ok=True)
                subprocess.run([sys.executable, str(self.scale), str(reuters), "50", str(big)], check=True)
                (self.data / "reuters_x50.done").touch()
            return big, True
        raise ValueError(name)

    # --------------------------------------------------------------- indexing
    def tt_index(self, corpus, index, rebuild=True, enrich=True):
        cmd = [self.tt, "--index", index, "index", corpus, "--json"]
        if rebuild:
            cmd.append("--rebuild")
        if not enrich:
            cmd.append("--no-enrich")
        got = measure(cmd)
        if got["rc"] not in (0, 2) or not got["stdout"].strip():
            say(got["stderr"][-2000:])
            raise RuntimeError(f"topictrack index failed ({got['rc']})")
        report = json.loads(got["stdout"])
        got["documents"] = report.get("documents")
        got["skipped"] = len(report.get("skipped") or [])
        got["size"] = dir_bytes(Path(index))
        return got

    def fts5_index(self, corpus, db):
        got = measure([sys.executable, self.fts5, "index", db, corpus])
        if got["rc"] != 0:
            say(got["stderr"][-2000:])
            return None
        got["size"] = dir_bytes(Path(db))
        return got

    def tantivy_index(self, corpus, folder):
        shutil.rmtree(folder, ignore_errors=True)
        # `tantivy new` asks for the schema interactively: title and body stemmed text with
        # positions, stored; id and tags raw strings (tags fast, for facets); date stored, fast, indexed.
        answers = []
        fields = [("id", "Text", ["Y", "N", "Y", "N"]),
                  ("title", "Text", ["Y", "N", "Y", "Y", "Y", "Y"]),
                  ("body", "Text", ["Y", "N", "Y", "Y", "Y", "Y"]),
                  ("tags", "Text", ["Y", "Y", "Y", "N"]),
                  ("date", "Date", ["Y", "Y", "Y"])]
        for i, (name, kind, yes_no) in enumerate(fields):
            answers += [name, kind, *yes_no, "Y" if i + 1 < len(fields) else "N"]
        made = subprocess.run([str(self.tantivy), "new", "-i", str(folder)], input="\n".join(answers) + "\n",
                              capture_output=True, text=True)
        if made.returncode != 0:
            self.note(f"tantivy new failed: {made.stderr[-300:]}")
            return None
        # Same writer setup as topictrack: 2 threads, 256 MiB in total.
        got = measure([self.tantivy, "index", "-i", folder, "-f", corpus, "-t", "2", "-m", str(256 * 1024 * 1024)])
        if got["rc"] != 0:
            say(got["stderr"][-2000:])
            return None
        got["size"] = dir_bytes(Path(folder))
        return got

    def index_corpus(self, name, corpus, jsonl, runs):
        work = self.work / name
        work.mkdir(parents=True, exist_ok=True)
        size = dir_bytes(corpus)
        docs = None
        rows = {k: [] for k in ["tt_full", "tt_reindex", "tt_basic", "fts5", "tantivy"]}
        for run in range(runs):
            say(f"== {name}: indexing run {run + 1}/{runs}")
            order = ["tt_full", "fts5", "tantivy", "tt_basic"]
            if run % 2:
                order.reverse()
            for system in order:
                if system == "tt_full":
                    got = self.tt_index(corpus, work / "tt-full")
                    docs = got["documents"]
                    rows["tt_full"].append(got)
                    rows["tt_reindex"].append(self.tt_index(corpus, work / "tt-full", rebuild=False))
                elif system == "tt_basic":
                    rows["tt_basic"].append(self.tt_index(corpus, work / "tt-basic", enrich=False))
                elif system == "fts5" and jsonl and self.fts5:
                    got = self.fts5_index(corpus, work / "fts5.db")
                    if got:
                        rows["fts5"].append(got)
                elif system == "tantivy" and jsonl and self.tantivy:
                    got = self.tantivy_index(corpus, work / "tantivy")
                    if got:
                        rows["tantivy"].append(got)
                if rows.get(system) and rows[system][-1]:
                    last = rows[system][-1]
                    say(f"   {system:10s} {last['wall_s']:8.2f} s  rss {last['rss_mib'] or 0:7.0f} MiB")
        out = {"bytes": size, "documents": docs, "index": {}}
        for system, got in rows.items():
            if not got:
                continue
            wall = median([g["wall_s"] for g in got])
            out["index"][system] = {
                "runs": len(got),
                "wall_s": round(wall, 3),
                "docs_per_s": round(docs / wall) if docs and wall else None,
                "mb_per_s": round(size / 1e6 / wall, 2) if wall else None,
                "cpu_s": round(median([g.get("cpu_s") for g in got]) or 0, 3),
                "peak_rss_mib": round(median([g["rss_mib"] for g in got]) or 0, 1),
                "size_mib": round(got[-1]["size"] / 2**20, 1),
                "all_wall_s": [round(g["wall_s"], 3) for g in got],
            }
        return out

    # ---------------------------------------------------------------- queries
    def tt_commands(self, index, q):
        base = [self.tt, "--index", index]
        flag = "--tag" if q["by"] == "tag" else "--topic"
        timeline = [*base, "timeline", "--by", "month"]
        series = (lambda values: [a for v in values for a in ("--tag", v)]) if q["by"] == "tag" else (lambda values: values)
        return {
            "search": [*base, "search", q["keyword"]],
            "filtered": [*base, "search", q["filtered"], "--from", q["from"], "--to", q["to"], flag, q["filter_value"]],
            "facets": [*base, "facets"],
            "timeline1": [*timeline, *series(q["series"][:1])],
            "timeline5": [*timeline, *series(q["series"][:5])],
        }

    def tantivy_commands(self, folder, q):
        """tantivy-cli has no top-10 or facet command: searches print a count aggregation, facets a
        terms aggregation over tags, timelines a 30-day date histogram (it has no calendar months)."""
        base = [self.tantivy, "search", "-i", folder]
        count = json.dumps({"n": {"value_count": {"field": "date"}}})
        hist = {"h": {"date_histogram": {"field": "date", "fixed_interval": "30d"}}}
        ands = text_query(q["keyword"])
        dates = f"date:[{q['from']}T00:00:00Z TO {q['to']}T23:59:59Z]"
        five = " OR ".join(f"tags:{t}" for t in q["series"][:5])
        return {
            "search": [*base, "-q", ands, "-a", count],
            "filtered": [*base, "-q", f"{text_query(q['filtered'])} AND {dates} AND tags:{q['filter_value']}", "-a", count],
            "facets": [*base, "-q", "*", "-a", json.dumps({"t": {"terms": {"field": "tags", "size": 10}}})],
            "timeline1": [*base, "-q", f"tags:{q['series'][0]}", "-a", json.dumps(hist)],
            "timeline5": [*base, "-q", five, "-a", json.dumps(
                {"s": {"terms": {"field": "tags", "size": 5, "include": q["series"][:5]}, "aggs": hist}})],
        }

    def query_corpus(self, name, index, fts5_db, tantivy_dir):
        q = QUERIES[name]
        runs, warmup = self.opts.query_runs, self.opts.warmup
        tt = self.tt_commands(index, q)
        tv = self.tantivy_commands(tantivy_dir, q) if self.tantivy and tantivy_dir and tantivy_dir.exists() else {}
        fts = None
        if self.fts5 and fts5_db and fts5_db.exists():
            fts = {
                "search": [sys.executable, self.fts5, "query", fts5_db, q["keyword"], "0000", "9999"],
                "filtered": [sys.executable, self.fts5, "query", fts5_db, q["filtered"], q["from"], q["to"] + "T99"],
            }
        times = {}  # (system, kind) -> [ms]
        inner = {}  # fts5's own in-process timers
        say(f"== {name}: whole-process queries, {warmup} warm-up + {runs} runs, systems alternated")
        for run in range(warmup + runs):
            for kind in QUERY_KINDS:
                jobs = [("topictrack", tt[kind])]
                if kind in tv:
                    jobs.append(("tantivy", tv[kind]))
                if fts and kind in ("search", "filtered"):
                    jobs.append(("fts5", fts[kind]))
                if run % 2:
                    jobs.reverse()
                for system, cmd in jobs:
                    got = measure(cmd)
                    if got["rc"] != 0:
                        raise RuntimeError(f"{system} {kind} failed: {' '.join(map(str, cmd))}\n{got['stderr'][-1000:]}")
                    if run < warmup:
                        continue
                    ms = got["wall_s"] * 1000
                    if system == "fts5":
                        # One fts5_baseline.py process runs the search and then a monthly timeline of
                        # the same keyword; split the process time with its own timers.
                        report = json.loads(got["stdout"])
                        inner.setdefault(kind, []).append(report)
                        times.setdefault(("fts5", kind), []).append(ms - report["timeline_ms"])
                        if kind == "search":
                            times.setdefault(("fts5", "timeline1"), []).append(ms - report["search_ms"])
                    else:
                        times.setdefault((system, kind), []).append(ms)
        out = {"whole": {}, "inprocess": {}}
        for (system, kind), values in times.items():
            out["whole"].setdefault(kind, {})[system] = {"p50_ms": round(percentile(values, 50), 2),
                                                         "p95_ms": round(percentile(values, 95), 2), "runs": len(values)}
        # In-process: the library through examples/bench_queries.rs.
        cmd = [self.bq, "--index", index, "--runs", runs, "--warmup", warmup, "--keyword", q["keyword"],
               "--filtered", q["filtered"], "--from", q["from"], "--to", q["to"], "--by", q["by"],
               "--filter-value", q["filter_value"]]
        for value in q["series"]:
            cmd += ["--series", value]
        got = measure(cmd)
        if got["rc"] != 0:
            raise RuntimeError(f"bench_queries failed: {got['stderr'][-1000:]}")
        for kind, timing in json.loads(got["stdout"]).items():
            out["inprocess"].setdefault(kind, {})["topictrack"] = timing
        for kind, reports in inner.items():
            key = "search_ms"
            vals = [r[key] for r in reports]
            out["inprocess"].setdefault(kind, {})["fts5"] = {"p50_ms": round(percentile(vals, 50), 2),
                                                             "p95_ms": round(percentile(vals, 95), 2)}
            if kind == "search":
                vals = [r["timeline_ms"] for r in reports]
                out["inprocess"].setdefault("timeline1", {})["fts5"] = {"p50_ms": round(percentile(vals, 50), 2),
                                                                        "p95_ms": round(percentile(vals, 95), 2)}
        if tv:
            out["inprocess"].update(self.tantivy_inprocess(tantivy_dir, q, out["inprocess"]))
        return out

    def tantivy_inprocess(self, folder, q, into):
        """tantivy-cli's `bench`: top 10 + count per query, timed inside the process (µs)."""
        queries = {
            "search": text_query(q["keyword"]),
            "filtered": f"{text_query(q['filtered'])} AND date:[{q['from']}T00:00:00Z TO {q['to']}T23:59:59Z] AND tags:{q['filter_value']}",
        }
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("\n".join(queries.values()) + "\n")
        repeat = self.opts.warmup + self.opts.query_runs
        got = measure([self.tantivy, "bench", "-i", folder, "-q", f.name, "-n", repeat])
        os.unlink(f.name)
        section = got["stdout"].split("FETCH STORE")[0]
        per = {text: [] for text in queries.values()}
        for line in section.splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0] in per and parts[2].strip().isdigit():
                per[parts[0]].append(int(parts[2]) / 1000)
        for kind, text in queries.items():
            values = per[text][self.opts.warmup:]
            if values:
                into.setdefault(kind, {})["tantivy"] = {"p50_ms": round(percentile(values, 50), 3),
                                                        "p95_ms": round(percentile(values, 95), 3)}
        return {}

    # --------------------------------------------------------------- tracking
    def tt_json(self, index, *args, ok=(0,)):
        got = measure([self.tt, "--index", index, *args])
        if got["rc"] not in ok:
            raise RuntimeError(f"topictrack {' '.join(map(str, args))} failed ({got['rc']}): {got['stderr'][-1000:]}")
        return got

    def track_corpus(self, name, base, corpus):
        """Topic changes and `track` on a copy of the full index (the query benchmarks' index stays as it was)."""
        q = QUERIES[name]
        runs = self.opts.track_runs
        index = self.work / name / "tt-track"
        say(f"== {name}: tracking, copying the index to {index}")
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(base, index)
        oldest = json.loads(self.tt_json(index, "search", "*", "--tag", q["track_tag"], "--sort", "oldest",
                                         "-n", "4", "--json")["stdout"])
        like = [a for hit in oldest["hits"] for a in ("--like", hit["id"])]
        changes = {"like": ["topic", "add", "bench-like", *like, "--json"],
                   "query": ["topic", "add", "bench-query", "--query", q["track_query"], "--json"]}
        times = {}  # kind -> {"wall": [...], "apply": [...], "members": n}
        say(f"== {name}: topic add/remove, {runs} runs each, alternated")
        for run in range(runs):
            kinds = list(changes) if run % 2 == 0 else list(reversed(changes))
            for kind in kinds:
                added = self.tt_json(index, *changes[kind])
                report = json.loads(added["stdout"])
                removed = self.tt_json(index, "topic", "remove", report["id"], "--json")
                entry = times.setdefault(kind, {"wall": [], "apply": [], "remove_wall": [], "members": report["members"]})
                entry["wall"].append(added["wall_s"])
                entry["apply"].append(report["seconds"])
                entry["remove_wall"].append(removed["wall_s"])
        out = {"documents": None, "changes": {}, "track": {}}
        for kind, entry in times.items():
            out["changes"][kind] = {"members": entry["members"], "runs": len(entry["wall"]),
                                    "wall_s": round(median(entry["wall"]), 3),
                                    "apply_s": round(median(entry["apply"]), 3),
                                    "remove_wall_s": round(median(entry["remove_wall"]), 3)}
        for kind in changes:
            self.tt_json(index, *changes[kind])
        self.tt_json(index, "track", "--quiet", ok=(0, 3))

        def track_p(label, args, expect):
            values = []
            for run in range(self.opts.warmup + runs):
                got = self.tt_json(index, "track", "--peek", *args, ok=(expect,))
                if run >= self.opts.warmup:
                    values.append(got["wall_s"] * 1000)
            out["track"][label] = {"p50_ms": round(percentile(values, 50), 2),
                                   "p95_ms": round(percentile(values, 95), 2), "runs": len(values)}

        say(f"== {name}: track, {self.opts.warmup} warm-up + {runs} runs per case")
        track_p("first look (every member)", ["--since", "1970-01-01"], 0)
        track_p("nothing new", [], 3)
        # A day's news: 1,000 records of the corpus under new ids, indexed into the tracked index.
        day = self.work / name / "day2"
        shutil.rmtree(day, ignore_errors=True)
        day.mkdir(parents=True)
        with open(corpus, encoding="utf-8") as lines, open(day / "day2.jsonl", "w", encoding="utf-8") as out_file:
            taken = 0
            for line in lines:
                if taken == 1000:
                    break
                record = json.loads(line)
                if not (record.get("title") or record.get("body")):
                    continue
                record["id"] = f"day2-{record.get('id', taken)}"
                out_file.write(json.dumps(record) + "\n")
                taken += 1
        batch = self.tt_json(index, "index", day, "--json", ok=(0, 2))
        out["day_index_s"] = round(batch["wall_s"], 3)
        report = json.loads(self.tt_json(index, "track", "--peek", "--json", ok=(0,))["stdout"])
        out["day_new"] = {topic["id"]: topic["new"] for topic in report["topics"]}
        track_p("after a day's 1,000 documents", [], 0)
        out["documents"] = json.loads(self.tt_json(index, "stats", "--json")["stdout"]).get("documents")
        return out

    # -------------------------------------------------------------------- run
    def run(self):
        self.results["load_before"] = os.getloadavg()
        for name in self.opts.corpora:
            found = self.corpus(name)
            if not found:
                continue
            corpus, jsonl = found
            runs = self.opts.large_runs if name == "1m" else self.opts.index_runs
            work = self.work / name
            if runs > 0:
                entry = self.index_corpus(name, corpus, jsonl, runs)
            else:
                entry = {"bytes": dir_bytes(corpus), "documents": None, "index": {}}
                self.note(f"{name}: indexing not timed (0 runs); queries use existing indexes")
            index = Path(self.opts.index_1m) if (name == "1m" and self.opts.index_1m) else work / "tt-full"
            if name in QUERIES and self.opts.query_runs > 0:
                if (index / "meta.json").exists():
                    entry["queries"] = self.query_corpus(name, index, work / "fts5.db", work / "tantivy")
                else:
                    self.note(f"{name}: no index at {index}: queries skipped")
            if name in QUERIES and "track_tag" in QUERIES[name] and self.opts.track_runs > 0:
                if (index / "meta.json").exists():
                    entry["tracking"] = self.track_corpus(name, index, corpus)
                else:
                    self.note(f"{name}: no index at {index}: tracking skipped")
            self.results["corpora"][name] = entry
            self.save()
        self.results["load_after"] = os.getloadavg()
        self.save()
        print(render(self.results))

    def save(self):
        out = Path(self.opts.results)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".json").write_text(json.dumps(self.results, indent=2) + "\n")
        out.with_suffix(".md").write_text(render(self.results))


def text_query(words):
    """Every word in title or body, spelled out for tantivy-cli (its `bench` would also search the date field)."""
    return " AND ".join(f"(title:{w} OR body:{w})" for w in words.split())


def machine():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return None
    cpu = None
    try:
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), None)
    except OSError:
        pass
    mem = None
    try:
        mem = round(int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 2**20, 1)
    except (OSError, StopIteration):
        pass
    lock = (ROOT / "Cargo.lock").read_text()
    tantivy = re.search(r'name = "tantivy"\nversion = "([^"]+)"', lock)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "mem_gib": mem, "kernel": platform.release(),
        "rustc": run(["rustc", "--version"]), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "tantivy": tantivy.group(1) if tantivy else None,
        "tantivy_cli": run([str(ROOT / "bench/tools/bin/tantivy"), "--version"]) if (ROOT / "bench/tools/bin/tantivy").exists() else None,
        "topictrack_commit": run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
    }


def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"


def fmt(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"{value}{unit}"


def render(results):
    lines = ["# Benchmark results", ""]
    m = results["machine"]
    lines += [f"Machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB, Linux {m['kernel']}; "
              f"{m['rustc']}; tantivy {m['tantivy']}; {m['tantivy_cli'] or 'tantivy-cli absent'}; "
              f"SQLite {m['sqlite']}; Python {m['python']}; topictrack {m['topictrack_commit']}.",
              f"Load average before/after: {results.get('load_before')} / {results.get('load_after')}.", ""]
    for name, entry in results["corpora"].items():
        lines += [f"## {name}: {entry.get('documents') or '?'} documents, {entry['bytes'] / 1e6:.1f} MB", ""]
        idx = entry["index"]
        if idx:
            lines += ["| indexing | runs | wall s (median) | CPU s (median) | docs/s | MB/s | peak RSS MiB | index MiB | topictrack full / this (wall) |",
                      "|---|---|---|---|---|---|---|---|---|"]
            full = idx.get("tt_full", {}).get("wall_s")
            for system, label in [("tt_full", "topictrack, full enrichment"), ("tt_basic", "topictrack --no-enrich"),
                                  ("tt_reindex", "topictrack re-index, unchanged"), ("fts5", "SQLite FTS5"),
                                  ("tantivy", "tantivy-cli")]:
                if system in idx:
                    r = idx[system]
                    lines.append(f"| {label} | {r['runs']} | {fmt(r['wall_s'])} | {fmt(r.get('cpu_s'))} | {fmt(r['docs_per_s'])} | {fmt(r['mb_per_s'])} | "
                                 f"{fmt(r['peak_rss_mib'])} | {fmt(r['size_mib'])} | {ratio(full, r['wall_s'])} |")
            if "tt_reindex" in idx and full:
                lines.append(f"Re-index of the unchanged corpus: {100 * idx['tt_reindex']['wall_s'] / full:.1f} % of the full index time.")
            lines.append("")
        queries = entry.get("queries")
        if queries:
            lines += ["| query (ms) | topictrack whole p50 / p95 | topictrack in-process p50 / p95 | FTS5 whole p50 | FTS5 in-proc p50 | tantivy-cli whole p50 | tantivy-cli in-proc p50 | tt/FTS5 whole | tt/tantivy whole |",
                      "|---|---|---|---|---|---|---|---|---|"]
            for kind in QUERY_KINDS:
                w = queries["whole"].get(kind, {})
                i = queries["inprocess"].get(kind, {})
                tt_w, tt_i = w.get("topictrack", {}), i.get("topictrack", {})
                fw, fi = w.get("fts5", {}), i.get("fts5", {})
                tw, ti = w.get("tantivy", {}), i.get("tantivy", {})
                lines.append(f"| {kind} | {fmt(tt_w.get('p50_ms'))} / {fmt(tt_w.get('p95_ms'))} | {fmt(tt_i.get('p50_ms'))} / {fmt(tt_i.get('p95_ms'))} | "
                             f"{fmt(fw.get('p50_ms'))} | {fmt(fi.get('p50_ms'))} | {fmt(tw.get('p50_ms'))} | {fmt(ti.get('p50_ms'))} | "
                             f"{ratio(tt_w.get('p50_ms'), fw.get('p50_ms'))} | {ratio(tt_w.get('p50_ms'), tw.get('p50_ms'))} |")
            lines.append("")
        tracking = entry.get("tracking")
        if tracking:
            lines += [f"Tracking on a copy of the index ({tracking.get('documents') or '?'} documents after the day's batch):", "",
                      "| topic change | members | runs | whole process s (median) | applying s (median, the command's own report) | removing, whole process s |",
                      "|---|---|---|---|---|---|"]
            for kind, label in [("like", "topic add --like (4 examples)"), ("query", "topic add --query")]:
                r = tracking["changes"].get(kind)
                if r:
                    lines.append(f"| {label} | {r['members']} | {r['runs']} | {fmt(r['wall_s'])} | {fmt(r['apply_s'])} | {fmt(r['remove_wall_s'])} |")
            lines += ["", "| track (ms, whole process) | p50 | p95 | runs |", "|---|---|---|---|"]
            for label, r in tracking["track"].items():
                lines.append(f"| {label} | {fmt(r['p50_ms'])} | {fmt(r['p95_ms'])} | {r['runs']} |")
            lines += ["", f"The day's batch: indexed in {fmt(tracking.get('day_index_s'))} s; new per topic: {tracking.get('day_new')}.", ""]
    if results["notes"]:
        lines += ["Notes:", *[f"- {n}" for n in results["notes"]], ""]
    return "\n".join(lines)


def default_shared():
    """../shared beside the repository, or beside the main checkout when this is a git worktree."""
    candidates = [ROOT.parent / "shared"]
    try:
        common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True).stdout.strip()
        if common:
            candidates.append(Path(common).parent.parent / "shared")
    except OSError:
        pass
    return str(next((c for c in candidates if c.exists()), candidates[0]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("BENCH_DATA", str(ROOT / "bench" / "data")),
                        help="folder for generated corpora and benchmark indexes [BENCH_DATA, default bench/data]")
    parser.add_argument("--shared", default=os.environ.get("TOPICTRACK_SHARED") or default_shared(),
                        help="the shared folder with corpora/ and tools/ [TOPICTRACK_SHARED, default ../shared]")
    parser.add_argument("--corpora", default="sample,reuters,files,1m",
                        help="comma-separated: sample, reuters, files (Reuters as single files), 1m (50 × Reuters)")
    parser.add_argument("--index-runs", type=int, default=3, help="indexing runs per system (median reported)")
    parser.add_argument("--large-runs", type=int, default=None,
                        help="indexing runs for 1m (default: --index-runs; 0 = reuse an existing index)")
    parser.add_argument("--index-1m", default=None, help="an existing full-enrichment 1m index to query")
    parser.add_argument("--query-runs", type=int, default=20, help="timed runs per query (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per query first")
    parser.add_argument("--track-runs", type=int, default=10,
                        help="timed runs per topic change and per track case (0 skips tracking)")
    parser.add_argument("--results", default=str(ROOT / "bench" / "results" / "latest"),
                        help="where to write the figures: PATH.json and PATH.md [default bench/results/latest]")
    parser.add_argument("--quick", action="store_true", help="1 indexing run, 5 query runs, 1 warm-up")
    opts = parser.parse_args()
    if opts.quick:
        opts.index_runs, opts.query_runs, opts.warmup, opts.track_runs = 1, 5, 1, 3
    if opts.large_runs is None:
        opts.large_runs = opts.index_runs
    opts.corpora = [c.strip() for c in opts.corpora.split(",") if c.strip()]
    for name in opts.corpora:
        if name not in ("sample", "reuters", "files", "1m"):
            parser.error(f"unknown corpus {name!r}")
    Bench(opts).run()


if __name__ == "__main__":
    main()
