"""An accountant opens the printable invoice and act in Chromium and saves them as PDF:
each is exactly one A4 page, and a picture of the printed invoice is kept for review."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from billing.models import Invoice
from reports.models import StaffMembership
from tests.billing.documents import issued

pytestmark = pytest.mark.django_db(transaction=True)

# A long name, as state institutions have: it must wrap, not push the page over.
LONG_NAME = (
    "Государственное бюджетное профессиональное образовательное учреждение "
    "«Ставропольский краевой многопрофильный колледж информационных технологий, "
    "экономики и права имени А. С. Пушкина»"
)
A4_POINTS = (595.28, 841.89)  # 210 × 297 mm; Chromium writes 594.96 × 841.92


@pytest.fixture
def invoice(make_provider) -> Invoice:
    provider = make_provider(
        name="Ставропольский колледж",
        slug="stavropol",
        payment_policy="postpaid",
        access_limit=0,
        price_per_access=Decimal("105.35"),
    )
    user = get_user_model().objects.create_user("buh", password="browser-test-password")
    StaffMembership.objects.create(user=user, provider=provider, role="accountant")
    return issued(provider, legal_name=LONG_NAME)


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/reports/")
    page.locator("input[name=username]").fill("buh")
    page.locator("input[name=password]").fill("browser-test-password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/reports/**")


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """The size in points of each page of a PDF (page objects, not the /Pages tree)."""
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert len(boxes) == len(pages)
    return [(float(w), float(h)) for w, h in boxes]


def test_the_printed_invoice_and_act_are_one_a4_page_each(page, live_server, invoice, artifacts):
    log_in(page, live_server)

    page.goto(f"{live_server.url}/reports/invoices/{invoice.pk}/print/")
    assert page.locator("h1").inner_text().startswith(f"Счёт на оплату № {invoice.number} от «")
    assert page.locator("#vat").inner_text() == "175,58"
    assert page.locator("#words").inner_text() == "Одна тысяча пятьдесят три рубля 50 копеек"
    invoice_pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (artifacts / "invoice-print.pdf").write_bytes(invoice_pdf)
    # On a wide screen the page shows the A4 sheet with its print margins: that is the picture.
    page.set_viewport_size({"width": 1000, "height": 1200})
    page.locator("main.sheet").screenshot(path=str(artifacts / "invoice-print.png"))
    page.emulate_media(media="print")
    assert page.locator("nav.toolbar").is_hidden()

    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/reports/invoices/{invoice.pk}/act/print/")
    assert page.locator("h1").inner_text() == (
        f"Акт оказанных услуг № {invoice.number} от «30» ноября 2026 г."
    )
    act_pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (artifacts / "act-print.pdf").write_bytes(act_pdf)
    page.locator("main.sheet").screenshot(path=str(artifacts / "act-print.png"))

    for pdf in (invoice_pdf, act_pdf):
        [(width, height)] = pdf_pages(pdf)
        assert (width, height) == pytest.approx(A4_POINTS, abs=1.0)
