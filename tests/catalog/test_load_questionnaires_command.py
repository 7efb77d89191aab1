from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Questionnaire

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("load_questionnaires", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_loads_the_shipped_files_once_and_then_reports_them_unchanged():
    assert run() == ["created career-interests v1", "created self-organisation v1"]
    assert run() == ["unchanged career-interests v1", "unchanged self-organisation v1"]
    assert Questionnaire.objects.count() == 2


def test_it_loads_the_paths_given(write_json, tiny):
    path = write_json("tiny.json", tiny)

    assert run(str(path)) == ["created tiny v1"]

    tiny["description"] = "Новое описание"
    write_json("tiny.json", tiny)
    assert run(str(path)) == ["created tiny v2"]


def test_an_invalid_file_is_a_clear_error_and_nothing_is_loaded(write_json, tiny):
    good = write_json("good.json", tiny)
    tiny["items"][0]["options"][0]["score"] = {"lft": 1}
    bad = write_json("bad.json", {**tiny, "code": "bad"})

    with pytest.raises(CommandError) as caught:
        run(str(good), str(bad))

    assert str(caught.value) == 'bad.json: items[0] (id "1"): option "a" scores unknown scale "lft"'
    assert not Questionnaire.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"^absent\.json: cannot be read"):
        run(str(tmp_path / "absent.json"))
