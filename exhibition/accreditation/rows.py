"""Hand-written SELECTs for the scanners' hot path, built once per database vendor.

The ORM rebuilds a statement on every call (joins, select mask, compiler), at a cost
comparable to running it. The two queries every scan runs (the device behind the token, the
badge behind the code) are therefore written here once; their rows still become model
instances through ``Model.from_db`` and the database's converters, the fields left out are
deferred as ``.only()`` would leave them, and the joined rows are cached on the base object as
``select_related`` caches them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import psycopg
from django.db import connection, models
from django.db.backends.base.base import BaseDatabaseWrapper

# (the base's foreign key, alias, fields of the related model read; None: all of them)
Related = tuple[str, str, Sequence[str] | None]
# Extra columns: given the quoting function, (JOIN clauses, [(column SQL, attribute name)]).
Extra = Callable[[Callable[[str], str]], tuple[list[str], list[tuple[str, str]]]]


@dataclass
class _Part:
    model: type[models.Model]
    relation: models.ForeignKey[Any, Any] | None  # on the base; None for the base itself
    attnames: list[str]
    converters: list[list[Any]]


M = TypeVar("M", bound=models.Model)


class RowQuery(Generic[M]):
    """``SELECT`` the base model (alias ``b``) with some of its foreign keys joined, ``WHERE``
    a condition written against ``b``, optionally locking the base row (``FOR UPDATE OF b``)."""

    def __init__(
        self,
        base: type[M],
        fields: Sequence[str] | None,
        related: Sequence[Related],
        where: str,
        *,
        lock: bool = False,
        extra: Extra | None = None,
    ) -> None:
        self.base, self.fields, self.related = base, fields, related
        self.where, self.lock, self.extra = where, lock, extra
        self._by_vendor: dict[str, _Compiled] = {}

    def one(self, params: Sequence[Any]) -> M | None:
        """The first row as an instance of the base model, or None."""
        compiled = self._by_vendor.get(connection.vendor)
        if compiled is None:
            compiled = self._by_vendor[connection.vendor] = _Compiled(self, connection)
        with hot_cursor() as cursor:
            cursor.execute(compiled.sql, list(params))
            row = cursor.fetchone()
        if row is None:
            return None
        obj = compiled.build(row, connection)
        assert isinstance(obj, self.base)
        return obj


def hot_cursor() -> Any:
    """A cursor for these statements. On PostgreSQL it binds its parameters server-side, so the
    statements, the same on every scan, are prepared once per connection (after
    ``prepare_threshold`` uses: settings ``DB_PREPARE_THRESHOLD``); Django's own cursors bind
    client-side and never prepare. Errors, query logging and health checks are Django's."""
    if connection.vendor != "postgresql" or not connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    if connection.queries_logged:
        return connection.make_debug_cursor(raw)
    return connection.make_cursor(raw)


def _foreign_key(model: type[models.Model], name: str) -> models.ForeignKey[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.ForeignKey), name
    return field


def _target(fk: models.ForeignKey[Any, Any]) -> type[models.Model]:
    model = fk.related_model
    assert isinstance(model, type) and issubclass(model, models.Model)
    return model


def _fields(model: type[models.Model], names: Sequence[str] | None) -> list[models.Field[Any, Any]]:
    """The fields named, in the model's own order (``from_db`` matches a partial row that way)."""
    concrete: list[models.Field[Any, Any]] = list(model._meta.concrete_fields)  # type: ignore[attr-defined]
    if names is None:
        return concrete
    wanted = set(names)
    unknown = wanted - {f.name for f in concrete} - {f.attname for f in concrete}
    assert not unknown, f"{model.__name__} has no column {sorted(unknown)}"
    return [f for f in concrete if f.name in wanted or f.attname in wanted]


