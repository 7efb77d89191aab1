"""The raw baseline: a bare WSGI callable running the partner API's SQL with psycopg.

No Django, no ORM, no framework: one psycopg connection per worker thread,
opened once and kept, the same statements as the Django code issues (captured
with ``CaptureQueriesContext``, see bench/README.md), client-side parameter
binding as Django uses (``psycopg.ClientCursor``), and the same JSON out.
It is what the stack (gunicorn + psycopg + PostgreSQL) can do at best, the
"1.0" against which the application is measured.

Four endpoints, GET with a query string, the happy paths plus the errors a
benchmark can hit:

    /partner/api/v2/user/register?client=KEY&user_id=ID[&group=LABEL]
    /partner/api/v2/progress/save?test=CODE&user_key=UUID&progress=JSON
    /partner/api/v2/result/get?result_key=UUID
    /partner/api/v2/token/create?client=KEY&user_key=UUID&test=CODE

Run:  DATABASE_URL=postgresql://... gunicorn -k gthread -w 2 --threads 4 bench.raw_app:app
"""

import hashlib
import json
import os
import re
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qsl

import psycopg
from psycopg.types.json import Jsonb

DSN = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench")
TOKEN_TTL = timedelta(hours=int(os.environ.get("TOKEN_TTL_HOURS", "24")))
PREFIX = "/partner/api/v2/"

# --- the statements (as Django renders them, with %s for its parameters) -------------

PROVIDER_COLUMNS = (
    '"billing_provider"."id", "billing_provider"."name", "billing_provider"."slug", '
    '"billing_provider"."client_key_hash", "billing_provider"."client_key_prefix", '
    '"billing_provider"."payment_policy", "billing_provider"."access_limit", '
    '"billing_provider"."overdraft", "billing_provider"."issued_count", '
    '"billing_provider"."access_alert_threshold", '
    '"billing_provider"."price_per_access", "billing_provider"."tests_policy", '
    '"billing_provider"."allowed_tests", "billing_provider"."allowed_origins", '
    '"billing_provider"."is_active", "billing_provider"."require_client_key", '
    '"billing_provider"."created_at", "billing_provider"."webhook_events", '
    '"billing_provider"."legal_name", "billing_provider"."inn", "billing_provider"."kpp", '
    '"billing_provider"."ogrn", "billing_provider"."legal_address", '
    '"billing_provider"."contract_number", "billing_provider"."contract_date", '
    '"billing_provider"."retention_months"'
)
USER_COLUMNS = (
    '"api_provideruser"."id", "api_provideruser"."provider_id", "api_provideruser"."user_id", '
    '"api_provideruser"."user_key", "api_provideruser"."group", '
    '"api_provideruser"."user_id_folded", "api_provideruser"."registered_at", '
    '"api_provideruser"."main_results", "api_provideruser"."bonus_results", '
    '"api_provideruser"."erased_at"'
)
QUESTIONNAIRE_COLUMNS = (
    '"catalog_questionnaire"."id", "catalog_questionnaire"."code", '
    '"catalog_questionnaire"."version", "catalog_questionnaire"."kind", '
    '"catalog_questionnaire"."title", "catalog_questionnaire"."checksum", '
    '"catalog_questionnaire"."is_published", "catalog_questionnaire"."created_at"'
)
# Provider columns by position.
P_ID, P_POLICY, P_TESTS_POLICY, P_ALLOWED, P_ACTIVE = 0, 5, 11, 12, 14
# User columns by position, and where the provider starts in a user joined to it.
U_MAIN, U_BONUS, U_PROVIDER = 7, 8, 10
# Questionnaire columns by position (the definition is read apart, once per version).
Q_ID, Q_CODE, Q_VERSION, Q_KIND, Q_CHECKSUM = 0, 1, 2, 3, 5

