"""Demo students of `make run`: groups with results, so the staff pages have something to show.

Everything goes through the same services as the partner API (registration
charges the demo provider's ledger, results are scored for real), so the
demo data obeys every rule the real data does.
"""

import random
from dataclasses import dataclass

from api.selectors import registrant_get
from api.services import progress_submit, user_register
from api.tokens import token_create
from billing.models import Provider
from catalog.definition import Definition
from catalog.models import Questionnaire
from catalog.selectors import questionnaire_definition, questionnaires_current

DEMO_GROUPS = ("ИС-21", "ПК-22", "ЭК-23")
STUDENTS_PER_GROUP = 8
# Students registered without a group: staff pages must show those too.
UNGROUPED = 2


@dataclass(frozen=True)
class DemoSeed:
    students: int
    created: int
    results: int
    open_links: int


def _demo_students() -> list[tuple[str, str]]:
    students = [
        (f"demo-{g + 1}{n + 1:02d}", group)
        for g, group in enumerate(DEMO_GROUPS)
        for n in range(STUDENTS_PER_GROUP)
    ]
    return students + [(f"demo-0{n + 1:02d}", "") for n in range(UNGROUPED)]


def _answers(definition: Definition, rng: random.Random) -> dict[str, str | list[str]]:
    answers: dict[str, str | list[str]] = {}
    for item in definition.items:
        ids = [option.id for option in item.options]
        if item.type == "multiple":
            answers[item.id] = rng.sample(ids, item.min_choices or 1)
        else:
            answers[item.id] = rng.choice(ids)
    return answers


def demo_students_seed(provider: Provider) -> DemoSeed:
    """Register the demo students in their groups; new ones also take the tests.

    Re-runnable: a known student is neither charged nor given more results.
    Most new students take the main test, some the bonus one too, and a few
    only get a link they have not used yet. The answers are random with a
    fixed seed, so every machine shows the same dashboard.
    """
    rng = random.Random(2126)
    tests: dict[str, Questionnaire] = {q.kind: q for q in questionnaires_current()}
    created = results = open_links = 0
    students = _demo_students()
    for n, (user_id, group) in enumerate(students):
        registration = user_register(registrant=registrant_get(provider, user_id), group=group)
        if not registration.created:
            continue
        created += 1
        main, bonus = tests.get("main"), tests.get("bonus")
        if main is None:
            continue
        if n % 7 == 6:
            token_create(provider=provider, user_key=registration.user_key, test_code=main.code)
            open_links += 1
            continue
        for test in (main, bonus) if bonus is not None and n % 3 == 0 else (main,):
            progress_submit(
                provider=provider,
                user_key=registration.user_key,
                test_code=test.code,
                progress=_answers(questionnaire_definition(test), rng),
            )
            results += 1
    return DemoSeed(len(students), created, results, open_links)
