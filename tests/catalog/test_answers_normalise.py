"""Save-time checks: every problem is listed, with the offending ids."""

import pytest

from catalog.answers import answers_normalise
from catalog.definition import definition_parse
from catalog.errors import AnswersInvalid
from common.errors import InvalidInput


@pytest.fixture
def survey(tiny):
    """Tiny, plus an optional item 5 and a multiple-choice item 6 (two to three of a-d)."""
    tiny["kind"] = "bonus"
    tiny["items"].append({**tiny["items"][0], "id": "5", "required": False})
    tiny["items"].append(
        {
            "id": "6",
            "text": "Что вам нравится?",
            "type": "multiple",
            "min_choices": 2,
            "max_choices": 3,
            "options": [{"id": k, "text": k, "score": {}} for k in "abcd"],
        }
    )
    tiny["scales"][0]["bands"][1]["max"] = 5
    tiny["scales"][1]["bands"][1]["max"] = 5
    return definition_parse(tiny, "tiny.json")


def refusal(definition, raw) -> AnswersInvalid:
    with pytest.raises(AnswersInvalid) as caught:
        answers_normalise(definition, raw)
    assert isinstance(caught.value, InvalidInput)
    return caught.value


def test_answers_come_back_in_definition_order(survey):
    raw = {"6": ["d", "b"], "4": "b", "1": "a", "3": ["a"], "2": "b"}

    answers = answers_normalise(survey, raw)

    assert list(answers.items()) == [
        ("1", ["a"]),
        ("2", ["b"]),
        ("3", ["a"]),
        ("4", ["b"]),
        ("6", ["b", "d"]),
    ]


def test_an_empty_answer_leaves_an_optional_item_out(survey):
    raw = {"1": "a", "2": "a", "3": "a", "4": "a", "5": [], "6": ["a", "b"]}

    assert "5" not in answers_normalise(survey, raw)


def test_it_lists_every_kind_of_problem_in_one_message(survey):
    raw = {"1": "a", "2": ["a", "b"], "3": "z", "6": ["a"], "21": "a", "22": "b"}

    error = refusal(survey, raw)

    assert error.message == (
        'The "progress" parameter is invalid: unknown items: 21, 22; unknown options: 3=z; '
        "missing answers: 4; item 2 takes one answer, got 2; item 6 takes 2 to 3 answers, got 1."
    )
    assert error.unknown_items == ["21", "22"]
    assert error.unknown_options == [("3", "z")]
    assert error.missing_items == ["4"]
    assert list(error.invalid_items) == ["2", "6"]
    assert error.item_ids == ["3", "4", "2", "6"]


def test_an_empty_list_or_string_on_a_required_item_is_a_missing_answer(survey):
    error = refusal(survey, {"1": [], "2": "", "3": "a", "4": "a", "6": ["a", "b"]})

    assert error.missing_items == ["1", "2"]
    assert error.message == 'The "progress" parameter is invalid: missing answers: 1, 2.'


def test_it_refuses_too_many_choices_on_a_multiple_item(survey):
    raw = {"1": "a", "2": "a", "3": "a", "4": "a", "6": ["a", "b", "c", "d"]}

    assert refusal(survey, raw).invalid_items == {"6": "item 6 takes 2 to 3 answers, got 4"}


def test_it_refuses_a_repeated_option_in_one_answer(survey):
    raw = {"1": ["a", "a"], "2": "a", "3": "a", "4": "a", "6": ["b", "c", "b"]}

    error = refusal(survey, raw)

    assert error.invalid_items == {
        "1": "item 1 repeats options: a",
        "6": "item 6 repeats options: b",
    }


def test_it_refuses_an_answer_that_is_not_an_option_id(survey):
    raw = {"1": {"x": "a"}, "2": "a", "3": "a", "4": "a", "6": ["a", 7]}

    error = refusal(survey, raw)

    assert list(error.invalid_items) == ["1", "6"]
    assert "item 1 takes an option id or a list of them" in error.message


def test_nothing_answered_lists_every_required_item(survey):
    assert refusal(survey, {}).missing_items == ["1", "2", "3", "4", "6"]


def test_the_career_test_takes_one_of_two_letters_per_pair(career):
    raw = {str(n): "a" for n in range(1, 21)}
    raw["20"] = "c"

    error = refusal(career, raw)

    assert error.message == 'The "progress" parameter is invalid: unknown options: 20=c.'
