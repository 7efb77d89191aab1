"""A partner's page on another origin fetches the questions with a JSON POST, in a real browser."""

import pytest

from tests.api.conftest import load_shipped, user_with_token

pytestmark = pytest.mark.django_db(transaction=True)

FETCH = """async ([url, token]) => {
    const response = await fetch(url, {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({access_token: token}),
    });
    return {status: response.status, body: await response.json()};
}"""


@pytest.fixture
def partner_page(live_server, second_origin, make_provider):
    """A page on the partner's origin, a token of its provider, and the API's test/get URL."""
    origin, root = second_origin
    main = load_shipped()["main"]
    provider = make_provider(tests_policy="unlimited", details={"allowed_origins": origin})
    _, token = user_with_token(provider.client_key, main, "browser-user")
    (root / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>Колледж</title><h1>Сайт колледжа</h1>',
        encoding="utf-8",
    )
    return f"{origin}/index.html", token, f"{live_server.url}/partner/api/v2/test/get", main


def test_a_page_on_an_allowed_origin_posts_json_and_reads_the_questions(page, partner_page):
    url, token, endpoint, main = partner_page
    page.goto(url)

    answer = page.evaluate(FETCH, [endpoint, token])

    assert answer["status"] == 200
    assert answer["body"]["code"] == main.code
    assert len(answer["body"]["items"]) == 20


def test_the_token_in_the_query_string_works_the_same(page, partner_page):
    url, token, endpoint, _ = partner_page
    page.goto(url)

    answer = page.evaluate(FETCH, [f"{endpoint}?access_token={token}", token])

    assert answer["status"] == 200
    assert answer["body"]["access_token"] == token


def test_a_page_on_an_unlisted_origin_is_stopped_by_the_browser(page, partner_page, live_server):
    _, token, endpoint, _ = partner_page
    # The live server's own other name: an origin no provider lists.
    page.goto(f"{live_server.url.replace('localhost', '127.0.0.1')}/partner/api/v2/docs")

    failed = page.evaluate(
        f"""async ([url, token]) => {{
            try {{ await ({FETCH})([url, token]); return false; }}
            catch (error) {{ return error instanceof TypeError; }}
        }}""",
        [endpoint, token],
    )

    assert failed is True
