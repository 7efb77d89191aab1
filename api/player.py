"""The hosted test player: a plain HTML form, usable in an iframe and without cookies.

The single-use access token in the URL is the credential, so there is no
CSRF cookie to depend on; the page may be framed only by the provider's
allowed origins (CSP frame-ancestors).
"""

from urllib.parse import urlencode, urlsplit, urlunsplit
from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.errors import AccessTokenExpired, AccessTokenNotFound, AccessTokenRedeemed
from api.models import AccessToken, Result
from api.selectors import result_row
from api.services import progress_save
from api.tokens import token_get, token_provider_origins
from billing.errors import ProviderDisabled
from catalog.definition import definition_public
from catalog.errors import AnswersInvalid
from catalog.selectors import questionnaire_definition
from common.errors import DomainError

GONE_PAGES = {
    AccessTokenNotFound: (
        404,
        "Ссылка недействительна",
        "Такой ссылки на тест нет. Попросите новую ссылку на сайте, где вы начинали тест.",
    ),
    AccessTokenExpired: (
        410,
        "Срок действия ссылки истёк",
        "Ссылка на тест действует 24 часа. Вернитесь на сайт, где вы начинали тест, "
        "и откройте его снова.",
    ),
    AccessTokenRedeemed: (
        409,
        "Тест уже пройден",
        "Ответы по этой ссылке уже сохранены. Результат можно посмотреть на сайте, "
        "где вы начинали тест.",
    ),
}
BAD_FORM = "Ответы не удалось прочитать. Обновите страницу и попробуйте ещё раз."
REFUSAL = (
    "Сохранить ответы не получилось: условия доступа к тестам не позволяют сохранить "
    "ещё один результат. Обратитесь к организаторам тестирования."
)


def _secure(response: HttpResponse, origins: list[str]) -> HttpResponse:
    allowed = " ".join(["'self'", *origins])
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        f"form-action {allowed}; frame-ancestors {allowed}; base-uri 'none'"
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _message(
    request: HttpRequest, status: int, title: str, text: str, origins: list[str] | None = None
) -> HttpResponse:
    response = render(
        request, "api/player_message.html", {"title": title, "text": text}, status=status
    )
    return _secure(response, origins or [])


def _submitted(request: HttpRequest, items: list[dict]) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    for item in items:
        chosen = request.POST.getlist(f"item-{item['id']}")
        if chosen:
            answers[item["id"]] = chosen if item["type"] == "multiple" else chosen[-1]
    return answers


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def play(request: HttpRequest, token: UUID) -> HttpResponse:
    try:
        access = token_get(token)
    except (AccessTokenNotFound, AccessTokenExpired, AccessTokenRedeemed) as exc:
        return _message(request, *GONE_PAGES[type(exc)], origins=token_provider_origins(token))
    except ProviderDisabled:
        return _message(request, 403, "Тест сейчас недоступен", REFUSAL)
    public = definition_public(questionnaire_definition(access.questionnaire))
    answers: dict[str, str | list[str]] = {}
    marked: list[str] = []
    if request.method == "POST":
        try:
            answers = _submitted(request, public["items"])
        except MultiPartParserError:
            return _message(request, 400, "Форма не прочитана", BAD_FORM, access.provider.origins)
        try:
            result = progress_save(
                user=access.user,
                questionnaire=access.questionnaire,
                progress=answers,
                token=access,
            )
        except AnswersInvalid as exc:
            marked = exc.item_ids
        except (AccessTokenExpired, AccessTokenRedeemed) as exc:
            return _message(request, *GONE_PAGES[type(exc)], origins=access.provider.origins)
        except DomainError:
            return _message(
                request, 412, "Тест сейчас недоступен", REFUSAL, access.provider.origins
            )
        else:
            return _finish(request, access, result)
    context = {"test": public, "items": _form_items(public, answers, marked), "marked": marked}
    status = 400 if marked else 200
    response = render(request, "api/player.html", context, status=status)
    return _secure(response, access.provider.origins)


def with_result_key(url: str, result: Result) -> str:
    """The return URL with result_key added to its query (before any #fragment)."""
    parts = urlsplit(url)
    query = "&".join(
        q for q in (parts.query, urlencode({"result_key": str(result.result_key)})) if q
    )
    return urlunsplit(parts._replace(query=query))


def _form_items(public: dict, answers: dict[str, str | list[str]], marked: list[str]) -> list[dict]:
    """Items with the answers given so far checked, so a refused form keeps them."""
    items = []
    for item in public["items"]:
        given = answers.get(item["id"], [])
        chosen = set(given if isinstance(given, list) else [given])
        options = [{**option, "checked": option["id"] in chosen} for option in item["options"]]
        items.append({**item, "options": options, "marked": item["id"] in marked})
    return items


def _finish(request: HttpRequest, access: AccessToken, result: Result) -> HttpResponse:
    if access.return_url:
        return _secure(
            HttpResponseRedirect(with_result_key(access.return_url, result)),
            access.provider.origins,
        )
    # The same rows the token came with: the page then reads nothing more.
    result.user, result.questionnaire = access.user, access.questionnaire
    response = render(request, "api/result.html", {"result": result_row(result)})
    return _secure(response, access.provider.origins)
