"""`mtrepair detect - --jsonl --lines`: the detector through the real command line."""

from __future__ import annotations

import json

from conftest import run_cli


def test_detect_lines_gives_document_offsets() -> None:
    doc = (
        "IMSS is the best school of Medicine, dice Zoé Robledo in graduation\n"
        "Deja una respuesta\n"
        "\n"
        "The mayor said no.\n"
    )
    done = run_cli("detect", "-", "--jsonl", "--lines", "--no-glossary", input=doc.encode("utf-8"))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == [line for line in doc.splitlines() if line]
    spans = [(s["label"], s["text"], s["start"], s["end"]) for r in records for s in r["spans"]]
    first = doc.index("dice")
    second = doc.index("Deja")
    assert spans == [
        ("es", "dice", first, first + 4),
        ("name", "Zoé Robledo", first + 5, first + 16),
        ("es", "Deja una respuesta", second, second + 18),
    ]
    for r in records:
        assert doc[r["start"] : r["end"]] == r["text"]
        for s in r["spans"]:
            assert doc[s["start"] : s["end"]] == s["text"]
