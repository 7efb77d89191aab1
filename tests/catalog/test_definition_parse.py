"""Load-time checks: each names the file, the place and what is wrong."""

import pytest

from catalog.definition import definition_parse
from catalog.errors import DefinitionInvalid
from common.errors import InvalidInput


def refusal(data: dict) -> str:
    with pytest.raises(DefinitionInvalid) as caught:
        definition_parse(data, "tiny.json")
    assert isinstance(caught.value, InvalidInput)
    return caught.value.message


def test_the_tiny_definition_is_valid_and_its_ranges_are_computed(tiny):
    definition = definition_parse(tiny, "tiny.json")

    assert definition.scale_ranges == {"left": (0, 4), "right": (0, 4)}
    assert definition.items[0].min_choices == definition.items[0].max_choices == 1


def test_it_names_the_item_option_and_unknown_scale(tiny):
    tiny["items"][3]["options"][1]["score"] = {"rigth": 1}

    assert refusal(tiny) == (
        'tiny.json: items[3] (id "4"): option "b" scores unknown scale "rigth"'
    )


def test_it_refuses_a_missing_field_and_says_where(tiny):
    del tiny["items"][2]["options"][0]["text"]

    assert refusal(tiny) == 'tiny.json: items[2] (id "3").options[0] (id "a").text: Field required'


def test_it_refuses_a_misspelt_field(tiny):
    tiny["scales"][0]["metod"] = "sum"

    assert 'scales[0] (code "left").metod: Extra inputs are not permitted' in refusal(tiny)


def test_it_refuses_an_unknown_kind(tiny):
    tiny["kind"] = "extra"

    assert refusal(tiny).startswith("tiny.json: kind: Input should be 'main' or 'bonus'")


def test_it_refuses_repeated_item_ids(tiny):
    tiny["items"][2]["id"] = "1"

    assert 'items[2] (id "1"): item id "1" is used twice' in refusal(tiny)


def test_it_refuses_repeated_option_ids_within_an_item(tiny):
    tiny["items"][1]["options"][1]["id"] = "a"

    assert 'tiny.json: items[1] (id "2"): option id "a" is used twice' in refusal(tiny)


def test_it_refuses_repeated_scale_codes(tiny):
    tiny["scales"].append(dict(tiny["scales"][0]))

    assert 'scales[2] (code "left"): scale code "left" is used twice' in refusal(tiny)


def test_it_refuses_an_option_of_a_main_test_that_feeds_no_scale(tiny):
    tiny["items"][0]["options"][0]["score"] = {}

    assert 'items[0] (id "1"): option "a" scores no scale' in refusal(tiny)


def test_a_bonus_test_may_have_options_that_score_nothing(tiny):
    tiny["kind"] = "bonus"
    tiny["items"][0]["options"].append({"id": "c", "text": "Не знаю", "score": {}})

    assert definition_parse(tiny, "tiny.json").items[0].options[2].score == {}


def test_it_refuses_bands_that_leave_a_gap(tiny):
    tiny["scales"][1]["bands"][1]["min"] = 3

    assert refusal(tiny) == (
        'tiny.json: scales[1] (code "right").bands[1]: leaves a gap after the band before it '
        "(min should be 2)"
    )


def test_it_refuses_overlapping_bands(tiny):
    tiny["scales"][0]["bands"][1]["min"] = 1

    assert 'scales[0] (code "left").bands[1]: overlaps the band before it' in refusal(tiny)


def test_it_refuses_bands_out_of_order(tiny):
    tiny["scales"][0]["bands"].reverse()

    assert 'scales[0] (code "left").bands[1]: bands are not in ascending order' in refusal(tiny)


def test_it_refuses_bands_that_stop_below_the_possible_maximum(tiny):
    tiny["scales"][0]["bands"][1]["max"] = 3

    assert 'scales[0] (code "left").bands: scores up to 4 are not covered' in refusal(tiny)


