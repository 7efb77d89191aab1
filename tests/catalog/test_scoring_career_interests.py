"""Scores of the career-interest test against answer keys counted by hand.

Pairs (a / b): 1 nature/technic, 2 people/signs, 3 art/nature, 4 technic/people,
5 signs/art, 6 nature/people, 7 technic/art, 8 signs/nature, 9 people/art,
10 technic/signs, 11 technic/nature, 12 signs/people, 13 nature/art,
14 people/technic, 15 art/signs, 16 people/nature, 17 art/technic,
18 nature/signs, 19 art/people, 20 signs/technic.
"""

from dataclasses import asdict

from catalog.scoring import score


def answers(letters: str) -> dict[str, list[str]]:
    return {str(n): [letter] for n, letter in enumerate(letters.split(), start=1)}


def by_code(scored) -> dict[str, dict]:
    return {scale["code"]: scale for scale in scored.as_dict()["scales"]}


# nature 1 3 6 8 11 13 16 18; people 2 12 19; technic 4 7 14; art 5 9 15 17; signs 10 20
NATURE_LEADS = "a a b a b a a b b b b b a b a b a a b a"
# nature 1 3 6 8 13 16 18; technic 4 7 10 11 14 17 20; people 2 9 12 19; signs 5 15
NATURE_AND_TECHNIC_TIE = "a a b a a a a b a a a b a b b b b a b b"
# technic 1 11; people 2 4 6 14 16 19; art 3 7 9 13 15 17; signs 5 8 10 12 18 20
THREE_WAY_TIE = "b a a b a b b a b b a a b a a a a b b a"


def test_a_domain_chosen_in_all_its_eight_pairs_scores_eight_and_leads(career):
    scored = score(career, answers(NATURE_LEADS))

    scales = by_code(scored)
    raw = {code: scale["raw"] for code, scale in scales.items()}
    assert raw == {"nature": 8, "technic": 3, "people": 3, "signs": 2, "art": 4}
    assert [scale["percent"] for scale in scales.values()] == [100.0, 37.5, 37.5, 25.0, 50.0]
    assert all(scale["max"] == 8 for scale in scales.values())
    assert scored.outcome.leading == ["nature"]
    assert scored.outcome.titles == ["Человек — природа"]
    assert scored.outcome.text.startswith("Ваша ведущая сфера — «Человек — природа»")


def test_band_edges_two_is_low_three_is_middle_seven_is_high(career):
    scales = by_code(score(career, answers(NATURE_LEADS)))

    assert scales["signs"]["band"] == "Низкий интерес"  # 2
    assert scales["technic"]["band"] == "Средний интерес"  # 3
    assert scales["nature"]["band"] == "Высокий интерес"  # 8
    assert "агроном" in scales["nature"]["interpretation"]

    tied = by_code(score(career, answers(NATURE_AND_TECHNIC_TIE)))
    assert tied["technic"]["raw"] == 7
    assert tied["technic"]["band"] == "Высокий интерес"


def test_six_is_still_the_middle_band(career):
    scales = by_code(score(career, answers(THREE_WAY_TIE)))

    assert scales["people"]["raw"] == 6
    assert scales["people"]["band"] == "Средний интерес"
    assert scales["people"]["percent"] == 75.0
    assert scales["nature"] == {
        "code": "nature",
        "title": "Человек — природа",
        "raw": 0,
        "max": 8,
        "percent": 0.0,
        "band": "Низкий интерес",
        "interpretation": scales["nature"]["interpretation"],
    }


def test_two_domains_with_the_top_score_are_both_reported(career):
    scored = score(career, answers(NATURE_AND_TECHNIC_TIE))

    raw = {scale.code: scale.raw for scale in scored.scales}
    assert raw == {"nature": 7, "technic": 7, "people": 4, "signs": 2, "art": 0}
    assert scored.outcome.leading == ["nature", "technic"]
    assert scored.outcome.titles == ["Человек — природа", "Человек — техника"]
    first, second = scored.outcome.text.split("\n\n")
    assert "«Человек — природа»" in first
    assert "«Человек — техника»" in second


def test_a_three_way_tie_reports_all_three_in_scale_order(career):
    scored = score(career, answers(THREE_WAY_TIE))

    raw = {scale.code: scale.raw for scale in scored.scales}
    assert raw == {"nature": 0, "technic": 2, "people": 6, "signs": 6, "art": 6}
    assert scored.outcome.leading == ["people", "signs", "art"]


def test_as_dict_is_plain_json(career):
    result = score(career, answers(NATURE_LEADS)).as_dict()

    assert set(result) == {"scales", "outcome"}
    assert set(result["outcome"]) == {"leading", "titles", "text"}
    assert [set(scale) for scale in result["scales"]] == [
        {"code", "title", "raw", "max", "percent", "band", "interpretation"}
    ] * 5
    assert isinstance(result["scales"][0]["raw"], int)


def test_as_dict_holds_every_field_of_the_scores_as_dataclasses_asdict_would(career):
    scored = score(career, answers(NATURE_AND_TECHNIC_TIE))

    assert scored.as_dict() == {
        "scales": [asdict(scale) for scale in scored.scales],
        "outcome": asdict(scored.outcome),
    }
