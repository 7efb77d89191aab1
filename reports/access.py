"""Who may see which provider: the one place every reports view and export asks.

Anything a user may not see is reported as "not found" (404), so an URL
never tells a stranger that a provider, result or invoice exists.
"""

from enum import Enum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from billing.models import Invoice, Provider
from reports.models import StaffMembership


class Area(Enum):
    """What a page shows; each role opens only some areas."""

    DASHBOARD = "dashboard"  # aggregate counters and charts
    RESULTS = "results"  # users, their results and exports: personal data
    INVOICES = "invoices"


# Accountants need counters and invoices, not the test takers' psychological results.
_ROLES = {
    Area.DASHBOARD: {StaffMembership.Role.VIEWER, StaffMembership.Role.ACCOUNTANT},
    Area.RESULTS: {StaffMembership.Role.VIEWER},
    Area.INVOICES: {StaffMembership.Role.ACCOUNTANT},
}

User = AbstractBaseUser | AnonymousUser


def is_operator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def providers_visible(user: User, area: Area = Area.DASHBOARD) -> QuerySet[Provider]:
    if not user.is_authenticated or not user.is_active:
        return Provider.objects.none()
    if is_operator(user):
        return Provider.objects.all()
    return Provider.objects.filter(
        memberships__user=user, memberships__role__in=_ROLES[area]
    ).distinct()


def provider_for_user(user: User, slug: str, area: Area) -> Provider:
    provider = providers_visible(user, area).filter(slug=slug).first()
    if provider is None:
        raise Http404("Организация не найдена.")
    return provider


def invoices_visible(user: User) -> QuerySet[Invoice]:
    return Invoice.objects.filter(provider__in=providers_visible(user, Area.INVOICES))


def invoice_for_user(user: User, pk: int) -> Invoice:
    invoice = invoices_visible(user).select_related("provider").filter(pk=pk).first()
    if invoice is None:
        raise Http404("Счёт не найден.")
    return invoice


def invoice_for_operator(user: User, pk: int) -> Invoice:
    """Only operators mark invoices paid; for anyone else the action does not exist."""
    if not is_operator(user):
        raise Http404("Счёт не найден.")
    return invoice_for_user(user, pk)
