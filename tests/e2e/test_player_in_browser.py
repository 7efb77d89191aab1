"""The hosted player embedded in an iframe on a partner's page, in a real browser."""

import pytest

from api.models import Result
from tests.api.conftest import load_shipped, user_with_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def embedded_player(live_server, second_origin, make_provider):
    """The URL of a partner page that embeds a fresh player in an iframe."""
    origin, root = second_origin
    main = load_shipped()["main"]
    provider = make_provider(tests_policy="unlimited")
    provider.allowed_origins = origin
    provider.save()
    _, token = user_with_token(provider.client_key, main, "browser-user")
    player = f"{live_server.url}/partner/v2/play/{token}/"
    (root / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>Колледж</title>'
        f'<h1>Сайт колледжа</h1><iframe src="{player}" width="400" height="800"></iframe>',
        encoding="utf-8",
    )
    return f"{origin}/index.html"


def answer_all_but(frame, skip: set[int]) -> None:
    items = frame.locator("fieldset")
    for n in range(items.count()):
        if n + 1 not in skip:
            items.nth(n).locator("label.option").first.click()


def test_a_user_answers_every_item_in_the_iframe_and_sees_the_result(
    page, embedded_player, artifacts
):
    page.goto(embedded_player)
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()
    page.screenshot(path=str(artifacts / "player-embedded.png"), full_page=True)

    answer_all_but(frame, skip=set())
    frame.locator("button[type=submit]").click()

    frame.locator(".scale").first.wait_for()
    result = Result.objects.get()
    for scale in result.scales:
        assert frame.get_by_text(scale["title"], exact=True).count() >= 1
    page.screenshot(path=str(artifacts / "player-result.png"), full_page=True)


def test_an_unanswered_item_is_pointed_out_and_the_answers_are_kept(page, embedded_player):
    page.goto(embedded_player)
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()

    answer_all_but(frame, skip={5})
    frame.locator("button[type=submit]").click()

    frame.locator("#problems").wait_for()
    assert "Ответьте" in frame.locator("#problems").inner_text()
    assert frame.locator("fieldset.marked").count() == 1
    assert frame.locator("fieldset.marked").get_attribute("id") == "item-5"
    assert frame.locator("input:checked").count() == 19
    assert not Result.objects.exists()
