"""Example requests and responses of the partner API, shown in its OpenAPI document.

They follow one student of a college through the whole flow (the keys are
the seed text's own), and tests/api/test_openapi_examples.py validates each
against its schema and its pydantic model.
"""

from typing import Any

# Sent as the X-Client-Key header or the client parameter (api.auth), not in these models.
CLIENT_KEY = "mwfsC-Xq3LrZ8tYb0kVd2nGh5JpA7eUo"
USER_KEY = "92f50432-dd78-4f57-b407-6bb273c78f62"
ACCESS_TOKEN = "3f2a9c4e-8b1d-4f6a-9e2c-7d5b1a0c4e8f"
RESULT_KEY = "5c59e95c-a164-4fa0-b434-74289849def3"
TEST = "career-interests"
GROUP = "ИС-21"

ANSWERS = {str(n): "a" if n % 2 else "b" for n in range(1, 21)}

USER_REGISTER_IN = {"user_id": "student-1", "group": GROUP}
USER_REGISTER_OUT = {"user_key": USER_KEY, "created": True}

CLIENT_INFO_IN = {}
CLIENT_INFO_OUT = {
    "name": "Ставропольский колледж",
    "payment_policy": "prepaid",
    "tests_policy": "test_plus_bonus",
    "issued": 171,
    "limit": 500,
    "overdraft": 10,
    "remaining": 339,
}

TEST_SUMMARIES = [
    {"code": TEST, "title": "Профессиональные интересы", "kind": "main", "version": 1},
    {"code": "self-organisation", "title": "Самоорганизация", "kind": "bonus", "version": 1},
]
TEST_LIST_IN = {}
TEST_LIST_OUT = {"tests": TEST_SUMMARIES}

USER_TESTS_IN = {"user_key": USER_KEY}
USER_TESTS_OUT = {
    "group": GROUP,
    "available": TEST_SUMMARIES[1:],
    "passed": [{"test": TEST, "result_key": RESULT_KEY, "created_at": "2026-11-27T10:42:15.508Z"}],
}

CLIENT_USERS_IN = {"page": 1, "page_size": 50, "group": GROUP}
CLIENT_USERS_OUT = {
    "count": 21,
    "page": 1,
    "pages": 1,
    "items": [
        {
            "user_id": "student-1",
            "user_key": USER_KEY,
            "group": GROUP,
            "registered_at": "2026-11-27T10:31:02.114Z",
            "results": [
                {
                    "test": TEST,
                    "result_key": RESULT_KEY,
                    "created_at": "2026-11-27T10:42:15.508Z",
                    "leading": ["technic"],
                }
            ],
        }
    ],
}

TOKEN_CREATE_IN = {
    "user_key": USER_KEY,
    "test": TEST,
    "return_url": "https://college.example/career/done",
}
TOKEN_CREATE_OUT = {
    "access_token": ACCESS_TOKEN,
    "expires_at": "2026-11-28T10:35:40.027Z",
    "player_url": f"https://api.testodrome.example/partner/v2/play/{ACCESS_TOKEN}/",
}

TEST_GET_IN = {"access_token": ACCESS_TOKEN}
TEST_GET_OUT = {
    "access_token": ACCESS_TOKEN,
    "expires_at": "2026-11-28T10:35:40.027Z",
    "code": TEST,
    "version": 1,
    "kind": "main",
    "title": "Профессиональные интересы",
    "description": "Тест помогает понять, какая из пяти сфер труда вам ближе: природа, "
    "техника, люди, знаковые системы или художественные образы.",
    "instructions": "Перед вами 20 пар занятий. В каждой паре выберите то, которое вам "
    "больше нравится или которым вы охотнее занялись бы, если бы умели.",
    "items": [
        {
            "id": "1",
            "text": "Какое занятие вы бы выбрали?",
            "type": "single",
            "min_choices": 1,
            "max_choices": 1,
            "required": True,
            "options": [
                {"id": "a", "text": "Наблюдать за поведением птиц в заповеднике"},
                {"id": "b", "text": "Собирать и настраивать электронную схему"},
            ],
        }
    ],
}

PROGRESS_SAVE_IN = {
    "test": TEST,
    "user_key": USER_KEY,
    "progress": ANSWERS,
    "access_token": ACCESS_TOKEN,
}
PROGRESS_SAVE_OUT = {"result_key": RESULT_KEY}

RESULT_GET_IN = {"result_key": RESULT_KEY, "format": "json"}
_SCALES = [
    ("nature", "Человек — природа", 2, "Низкий интерес"),
    ("technic", "Человек — техника", 8, "Высокий интерес"),
    ("people", "Человек — человек", 3, "Средний интерес"),
    ("signs", "Человек — знаковая система", 5, "Средний интерес"),
    ("art", "Человек — художественный образ", 2, "Низкий интерес"),
]
RESULT_GET_OUT: dict[str, Any] = {
    "result_key": RESULT_KEY,
    "test": TEST,
    "test_title": "Профессиональные интересы",
    "test_version": 1,
    "user_id": "student-1",
    "created_at": "2026-11-27T10:42:15.508Z",
    "scales": [
        {
            "code": code,
            "title": title,
            "raw": raw,
            "max": 8,
            "percent": raw / 8 * 100,
            "band": band,
            "interpretation": f"Сфера «{title}»: {band.lower()}.",
        }
        for code, title, raw, band in _SCALES
    ],
    "outcome": {
        "leading": ["technic"],
        "titles": ["Человек — техника"],
        "text": "Ваша ведущая сфера — «Человек — техника»: больше всего вас привлекают "
        "машины, механизмы, приборы, энергия и материалы. Подходящие профессии: инженер, "
        "автомеханик, электромонтажник, наладчик станков с ЧПУ, техник-технолог, мехатроник.",
    },
    "answers": {item: [option] for item, option in ANSWERS.items()},
}

ERROR_OUT = {"error": {"code": 404, "message": "Client not found with the provided token."}}

USER_DELETE_IN = {"user_key": USER_KEY}
USER_DELETE_OUT = {"erased": True}

USER_EXPORT_IN = {"user_key": USER_KEY}
USER_EXPORT_OUT: dict[str, Any] = {
    "exported_at": "2026-11-29T09:12:03.441Z",
    "registration": {
        "user_id": "student-1",
        "user_key": USER_KEY,
        "group": GROUP,
        "registered_at": "2026-11-27T10:31:02.114Z",
    },
    "results": [RESULT_GET_OUT],
    "tokens": [
        {
            "test": TEST,
            "created_at": "2026-11-27T10:35:40.027Z",
            "expires_at": "2026-11-28T10:35:40.027Z",
            "redeemed_at": "2026-11-27T10:42:15.508Z",
            "result_key": RESULT_KEY,
        }
    ],
    "events": [
        {
            "id": "0b6f3c1e-5a4d-4e8b-9f21-7c3d2e1a9b40",
            "type": "result.saved",
            "created_at": "2026-11-27T10:42:15.508Z",
            "data": {
                **{key: value for key, value in RESULT_GET_OUT.items() if key != "answers"},
                "user_key": USER_KEY,
            },
        }
    ],
    "charges": [{"created_at": "2026-11-27T10:31:02.114Z"}],
}
