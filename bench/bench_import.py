"""Importing generated national-layout rows with our importer, against a bare DBAPI
``executemany`` of the same rows into the same tables, as rows per second.

    python -m bench.bench_import [--rows N] [--postgres URL]

The bare load reads the same CSV and inserts companies, departments and records in
one transaction, with none of the importer's work: no normalising, screening,
classifying, hashing, look-ups of existing rows or per-chunk commits.
"""

import argparse
import csv
import random
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from credit_repair.importing import import_file
from credit_repair.logs import configure_logging
from credit_repair.persistence.db import make_engine
from credit_repair.persistence.migrate import upgrade
from credit_repair.workflow.uscc import ALPHABET, check_character

HEADERS = [
    "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_WSH", "CF_WFXW", "CF_SY",
    "CF_YJ", "CF_CFLB", "CF_NR", "CF_NR_FK", "CF_JDRQ", "CF_CFJG", "CF_CFJGDM",
]  # fmt: skip
KINDS = ["罚款", "警告、罚款", "警告", "罚款、没收违法所得", "责令停产停业、罚款"]
FIELDS = ["食品安全", "生态环境", "税收征管", "市场秩序", "安全生产", "价格"]
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日"]
NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def uscc(rng: random.Random, authority: str = "9", kind: str = "1") -> str:
    body = authority + kind + "530100" + "".join(rng.choices(ALPHABET, k=9))
    return body + check_character(body)


def generate(path: Path, rows: int, seed: int = 7) -> Path:
    """Write ``rows`` national-layout rows: 1 company in 5 penalised again, 60
    authorities, dates in every listed format, fines in 万元."""
    rng = random.Random(seed)
    companies = [(f"昆明{n}号商贸有限公司", uscc(rng)) for n in range(rows // 5 or 1)]
    authorities = [(f"昆明市第{n}监督管理部门", uscc(rng, "1")) for n in range(60)]
    start = date(2023, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for n in range(rows):
            party, party_code = rng.choice(companies)
            authority, authority_code = rng.choice(authorities)
            decided = start + timedelta(days=rng.randrange(1000))
            field = rng.choice(FIELDS)
            fine = rng.choice(["0.2", "1", "5", "12.5", "30", "150"])
            writer.writerow([
                party, "法人及非法人组织", party_code, f"昆罚〔{decided.year}〕{n}号",
                field, f"{field}方面的违法行为，经查属实（第{n}号案件）",
                f"《{field}管理条例》第{rng.randrange(1, 90)}条",
                rng.choice(KINDS), f"罚款{fine}万元", fine,
                decided.strftime(rng.choice(DATE_FORMATS)), authority, authority_code,
            ])  # fmt: skip
    return path


def bare_load(url: str, path: Path) -> int:
    """Insert the file's rows with DBAPI executemany; no checks of any kind."""
    engine = make_engine(url)
    companies, departments, records = {}, {}, []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            company = companies.setdefault(row[2], (len(companies) + 1, row[0]))
            department = departments.setdefault(
                row[12], (len(departments) + 1, row[11])
            )
            records.append((
                row[3], company[0], department[0], f'["{row[7]}"]', row[9],
                row[5], row[6], row[8], "general", "", "", NOW, NOW,
            ))  # fmt: skip
    insert_record = (
        "INSERT INTO penalty_record (identity_key, identity_derived, company_id,"
        " department_id, penalty_kinds, fine_yuan, facts, legal_basis, content,"
        " published_where, penalty_class, class_reason, is_published, content_hash,"
        " created_at, updated_at) VALUES (%s, false, %s, %s, %s, %s, %s, %s, %s,"
        " 'city', %s, %s, true, %s, %s, %s)"
    )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        mark = "%s"
        if engine.dialect.name == "sqlite":  # its connections are in autocommit mode
            cursor.execute("BEGIN")
            mark = "?"
        cursor.executemany(
            "INSERT INTO company (id, name, uscc, kind, identity_key, created_at)"
            " VALUES (%s, %s, %s, '法人及非法人组织', %s, %s)".replace("%s", mark),
            [(cid, name, code, code, NOW) for code, (cid, name) in companies.items()],
        )
        cursor.executemany(
            "INSERT INTO department (id, code, name) VALUES (%s, %s, %s)".replace(
                "%s", mark
            ),
            [(did, code, name) for code, (did, name) in departments.items()],
        )
        cursor.executemany(insert_record.replace("%s", mark), records)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return len(records)


def measure(name: str, urls: tuple[str, str], path: Path, rows: int) -> dict:
    ours_engine = make_engine(urls[0])
    started = time.perf_counter()
    summary = import_file(ours_engine, path, clock_now=NOW)
    ours = time.perf_counter() - started
    ours_engine.dispose()
    assert summary.imported == rows, summary.as_dict()

    started = time.perf_counter()
    assert bare_load(urls[1], path) == rows
    baseline = time.perf_counter() - started
    return {
        "name": name,
        "rows": rows,
        "ours_per_s": round(rows / ours),
        "baseline_per_s": round(rows / baseline),
        "ratio": baseline / ours,
    }


@contextmanager
def sqlite_pair(folder: Path):
    urls = tuple(f"sqlite:///{folder / name}" for name in ("ours.db", "bare.db"))
    for url in urls:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    yield urls


@contextmanager
def postgres_pair(admin_url: str):
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    names = [f"bench_import_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    urls = tuple(
        make_url(admin_url).set(database=name).render_as_string(False) for name in names
    )
    try:
        for url in urls:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        yield urls
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(rows: int = 100_000, postgres: str | None = None) -> list[dict]:
    """Figures for SQLite, and for PostgreSQL when its URL is given."""
    results = []
    with tempfile.TemporaryDirectory() as folder:
        path = generate(Path(folder) / "national.csv", rows)
        with sqlite_pair(Path(folder)) as urls:
            results.append(measure(f"import {rows} rows, sqlite", urls, path, rows))
        if postgres:
            with postgres_pair(postgres) as urls:
                name = f"import {rows} rows, postgresql"
                results.append(measure(name, urls, path, rows))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", help="admin URL; two scratch databases are made")
    args = parser.parse_args()
    configure_logging("WARNING")
    for result in run(args.rows, args.postgres):
        print(
            f"{result['name']}: ours {result['ours_per_s']:,} rows/s, "
            f"bare executemany {result['baseline_per_s']:,} rows/s, "
            f"ratio {result['ratio']:.3f}"
        )


if __name__ == "__main__":
    main()
