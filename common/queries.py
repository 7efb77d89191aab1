from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def unique_row(queryset: QuerySet[M]) -> M | None:
    """The row a lookup on a unique key matches, or None.

    Unlike ``first()`` it adds no ORDER BY (a model's default ordering
    included): sorting one row costs the database nothing useful, and the
    ORM's building of the clause shows in every request's profile.
    """
    return next(iter(queryset.order_by()[:1]), None)
