#!/usr/bin/env python3
"""Generates a document-format throughput input: the same N articles as PDF files, as DOCX files
and as one JSON Lines file, so that indexing each shows what reading the format costs.

    python3 bench/documents.py OUT_DIR [--count 1000]

writes OUT_DIR/pdf/NNNN.pdf, OUT_DIR/docx/NNNN.docx and OUT_DIR/jsonl/articles.jsonl. Standard
library only; the PDF and DOCX writers are the fixture writers of tests/fixtures/documents/.
Articles are built from sentences written for this project, shuffled by a fixed seed.
"""

import argparse
import importlib.util
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures", "documents", "make_fixtures.py")

SENTENCES = [
    "Tencent dice que su reserva de GPU comprada a Nvidia le basta para varias generaciones de modelos.",
    "Las compras de chips H20 crecieron en el primer trimestre, antes de los controles de abril.",
    "Washington empezó a limitar la venta de GPU avanzadas a China en 2022.",
    "Huawei afirma que sus socios han aliviado la escasez de chips avanzados.",
    "Una red de empresas chinas quiere superar el setenta por ciento de autosuficiencia en semiconductores.",
    "La empresa prioriza la eficiencia de cada chip sobre el número de unidades instaladas.",
    "El modelo de razonamiento se integró en el asistente de la compañía.",
    "Los analistas preguntaron por el ritmo de despliegue de nuevos centros de datos.",
    "Taiwan still makes nearly all of the most advanced AI chips.",
    "Export controls on the H20 were imposed in April.",
    "Software optimisation leaves room to make inference cheaper.",
    "Smaller models tuned to one application need far fewer accelerators.",
    "Engineers argue that a ban slows a rival but does not stop it for good.",
    "Chip buyers now weigh chips made at home against chips they can still import.",
    "Agent workloads and chain-of-thought reasoning call for more computing power.",
    "Share prices of technology companies fell after the release of a cheap model.",
]


def load_writers():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def article(rng, number):
    sentences = [rng.choice(SENTENCES) for _ in range(24)]
    day = 1 + number % 28
    month = 1 + number % 12
    return {
        "title": f"Informe {number}: chips y controles",
        "date": f"2025-{month:02d}-{day:02d}",
        "lines": [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)],
    }


def pdf_date(date):
    return "D:" + date.replace("-", "") + "090000Z"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    writers = load_writers()
    rng = random.Random(17)
    for folder in ("pdf", "docx", "jsonl"):
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
    with open(os.path.join(args.out, "jsonl", "articles.jsonl"), "w", encoding="utf-8") as jsonl:
        for number in range(args.count):
            item = article(rng, number)
            # A line of two sentences runs past the page's edge, which costs a text layer nothing.
            writers.write_pdf(
                os.path.join(args.out, "pdf", f"{number:04d}.pdf"),
                writers.text_page_objects(item["lines"]),
                info=[("Title", item["title"]), ("CreationDate", pdf_date(item["date"]))],
            )
            writers.write_docx(
                os.path.join(args.out, "docx", f"{number:04d}.docx"),
                "".join(writers.docx_paragraph(line) for line in item["lines"]),
                writers.core_properties(item["title"], item["date"] + "T09:00:00Z"),
            )
            record = {"title": item["title"], "date": item["date"], "body": "\n\n".join(item["lines"])}
            jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
