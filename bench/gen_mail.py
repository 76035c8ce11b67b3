#!/usr/bin/env python3
"""Writes the same generated messages three ways, for throughput runs of the mail readers beside
JSON Lines: OUT/box.mbox (one mailbox), OUT/eml/NNNNNN.eml (one file per message) and
OUT/messages.jsonl (one record per message).

    bench/gen_mail.py OUT [--mb 100]

Bodies are sentences built from a fixed word list (no text taken from anywhere); every fourth
message quotes its parent and every message is signed, so the quote and signature handling is on
the measured path. `--mb` is the approximate size of the mbox.
"""
import argparse
import json
import os
import random

WORDS = (
    "export controls chips Nvidia Tencent Alibaba engineers supply Taiwan models training "
    "inference efficiency semiconductor policy market analysts report quarter growth data "
    "centre network rules license shipment Madrid Beijing Washington minister company plan"
).split()


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(17)
    os.makedirs(os.path.join(args.out, "eml"), exist_ok=True)
    target = args.mb * 1024 * 1024
    written = 0
    n = 0
    with open(os.path.join(args.out, "box.mbox"), "w", encoding="utf-8") as mbox, open(
        os.path.join(args.out, "messages.jsonl"), "w", encoding="utf-8"
    ) as jsonl:
        while written < target:
            n += 1
            day = 1 + n % 28
            subject = sentence(rng)[:60]
            body = "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(3))
            text = body
            if n % 4 == 0:
                text += "\n\nOn Thu, %d May 2025, Ana <ana@example.org> wrote:\n> " % day
                text += "\n> ".join(sentence(rng) for _ in range(3))
            text += "\n\n-- \nLuis Example\nExample Corp"
            message = (
                "From: Luis Example <luis%d@example.org>\nTo: list@example.org\n"
                "Subject: %s\nDate: Thu, %d May 2025 10:%02d:00 +0200\n"
                "Message-ID: <m%d@example.org>\nList-Id: Chips <chips.example.org>\n"
                "Content-Type: text/plain; charset=utf-8\n\n%s\n"
            ) % (n % 50, subject, day, n % 60, n, text)
            entry = "From luis@example.org Thu May %2d 10:00:00 2025\n%s\n" % (day, message)
            mbox.write(entry)
            written += len(entry.encode("utf-8"))
            with open(os.path.join(args.out, "eml", "%06d.eml" % n), "w", encoding="utf-8") as eml:
                eml.write(message)
            record = {
                "id": "m%d@example.org" % n,
                "title": subject,
                "date": "2025-05-%02dT08:%02d:00Z" % (day, n % 60),
                "text": text,
                "tags": ["chips.example.org"],
            }
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
    print("%d messages, %.1f MB of mbox" % (n, written / 1e6))


if __name__ == "__main__":
    main()
