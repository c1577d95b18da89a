"""The demo show for tests: built by ``build_demo`` once per test session, then restored by copy.

Building the Milipol-sized demo takes about 20 s on PostgreSQL; a dozen tests need it (the
browser walks of every page, the API fuzzer, GET-never-writes). The first ``demo_show()`` builds
it for real and keeps a copy of every row it wrote (``COPY ... TO STDOUT``) and of the files it
stored; later calls, once the test before has emptied the database again, load that copy back
(``COPY ... FROM STDIN``, one transaction, foreign keys checked at its commit) in a second or two.
The rows, primary keys and files are the same as the build's, so the ``DemoShow`` handed back is
the first one, unpickled.

It falls back to a real build whenever a copy would not be exact: not PostgreSQL, another seed,
a database that was not empty, or rows that point at tables the build did not fill (content
types, which a transactional test's flush renumbers). ``tests/events/test_seed.py`` still builds
for real, twice, to prove the builder itself is deterministic.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from dataclasses import dataclass

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction

from exhibition.events.demo import build_demo

SEED = 2025


@dataclass
class _Snapshot:
    tables: list[tuple[str, bytes]]  # (table, COPY text), in no particular order: FKs are deferred
    sequences: list[tuple[str, str, int]]  # (table, pk column, highest pk)
    files: list[tuple[str, str, bytes]]  # (storage alias, name, content)
    show: bytes  # the pickled DemoShow


_snapshot: _Snapshot | None = None
_unusable = False  # a copy was found not to be exact: always build


def demo_show(seed: int = SEED):
    """The demo show, as ``exhibition.events.demo.build_demo(seed=seed)`` returns it."""
    global _snapshot, _unusable

    if seed != SEED or connection.vendor != "postgresql" or _unusable:
        return build_demo(seed=seed)
    tables = _model_tables()
    if _snapshot is not None:
        if all(_is_empty(t) for t, _ in _snapshot.tables):
            return _restore(_snapshot)
        return build_demo(seed=seed)
    before = {t: _count(t) for t in tables}
    files_before = _files()
    show = build_demo(seed=seed)
    filled = [t for t in tables if _count(t) != before[t]]
    if any(before[t] for t in filled) or not _self_contained(filled, before):
        _unusable = True
        return show
    _snapshot = _take(filled, show, files_before)
    return show


# --- reading and writing ------------------------------------------------------------------------------


def _model_tables() -> list[str]:
    existing = set(connection.introspection.table_names())
    out = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if not model._meta.proxy and model._meta.managed and table in existing and table not in out:
            out.append(table)
    return out


def _count(table: str) -> int:
    with connection.cursor() as c:
        c.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        return c.fetchone()[0]


def _is_empty(table: str) -> bool:
    with connection.cursor() as c:
        c.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")
        return c.fetchone()[0]


def _self_contained(filled: list[str], before: dict[str, int]) -> bool:
    """No row of the copy may point at a table the build did not fill and that had rows before."""
    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table in filled:
        for f in by_table[table]._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                target = f.related_model._meta.db_table
                if target not in filled and before.get(target):
                    return False
    return True


def _files() -> set[tuple[str, str]]:
    found = set()
    for alias in ("default", "private"):
        try:
            storage = storages[alias]
        except Exception:  # noqa: BLE001 - no such storage in these settings
            continue
        stack = [""]
        while stack:
            folder = stack.pop()
            try:
                dirs, names = storage.listdir(folder)
            except (FileNotFoundError, NotImplementedError, OSError):
                continue
            stack.extend(f"{folder}{d}/" for d in dirs)
            found.update((alias, f"{folder}{n}") for n in names)
    return found


def _take(filled: list[str], show, files_before: set[tuple[str, str]]) -> _Snapshot:
    tables = []
    with connection.cursor() as c:
        for table in filled:
            buf = io.BytesIO()
            with c.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                for chunk in copy:
                    buf.write(chunk)
            tables.append((table, buf.getvalue()))
    sequences = []
    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table in filled:
        pk = by_table[table]._meta.pk
        if pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            with connection.cursor() as c:
                c.execute(
                    f"SELECT max({connection.ops.quote_name(pk.column)}) FROM {connection.ops.quote_name(table)}"
                )
                sequences.append((table, pk.column, c.fetchone()[0] or 0))
    files = []
    for alias, name in sorted(_files() - files_before):
        with storages[alias].open(name, "rb") as fh:
            files.append((alias, name, fh.read()))
    return _Snapshot(
        tables=tables,
        sequences=sequences,
        files=files,
        show=pickle.dumps(dataclasses.replace(show, say=print)),
    )  # its ``say`` is a lambda


def _restore(snap: _Snapshot):
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, data in snap.tables:
            with c.cursor.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN") as copy:
                copy.write(data)
        for table, column, highest in snap.sequences:
            # Never move a sequence back: ids handed out since stay unique.
            c.execute("SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column])
            seq = c.fetchone()[0]
            if seq and highest:
                c.execute(f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {seq})))", [seq, highest])
    for alias, name, content in snap.files:
        storage = storages[alias]
        if not storage.exists(name):
            storage.save(name, ContentFile(content))
    return pickle.loads(snap.show)