SQL_REGISTER_LOOKUP = (
    'SELECT p."id", p."is_active", u."user_key", u."id", u."group" FROM "billing_provider" p '
    'LEFT JOIN "api_provideruser" u ON u."provider_id" = p."id" AND u."user_id" = %s '
    'WHERE p."client_key_hash" = %s'
)
SQL_USER_INSERT = (
    'INSERT INTO "api_provideruser" ("provider_id", "user_id", "user_key", "group", '
    '"user_id_folded", "registered_at", "main_results", "bonus_results", "erased_at") '
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
    'RETURNING "api_provideruser"."id", "api_provideruser"."group", '
    '"api_provideruser"."user_id_folded"'
)
SQL_GROUP_MOVE = (
    'UPDATE "api_provideruser" SET "group" = %s '
    'WHERE ("api_provideruser"."erased_at" IS NULL AND "api_provideruser"."id" = %s)'
)
SQL_CHARGE = (
    'UPDATE "billing_provider" SET "issued_count" = "issued_count" + 1 '
    'WHERE "id" = %s AND ("payment_policy" = %s OR "issued_count" < "access_limit" + '
    '"overdraft") RETURNING "issued_count", "access_limit", "overdraft", "payment_policy", '
    '"access_alert_threshold"'
)
SQL_LEDGER_INSERT = (
    'INSERT INTO "billing_accessentry" ("provider_id", "kind", "quantity", "reference", '
    '"actor", "created_at") VALUES (%s, %s, %s, %s, %s, %s) RETURNING "billing_accessentry"."id"'
)
SQL_USER_EXISTING = (
    f'SELECT {USER_COLUMNS} FROM "api_provideruser" WHERE ("api_provideruser"."provider_id" = %s '
    'AND "api_provideruser"."user_id" = %s) LIMIT 21'
)
SQL_USER_WITH_PROVIDER = (
    f'SELECT {USER_COLUMNS}, {PROVIDER_COLUMNS} FROM "api_provideruser" INNER JOIN '
    '"billing_provider" ON ("api_provideruser"."provider_id" = "billing_provider"."id") '
    'WHERE ("api_provideruser"."erased_at" IS NULL AND "api_provideruser"."user_key" = %s) '
    "LIMIT 1"
)
SQL_QUESTIONNAIRE_CURRENT = (
    f'SELECT {QUESTIONNAIRE_COLUMNS} FROM "catalog_questionnaire" WHERE '
    '("catalog_questionnaire"."code" = %s AND "catalog_questionnaire"."is_published") '
    'ORDER BY "catalog_questionnaire"."version" DESC LIMIT 1'
)
SQL_DEFINITION = (
    'SELECT "catalog_questionnaire"."id", "catalog_questionnaire"."definition" '
    'FROM "catalog_questionnaire" WHERE "catalog_questionnaire"."id" = %s LIMIT 21'
)
SQL_COUNT_RESULT = (
    'UPDATE "api_provideruser" SET "{field}" = ("api_provideruser"."{field}" + 1) '
    'WHERE ("api_provideruser"."erased_at" IS NULL AND "api_provideruser"."id" = %s)'
)
SQL_COUNT_RESULT_LIMITED = (
    'UPDATE "api_provideruser" SET "{field}" = ("api_provideruser"."{field}" + 1) '
    'WHERE ("api_provideruser"."erased_at" IS NULL AND "api_provideruser"."id" = %s '
    'AND "api_provideruser"."{field}" < %s)'
)
SQL_USER_ERASED = (
    'SELECT 1 AS "a" FROM "api_provideruser" WHERE ("api_provideruser"."erased_at" IS NOT NULL '
    'AND "api_provideruser"."id" = %s) LIMIT 1'
)
SQL_RESULT_INSERT = (
    'INSERT INTO "api_result" ("result_key", "user_id", "questionnaire_id", "answers", '
    '"scales", "outcome", "idempotency_key", "created_at") VALUES (%s, %s, %s, %s, %s, %s, '
    '%s, %s) RETURNING "api_result"."id"'
)
SQL_RESULT_GET = (
    'SELECT q."code", q."title", q."version", u."user_id", r."created_at", r."scales", '
    'r."outcome", r."answers", p."id", p."is_active", p."require_client_key" '
    'FROM "api_result" r JOIN "api_provideruser" u ON u."id" = r."user_id" '
    'JOIN "catalog_questionnaire" q ON q."id" = r."questionnaire_id" '
    'JOIN "billing_provider" p ON p."id" = u."provider_id" '
    'WHERE r."result_key" = %s'
)
SQL_PROVIDER_BY_KEY = (
    f'SELECT {PROVIDER_COLUMNS} FROM "billing_provider" WHERE '
    '"billing_provider"."client_key_hash" = %s LIMIT 1'
)
SQL_USER_OF_PROVIDER = (
    f'SELECT {USER_COLUMNS} FROM "api_provideruser" WHERE ("api_provideruser"."erased_at" IS NULL '
    'AND "api_provideruser"."provider_id" = %s AND "api_provideruser"."user_key" = %s) LIMIT 1'
)
SQL_TOKEN_INSERT = (
    'INSERT INTO "api_accesstoken" ("token", "provider_id", "user_id", "questionnaire_id", '
    '"return_url", "created_at", "expires_at", "redeemed_at", "result_id") VALUES (%s, %s, %s, '
    '%s, %s, %s, %s, %s, %s) RETURNING "api_accesstoken"."id"'
)

