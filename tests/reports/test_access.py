"""Every URL of the reports app, for every kind of visitor: nobody sees another's data."""

import pytest
from django.urls import get_resolver, reverse

from reports.models import ExportJob
from reports.services import export_job_run

pytestmark = pytest.mark.django_db

ACTORS = ["viewer_a", "viewer_b", "accountant_a", "accountant_b", "operator", "anonymous"]
OK, GONE, LOGIN, ON_TO_DASHBOARD = 200, 404, "login", 302

# url name -> (method, expected status per actor); objects all belong to provider A.
EXPECTED = {
    # Each of these staff has one provider, so the list sends them to its dashboard.
    "providers": ("get", {**dict.fromkeys(ACTORS[:-2], ON_TO_DASHBOARD), "operator": OK}),
    "dashboard": (
        "get",
        {
            "viewer_a": OK,
            "viewer_b": GONE,
            "accountant_a": OK,
            "accountant_b": GONE,
            "operator": OK,
        },
    ),
    **{
        name: (
            method,
            {
                "viewer_a": ok,
                "viewer_b": GONE,
                "accountant_a": GONE,
                "accountant_b": GONE,
                "operator": ok,
            },
        )
        for name, method, ok in [
            ("users", "get", OK),
            ("groups", "get", OK),
            ("users_export", "post", OK),
            ("export_job", "get", OK),
            ("export_job_download", "get", OK),
            ("result", "get", OK),
        ]
    },
    **{
        name: (
            "get",
            {
                "viewer_a": GONE,
                "viewer_b": GONE,
                "accountant_a": OK,
                "accountant_b": GONE,
                "operator": OK,
            },
        )
        for name in [
            "invoices",
            "invoices_register",
            "invoice_download",
            "invoice_detail",
            "invoice_print",
            "act_print",
            "act_download",
        ]
    },
    # Operators only; the invoice is issued, so there is a mark to make and none to cancel.
    **{
        name: (
            "get",
            {
                "viewer_a": GONE,
                "viewer_b": GONE,
                "accountant_a": GONE,
                "accountant_b": GONE,
                "operator": status,
            },
        )
        for name, status in [("invoice_paid", OK), ("invoice_unpaid", 302), ("invoice_topup", OK)]
    },
}


@pytest.fixture
def urls(provider_a, result_a, make_invoice, viewer_a) -> dict[str, str]:
    job = ExportJob.objects.create(provider=provider_a, requested_by=viewer_a, total=1)
    export_job_run(job.pk)
    invoice = make_invoice(provider_a)
    slug = provider_a.slug
    # The invoice lists are narrowed to provider A, which accountant B may not see.
    return {
        "providers": reverse("reports:providers"),
        "dashboard": reverse("reports:dashboard", args=[slug]),
        "users": reverse("reports:users", args=[slug]),
        "groups": reverse("reports:groups", args=[slug]),
        "users_export": reverse("reports:users_export", args=[slug]),
        "export_job": reverse("reports:export_job", args=[slug, job.pk]),
        "export_job_download": reverse("reports:export_job_download", args=[slug, job.pk]),
        "result": reverse("reports:result", args=[slug, result_a.result_key]),
        "invoices": reverse("reports:invoices") + f"?provider={slug}",
        "invoices_register": reverse("reports:invoices_register") + f"?provider={slug}",
        "invoice_download": reverse("reports:invoice_download", args=[invoice.pk]),
        "invoice_detail": reverse("reports:invoice_detail", args=[invoice.pk]),
        "invoice_print": reverse("reports:invoice_print", args=[invoice.pk]),
        "act_print": reverse("reports:act_print", args=[invoice.pk]),
        "act_download": reverse("reports:act_download", args=[invoice.pk]),
        "invoice_paid": reverse("reports:invoice_paid", args=[invoice.pk]),
        "invoice_unpaid": reverse("reports:invoice_unpaid", args=[invoice.pk]),
        "invoice_topup": reverse("reports:invoice_topup"),
    }


def test_the_table_covers_every_url_of_the_app():
    names = {name for name in get_resolver("reports.urls").reverse_dict if isinstance(name, str)}

    assert names == set(EXPECTED)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_url_answers_each_visitor_as_the_rules_say(
    request, client, urls, name, actor, viewer_b, accountant_a, accountant_b, operator
):
    method, expected = EXPECTED[name]
    if actor != "anonymous":
        client.force_login(request.getfixturevalue(actor))

    response = getattr(client, method)(urls[name])

    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected[actor], response.content[:300]


def test_staff_of_b_do_not_see_a_in_their_provider_list(client, provider_a, viewer_b):
    client.force_login(viewer_b)

    page = client.get(reverse("reports:providers"), follow=True).content.decode()

    assert "Колледж Б" in page
    assert "Колледж А" not in page


def test_a_result_of_b_under_as_url_is_not_found(client, viewer_a, provider_b, main_test):
    from tests.reports.conftest import add_user

    foreign = add_user(provider_b, "b-student", [main_test]).results.get()
    client.force_login(viewer_a)

    response = client.get(reverse("reports:result", args=["college-a", foreign.result_key]))

    assert response.status_code == 404


def test_an_inactive_operator_sees_nothing(client, make_staff, provider_a):
    ghost = make_staff("ghost", is_staff=True)
    ghost.is_active = False
    ghost.save()
    client.force_login(ghost)

    assert client.get(reverse("reports:dashboard", args=[provider_a.slug])).status_code == 302
