from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def unique_row(queryset: QuerySet[M]) -> M | None:
    """The row a lookup on a unique key matches, or None.

    Unlike ``first()`` it adds no ORDER BY (a model's default ordering
    included): sorting one row costs the database nothing useful, and the
    ORM's building of the clause shows in every request's profile.
    """
    return next(iter(queryset.order_by()[:1]), None)


@dataclass(frozen=True)
class Selected(Generic[M]):
    """A model's concrete columns as a SELECT list, and the rows read back as instances.

    For the partner API's hottest lookups, whose SQL is written once per
    process (``fixed_sql``) instead of being compiled by the ORM on every
    request: the compilation cost more than the database's round trip
    (bench/README.md). The columns and the converters still come from the
    model, so a new field is read without touching the statements.
    """

    model: type[M]
    table: str  # quoted
    sql: str
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]

    def column(self, name: str) -> str:
        """A column of the model's table, qualified and quoted as the ORM writes it."""
        return f"{self.table}.{connections[DEFAULT_DB_ALIAS].ops.quote_name(name)}"

    def first_where(self, where: str) -> str:
        """The statement reading the model's first row matching ``where`` (``%s`` params)."""
        return f"SELECT {self.sql} FROM {self.table} WHERE {where} LIMIT 1"

    def load(self, row: Sequence[Any], start: int = 0) -> M:
        values = list(row[start : start + len(self.attnames)])
        connection = connections[DEFAULT_DB_ALIAS]
        for i, converters, column in self.converters:
            for convert in converters:
                values[i] = convert(values[i], column, connection)
        return self.model.from_db(DEFAULT_DB_ALIAS, list(self.attnames), values)


@cache
def selected(model: type[M]) -> Selected[M]:
    """``model``'s columns, qualified by its table as the ORM writes them."""
    connection = connections[DEFAULT_DB_ALIAS]
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((i, tuple(found), column))
    return Selected(
        model=model,
        table=quote(table),
        sql=", ".join(f"{quote(table)}.{quote(f.column)}" for f in fields),
        attnames=tuple(f.attname for f in fields),
        converters=tuple(converters),
    )


def db_value(model: type[Model], field: str, value: Any) -> Any:
    """``value`` as the database takes it for ``model.field`` (a UUID is text on SQLite)."""
    return model._meta.get_field(field).get_db_prep_value(
        value, connections[DEFAULT_DB_ALIAS], prepared=False
    )


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