def test_it_refuses_bands_that_start_above_the_possible_minimum(tiny):
    tiny["scales"][0]["bands"][0]["min"] = 1

    assert 'scales[0] (code "left").bands: scores from 0 are not covered' in refusal(tiny)


def test_a_sum_scale_needs_whole_number_bands(tiny):
    tiny["scales"][0]["bands"][0]["max"] = 1.5
    tiny["scales"][0]["bands"][1]["min"] = 2.5

    assert 'scales[0] (code "left").bands[0]: a sum scale needs whole-number' in refusal(tiny)


def test_mean_bands_share_their_edges(tiny):
    for scale in tiny["scales"]:
        scale["method"] = "mean"
        scale["bands"] = [
            {"min": 0, "max": 0.5, "label": "мало", "interpretation": "…"},
            {"min": 0.5, "max": 1, "label": "много", "interpretation": "…"},
        ]

    definition = definition_parse(tiny, "tiny.json")

    assert definition.scale_ranges["left"] == (0, 1)
    assert definition.scales[0].band_for(0.5).label == "много"
    assert definition.scales[0].band_for(1).label == "много"
    assert definition.scales[0].band_for(0.49).label == "мало"


def test_the_range_of_a_multiple_choice_item_counts_its_picks(tiny):
    tiny["kind"] = "bonus"
    tiny["items"] = [
        {
            "id": "1",
            "text": "Что вам нравится?",
            "type": "multiple",
            "min_choices": 1,
            "max_choices": 2,
            "options": [
                {"id": k, "text": k, "score": {"left": points, "right": 1}}
                for k, points in zip("abc", [3, 1, 2], strict=True)
            ],
        }
    ]
    tiny["scales"][0]["bands"] = [
        {"min": 1, "max": 3, "label": "мало", "interpretation": "…"},
        {"min": 4, "max": 5, "label": "много", "interpretation": "…"},
    ]
    tiny["scales"][1]["bands"] = [{"min": 1, "max": 2, "label": "всё", "interpretation": "…"}]

    assert definition_parse(tiny, "tiny.json").scale_ranges == {"left": (1, 5), "right": (1, 2)}


def test_it_refuses_choice_limits_that_do_not_fit_the_options(tiny):
    tiny["items"][0].update(type="multiple", min_choices=2, max_choices=3)

    assert refusal(tiny) == (
        'tiny.json: items[0] (id "1"): min_choices 2 and max_choices 3 do not fit 2 options'
    )


def test_it_refuses_several_choices_on_a_single_item(tiny):
    tiny["items"][0]["max_choices"] = 2

    assert 'items[0] (id "1"): a single-choice item takes exactly one answer' in refusal(tiny)


def test_it_refuses_an_outcome_over_an_unknown_scale(tiny):
    tiny["outcome"]["scales"] = ["left", "centre"]

    assert refusal(tiny) == 'tiny.json: outcome.scales: unknown scale "centre"'


def test_it_refuses_a_scale_no_item_scores(tiny):
    tiny["scales"].append({**tiny["scales"][0], "code": "idle"})

    assert 'scales[2] (code "idle"): no item scores this scale' in refusal(tiny)


def test_it_reports_every_problem_at_once(tiny):
    tiny["items"][0]["options"][0]["score"] = {"up": 1}
    tiny["outcome"]["scales"] = ["down"]

    message = refusal(tiny)

    assert 'option "a" scores unknown scale "up"' in message
    assert 'outcome.scales: unknown scale "down"' in message


def test_a_non_object_is_refused_plainly():
    with pytest.raises(DefinitionInvalid, match=r"^x\.json: Input should be a valid dictionary"):
        definition_parse([1, 2], "x.json")


def test_it_refuses_a_scale_on_which_every_answer_scores_the_same(tiny):
    for item in tiny["items"]:
        for option in item["options"]:
            option["score"] = {"left": 1, "right": 1}

    assert 'scales[0] (code "left"): all answers give the same score (4)' in refusal(tiny)