# --- connections ------------------------------------------------------------------------

_local = threading.local()
# Client-side binding, as Django's. bench/check_equivalence.py puts a recording subclass here.
CURSOR_FACTORY: type[psycopg.ClientCursor] = psycopg.ClientCursor


def db() -> psycopg.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = psycopg.connect(DSN, autocommit=True, cursor_factory=CURSOR_FACTORY)
        _local.conn = conn
    return conn


# --- responses ----------------------------------------------------------------------------


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    403: "403 Forbidden",
    404: "404 Not Found",
    412: "412 Precondition Failed",
    500: "500 Internal Server Error",
}


def respond(start_response, status: int, data: dict) -> list[bytes]:
    body = json.dumps(data, ensure_ascii=False).encode()
    start_response(
        STATUS[status],
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def required(params: dict, name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise ApiError(400, f'The required "{name}" parameter is missing.')
    return value


def uuid_param(params: dict, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(required(params, name))
    except ValueError:
        raise ApiError(400, f'The "{name}" parameter must be a UUID.') from None


GROUP_MAX_LENGTH = 64
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def group_param(params: dict) -> str | None:
    """None when absent (the stored group is kept); "" clears it."""
    if "group" not in params:
        return None
    value = params["group"].strip()
    if len(value) > GROUP_MAX_LENGTH:
        raise ApiError(
            400, 'The "group" parameter is invalid: String should have at most 64 characters.'
        )
    if _CONTROL.search(value):
        raise ApiError(400, 'The "group" parameter is invalid: it contains a control character.')
    return value


def iso(moment: datetime) -> str:
    # As Django's JSON encoder: milliseconds, UTC as "Z".
    text = moment.astimezone(UTC).isoformat()
    if moment.microsecond:
        text = text[:23] + text[26:]
    return text.replace("+00:00", "Z")


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def usable(provider) -> None:
    if provider is None:
        raise ApiError(404, "Client not found with the provided token.")
    if not provider[P_ACTIVE]:
        raise ApiError(403, "The client is disabled.")


# --- scoring: a compact scorer over the stored definition, cached per version ------------

_scorers: dict[tuple, "Scorer"] = {}


def _round(value: float, places: int) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


class Scorer:
    def __init__(self, definition: dict):
        self.items = [
            (item["id"], {o["id"]: o.get("score", {}) for o in item["options"]})
            for item in definition["items"]
        ]
        self.scales = definition["scales"]
        self.ranges = {}
        for scale in self.scales:
            code = scale["code"]
            feeding = [opts for _, opts in self.items if any(code in s for s in opts.values())]
            lows = [min(s.get(code, 0) for s in opts.values()) for opts in feeding]
            highs = [max(s.get(code, 0) for s in opts.values()) for opts in feeding]
            if scale.get("method", "sum") == "sum":
                self.ranges[code] = (sum(lows), sum(highs))
            else:
                self.ranges[code] = (sum(lows) / len(lows), sum(highs) / len(highs))
        outcome = definition.get("outcome") or {}
        self.outcome_scales = outcome.get("scales", [])

    def answers(self, raw: dict) -> dict[str, list[str]]:
        out, bad = {}, []
        for item_id, options in self.items:
            chosen = raw.get(item_id)
            chosen = [chosen] if isinstance(chosen, str) else chosen
            if not chosen or len(chosen) != 1 or chosen[0] not in options:
                bad.append(item_id)
                continue
            out[item_id] = chosen
        if bad or any(k not in out for k in raw):
            raise ApiError(400, f'The "progress" parameter is invalid: items {", ".join(bad)}.')
        return out

    def score(self, answers: dict[str, list[str]]) -> tuple[list, dict]:
        scales = []
        for scale in self.scales:
            code, method = scale["code"], scale.get("method", "sum")
            total, answered = 0, 0
            for item_id, options in self.items:
                if not any(code in s for s in options.values()):
                    continue
                total += sum(options[o].get(code, 0) for o in answers[item_id])
                answered += 1
            low, high = self.ranges[code]
            if method == "sum":
                exact, raw, top = total, int(total), int(high)
            else:
                exact = total / answered
                raw, top = _round(exact, 2), _round(high, 2)
            band = scale["bands"][-1]
            for b in scale["bands"][:-1]:
                if b["min"] <= raw and (raw <= b["max"] if method == "sum" else raw < b["max"]):
                    band = b
                    break
            scales.append(
                {
                    "code": code,
                    "title": scale["title"],
                    "raw": raw,
                    "max": top,
                    "percent": _round((exact - low) / (high - low) * 100, 1),
                    "band": band["label"],
                    "interpretation": band["interpretation"],
                }
            )
        contenders = [s for s in scales if s["code"] in self.outcome_scales]
        if not contenders:
            return scales, {"leading": [], "titles": [], "text": ""}
        best = max(s["raw"] for s in contenders)
        leading = [s for s in contenders if s["raw"] == best]
        texts = {s["code"]: s.get("leading_text", "") for s in self.scales}
        return scales, {
            "leading": [s["code"] for s in leading],
            "titles": [s["title"] for s in leading],
            "text": "\n\n".join(texts[s["code"]] or s["interpretation"] for s in leading),
        }


def scorer_for(conn, q) -> Scorer:
    key = (q[Q_ID], q[Q_VERSION], q[Q_CHECKSUM])
    scorer = _scorers.get(key)
    if scorer is None:
        definition = conn.execute(SQL_DEFINITION, (q[Q_ID],)).fetchone()[1]
        scorer = _scorers[key] = Scorer(definition)
    return scorer


def offered(provider, q) -> bool:
    allowed = provider[P_ALLOWED]
    policy = provider[P_TESTS_POLICY]
    kind_ok = policy == "unlimited" or q[Q_KIND] == "main" or policy == "test_plus_bonus"
    return (not allowed or q[Q_CODE] in allowed) and kind_ok


def result_limit(policy: str, kind: str) -> int | None:
    if policy == "unlimited":
        return None
    if kind == "main":
        return 1
    return 1 if policy == "test_plus_bonus" else 0


# --- endpoints ----------------------------------------------------------------------------


def user_register(params: dict, environ) -> dict:
    client, user_id = required(params, "client"), required(params, "user_id")
    group = group_param(params)
    conn = db()
    row = conn.execute(SQL_REGISTER_LOOKUP, (user_id, key_hash(client))).fetchone()
    if row is None:
        raise ApiError(404, "Client not found with the provided token.")
    if not row[1]:
        raise ApiError(403, "The client is disabled.")
    if row[2] is not None:
        if group is not None and group != row[4]:
            conn.execute(SQL_GROUP_MOVE, (group, row[3]))
        return {"user_key": str(row[2]), "created": False}
    user_key, now = uuid.uuid4(), datetime.now(UTC)
    try:
        with conn.transaction():
            conn.execute(
                SQL_USER_INSERT,
                (row[0], user_id, user_key, group or "", user_id.casefold(), now, 0, 0, None),
            )
            conn.execute(
                SQL_LEDGER_INSERT,
                (row[0], "charge", 1, str(user_key), "api", datetime.now(UTC)),
            )
            charged = conn.execute(SQL_CHARGE, (row[0], "postpaid")).rowcount
            if not charged:
                raise ApiError(412, "The prepaid access limit is reached.")
    except psycopg.errors.UniqueViolation:
        existing = conn.execute(SQL_USER_EXISTING, (row[0], user_id)).fetchone()
        if group is not None and group != existing[4]:
            conn.execute(SQL_GROUP_MOVE, (group, existing[0]))
        return {"user_key": str(existing[3]), "created": False}
    return {"user_key": str(user_key), "created": True}


_current: dict[str, tuple[float, object]] = {}


def questionnaire_current(conn, test: str):
    """Cached for 10 s per process, as the application does."""
    cached = _current.get(test)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    q = conn.execute(SQL_QUESTIONNAIRE_CURRENT, (test,)).fetchone()
    if q is not None:
        _current[test] = (time.monotonic() + 10.0, q)
    return q


def progress_save(params: dict, environ) -> dict:
    test = required(params, "test")
    user_key = uuid_param(params, "user_key")
    try:
        raw = json.loads(required(params, "progress"))
    except ValueError:
        raise ApiError(400, 'The "progress" parameter is not valid JSON.') from None
    if not isinstance(raw, dict):
        raise ApiError(400, 'The "progress" parameter must be an object.')
    conn = db()
    row = conn.execute(SQL_USER_WITH_PROVIDER, (user_key,)).fetchone()
    if row is None:
        raise ApiError(404, "User not found with the provided key.")
    user_pk, provider = row[0], row[U_PROVIDER:]
    client = params.get("client")
    if client and provider[3] != key_hash(client):
        raise ApiError(404, "User not found with the provided key.")
    usable(provider)
    q = questionnaire_current(conn, test)
    if q is None or not offered(provider, q):
        raise ApiError(404, f'Test not found with the provided "test" value: "{test}".')
    scorer = scorer_for(conn, q)
    answers = scorer.answers(raw)
    scales, outcome = scorer.score(answers)
    field = "main_results" if q[Q_KIND] == "main" else "bonus_results"
    limit = result_limit(provider[P_TESTS_POLICY], q[Q_KIND])
    result_key = uuid.uuid4()
    # The result row before the counter, as the application does (an exception
    # inside the block rolls both back).
    with conn.transaction():
        conn.execute(
            SQL_RESULT_INSERT,
            (
                result_key,
                user_pk,
                q[Q_ID],
                Jsonb(answers),
                Jsonb(scales),
                Jsonb(outcome),
                None,
                datetime.now(UTC),
            ),
        )
        if limit is None:
            counted = conn.execute(SQL_COUNT_RESULT.format(field=field), (user_pk,)).rowcount
        else:
            counted = conn.execute(
                SQL_COUNT_RESULT_LIMITED.format(field=field), (user_pk, limit)
            ).rowcount
        if not counted:
            if conn.execute(SQL_USER_ERASED, (user_pk,)).fetchone():
                raise ApiError(404, "User not found with the provided key.")
            raise ApiError(412, "The tests policy allows this user no more results of this test.")
    return {"result_key": str(result_key)}


def result_get(params: dict, environ) -> dict:
    result_key = uuid_param(params, "result_key")
    row = db().execute(SQL_RESULT_GET, (result_key,)).fetchone()
    if row is None:
        raise ApiError(404, "Result not found with the provided key.")
    if not row[9]:
        raise ApiError(403, "This client is disabled. Contact Testodrome to enable it.")
    if row[10]:
        raise ApiError(400, "This client requires its client key.")
    return {
        "result_key": str(result_key),
        "test": row[0],
        "test_title": row[1],
        "test_version": row[2],
        "user_id": row[3],
        "created_at": iso(row[4]),
        "scales": row[5],
        "outcome": row[6],
        "answers": row[7],
    }


def token_create(params: dict, environ) -> dict:
    client = required(params, "client")
    user_key = uuid_param(params, "user_key")
    test = required(params, "test")
    conn = db()
    provider = conn.execute(SQL_PROVIDER_BY_KEY, (key_hash(client),)).fetchone()
    usable(provider)
    user = conn.execute(SQL_USER_OF_PROVIDER, (provider[P_ID], user_key)).fetchone()
    if user is None:
        raise ApiError(404, "User not found with the provided key.")
    q = questionnaire_current(conn, test)
    if q is None or not offered(provider, q):
        raise ApiError(404, f'Test not found with the provided "test" value: "{test}".')
    limit = result_limit(provider[P_TESTS_POLICY], q[Q_KIND])
    taken = user[U_MAIN] if q[Q_KIND] == "main" else user[U_BONUS]
    if limit is not None and taken >= limit:
        raise ApiError(412, "The tests policy allows this user no more results of this test.")
    token, now = uuid.uuid4(), datetime.now(UTC)
    expires = now + TOKEN_TTL
    conn.execute(
        SQL_TOKEN_INSERT, (token, provider[P_ID], user[0], q[Q_ID], "", now, expires, None, None)
    )
    host = environ.get("HTTP_HOST") or environ["SERVER_NAME"]
    return {
        "access_token": str(token),
        "expires_at": iso(expires),
        "player_url": f"{environ['wsgi.url_scheme']}://{host}/partner/v2/play/{token}/",
    }


ROUTES = {
    "user/register": user_register,
    "progress/save": progress_save,
    "result/get": result_get,
    "token/create": token_create,
}


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    view = ROUTES.get(path[len(PREFIX) :].strip("/")) if path.startswith(PREFIX) else None
    if view is None:
        return respond(start_response, 404, {"error": {"code": 404, "message": "Not found."}})
    params = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    try:
        return respond(start_response, 200, view(params, environ))
    except ApiError as error:
        return respond(
            start_response,
            error.status,
            {"error": {"code": error.status, "message": error.message}},
        )
    except psycopg.OperationalError:
        _local.conn = None
        return respond(start_response, 500, {"error": {"code": 500, "message": "Database error."}})
