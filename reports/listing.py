"""The staff users list as one queryset: filtered, annotated and ordered the same way
for the page and for the Excel export, with a fixed number of queries.

Leading type, level and scale sorting look at one result per student, "the
subject": the latest result of the chosen test in the date range, or without
a test, the latest main-test result in the range. Each is a correlated
subquery on the (user, created_at) index, so a page of 50 out of 3,000
students costs what a page of 50 out of 30 does.
"""

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import OrderBy
from django.db.models.fields.json import JSONField, KeyTransform
from django.db.models.functions import NullIf

from api.models import ProviderUser, Result
from billing.models import Provider
from catalog.models import Questionnaire
from reports.filters import SCALE_SORT, UserFilter
from reports.vocabulary import Vocabulary


def latest_main(user_filter: UserFilter) -> QuerySet[Result]:
    """Each student's latest main-test result in the date range, whatever test is chosen:
    the leading type belongs to the main test, and a bonus-test filter must not hide it."""
    return Result.objects.filter(
        user_filter.dates_q(), user=OuterRef("pk"), questionnaire__kind=Questionnaire.Kind.MAIN
    ).order_by("-created_at", "-pk")


def _subject(user_filter: UserFilter) -> QuerySet[Result]:
    if not user_filter.test:
        return latest_main(user_filter)
    return Result.objects.filter(user_filter.results_q(), user=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )


def users_listed(
    provider: Provider, user_filter: UserFilter, vocabulary: Vocabulary
) -> QuerySet[ProviderUser]:
    # Erased users keep a tombstone row for the ledger; there is nothing to list.
    users = user_filter.users(
        ProviderUser.objects.filter(provider=provider, erased_at__isnull=True)
    )
    subject = _subject(user_filter)
    test = user_filter.test
    if user_filter.leading or user_filter.level:
        users = users.annotate(subject_pk=Subquery(subject.values("pk")[:1]))
    if user_filter.leading:
        leads = vocabulary.leads(test, user_filter.leading)
        users = users.filter(Exists(Result.objects.filter(leads, pk=OuterRef("subject_pk"))))
    if user_filter.level and test:
        scale, label = user_filter.level_parts
        band = vocabulary.band_is(test, scale, label)
        users = users.filter(Exists(Result.objects.filter(band, pk=OuterRef("subject_pk"))))
    users = users.annotate(
        main_titles=Subquery(
            latest_main(user_filter).values(titles=KeyTransform("titles", "outcome"))[:1],
            output_field=JSONField(),
        )
    )
    return _ordered(users, user_filter, vocabulary, subject)


def _ordered(
    users: QuerySet[ProviderUser],
    user_filter: UserFilter,
    vocabulary: Vocabulary,
    subject: QuerySet[Result],
) -> QuerySet[ProviderUser]:
    descending = user_filter.sort.startswith("-")
    key = user_filter.sort.removeprefix("-")
    if key.startswith(SCALE_SORT) and user_filter.test:
        raw = vocabulary.raw(user_filter.test, key.removeprefix(SCALE_SORT))
        value = Subquery(subject.annotate(v=raw).values("v")[:1])
    elif key == "result":
        latest = Result.objects.filter(user_filter.results_q(), user=OuterRef("pk"))
        value = Subquery(latest.order_by("-created_at").values("created_at")[:1])
    elif key == "group":
        # "" is no group: after the named ones either way, not before "ИС-21".
        value = NullIf("group", Value(""))
    elif key == "user_id":
        value = F("user_id")
    else:
        registered = "-registered_at" if descending else "registered_at"
        return users.order_by(registered, "-pk" if descending else "pk")
    # Students without a value (no result of the test) go last either way.
    users = users.annotate(sort_value=value)
    order = OrderBy(F("sort_value"), descending=descending, nulls_last=True)
    return users.order_by(order, "-registered_at", "-pk")