class _Compiled:
    def __init__(self, query: RowQuery[Any], conn: BaseDatabaseWrapper) -> None:
        qn = conn.ops.quote_name
        base = query.base
        columns: list[str] = []
        joins: list[str] = []
        self.parts: list[_Part] = []
        wanted: list[tuple[type[models.Model], models.ForeignKey[Any, Any] | None, str, Sequence[str] | None]]
        wanted = [(base, None, "b", query.fields)]
        for name, alias, names in query.related:
            fk = _foreign_key(base, name)
            target = _target(fk)
            wanted.append((target, fk, alias, names))
            kind = "LEFT JOIN" if fk.null else "INNER JOIN"
            joins.append(
                f"{kind} {qn(target._meta.db_table)} {alias} ON {alias}.{qn(fk.target_field.column)}"
                f" = b.{qn(fk.column)}"
            )
        for model, relation, alias, names in wanted:
            fields = _fields(model, names)
            columns += [f"{alias}.{qn(f.column)}" for f in fields]
            converters = [
                [*conn.ops.get_db_converters(f.get_col(alias)), *f.get_db_converters(conn)]  # type: ignore[attr-defined]
                for f in fields
            ]
            self.parts.append(_Part(model, relation, [f.attname for f in fields], converters))
        self.extra: list[str] = []
        if query.extra is not None:
            extra_joins, extra_columns = query.extra(qn)  # noqa: S610 -- our RowQuery hook, not QuerySet.extra
            joins += extra_joins
            columns += [sql for sql, _name in extra_columns]
            self.extra = [name for _sql, name in extra_columns]
        lock = " FOR UPDATE OF b" if query.lock and conn.features.has_select_for_update_of else ""
        # Every piece is ours: quoted names from the models' metadata, and the WHERE and extra
        # joins written as constants beside each RowQuery; the values go as parameters.
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {qn(base._meta.db_table)} b {' '.join(joins)}"  # noqa: S608 -- see above
            f" WHERE {query.where}{lock}"
        )

    def build(self, row: Sequence[Any], conn: BaseDatabaseWrapper) -> models.Model:
        at = 0
        base: models.Model | None = None
        for part in self.parts:
            values = list(row[at : at + len(part.attnames)])
            at += len(part.attnames)
            for i, convs in enumerate(part.converters):
                for conv in convs:
                    values[i] = conv(values[i], None, conn)
            obj = None if values[0] is None else part.model.from_db(conn.alias, part.attnames, values)
            if part.relation is None:
                assert obj is not None  # the base row's primary key is never NULL
                base = obj
            else:
                assert base is not None  # the base comes first
                part.relation.set_cached_value(base, obj)
        assert base is not None
        for name, value in zip(self.extra, row[at:], strict=True):
            setattr(base, name, value)
        return base


class RowInsert(Generic[M]):
    """``INSERT`` one instance of a model, the statement written once per database vendor.

    As ``obj.save()`` would store it (each field's ``pre_save`` and ``get_db_prep_save``), but
    without the ``pre_save``/``post_save`` signals: meant for the rows the gates write by the
    thousand (scans, presence), which no receiver counts (``events.signals``)."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._by_vendor: dict[str, tuple[str, list[models.Field[Any, Any]], bool]] = {}

    def _compiled(self, conn: BaseDatabaseWrapper) -> tuple[str, list[models.Field[Any, Any]], bool]:
        compiled = self._by_vendor.get(conn.vendor)
        if compiled is None:
            qn = conn.ops.quote_name
            meta = self.model._meta
            pk = meta.pk
            assert pk is not None
            fields = [f for f in _fields(self.model, None) if f is not pk]
            returning = bool(conn.features.can_return_columns_from_insert)
            # Quoted names from the model's metadata; every value is a parameter.
            table, columns = qn(meta.db_table), ", ".join(qn(f.column) for f in fields)
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 -- see above
            if returning:
                sql += f" RETURNING {qn(pk.column)}"
            compiled = self._by_vendor[conn.vendor] = (sql, fields, returning)
        return compiled

    def save(self, obj: M) -> M:
        sql, fields, returning = self._compiled(connection)
        values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        with hot_cursor() as cursor:
            cursor.execute(sql, values)
            obj.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
        obj._state.adding = False
        obj._state.db = connection.alias
        return obj
