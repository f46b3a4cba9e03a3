"""World Café seating against random seating: repeated pairs and time.

For 24/6/3, 40/8/4 and 60/10/4 (participants/tables/rounds), one host per table: the domain's
seating, and random balanced seating averaged over 100 seeds. Prints one JSON object.

    python benchmarks/cafe_seating.py
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from council.formats.cafe.rules import random_seating, repeated_pairs, seat  # noqa: E402

CONFIGS = [(24, 6, 3), (40, 8, 4), (60, 10, 4)]


def main() -> None:
    out = []
    for n, t, rounds in CONFIGS:
        people = list(range(1, n + 1))
        tables = [f"table-{i + 1}" for i in range(t)]
        hosts = {table: people[i] for i, table in enumerate(tables)}
        start = time.perf_counter()
        plan = seat(people, tables, hosts, rounds)
        seconds = time.perf_counter() - start
        randoms = [repeated_pairs(random_seating(people, tables, hosts, rounds, s)) for s in range(100)]
        out.append({"participants": n, "tables": t, "rounds": rounds, "repeated_pairs": repeated_pairs(plan),
                    "random_repeated_pairs": round(sum(randoms) / len(randoms), 2), "seconds": round(seconds, 4)})
    print(json.dumps({"configs": out}, indent=2))


if __name__ == "__main__":
    main()
