"""Scores of the Likert questionnaire against keys counted by hand.

Organisation: items 1 3 7 11 direct, 5 9 reverse-keyed. Persistence: items 2 6 10
direct, 4 8 12 reverse-keyed (option "k" scores 6 - k).
"""

from catalog.scoring import score


def answers(options: str) -> dict[str, list[str]]:
    """``"5 3 ..."``: the option chosen for item 1, item 2 and so on."""
    return {str(n): [option] for n, option in enumerate(options.split(), start=1)}


def by_code(scored) -> dict[str, dict]:
    return {scale["code"]: scale for scale in scored.as_dict()["scales"]}


def test_reverse_keyed_items_count_backwards(self_organisation):
    # Order: 4 4 2 4 2 4 = 20 / 6; persistence: 4 2 4 2 4 2 = 18 / 6.
    scales = by_code(score(self_organisation, answers("4 " * 12)))

    assert scales["order"]["raw"] == 3.33
    assert scales["order"]["percent"] == 58.3  # (3.333 - 1) / 4
    assert scales["persistence"]["raw"] == 3.0
    assert scales["persistence"]["percent"] == 50.0
    assert scales["order"]["max"] == 5.0


def test_a_mean_scale_leads_and_its_bands_follow_the_means(self_organisation):
    # Item:         1    2    3    4    5    6    7    8    9    10   11   12
    chosen = answers("5 3 5 3 1 2 4 4 2 3 5 5")
    # Order: 5 5 5(rev 1) 4 4(rev 2) 5 = 28 / 6 = 4.67.
    # Persistence: 3 3(rev 3) 2 2(rev 4) 3 1(rev 5) = 14 / 6 = 2.33.
    scored = score(self_organisation, chosen)

    scales = by_code(scored)
    assert (scales["order"]["raw"], scales["order"]["percent"]) == (4.67, 91.7)
    assert scales["order"]["band"] == "Высокий уровень"
    assert (scales["persistence"]["raw"], scales["persistence"]["percent"]) == (2.33, 33.3)
    assert scales["persistence"]["band"] == "Низкий уровень"
    assert scored.outcome.leading == ["order"]
    assert scored.outcome.text.startswith("Ваша сильная сторона — организованность")


def test_a_mean_on_a_band_edge_belongs_to_the_upper_band(self_organisation):
    # Persistence 3 2 3 2 3 2 = 15 / 6 = 2.5; order 1 1 5(rev 1) 1 5(rev 1) 1 = 14 / 6.
    at_two_and_a_half = by_code(score(self_organisation, answers("1 3 1 4 " * 3)))
    # Persistence 4 3 4 3 4 3 = 21 / 6 = 3.5.
    at_three_and_a_half = by_code(score(self_organisation, answers("1 4 1 3 " * 3)))

    assert at_two_and_a_half["persistence"]["raw"] == 2.5
    assert at_two_and_a_half["persistence"]["percent"] == 37.5
    assert at_two_and_a_half["persistence"]["band"] == "Средний уровень"
    assert at_two_and_a_half["order"]["raw"] == 2.33
    assert at_three_and_a_half["persistence"]["raw"] == 3.5
    assert at_three_and_a_half["persistence"]["percent"] == 62.5
    assert at_three_and_a_half["persistence"]["band"] == "Высокий уровень"


def test_the_extremes_are_one_and_five(self_organisation):
    # Direct items "5" and reverse items "1" give 5 everywhere; the mirror gives 1.
    best = by_code(score(self_organisation, answers("5 5 5 1 1 5 5 1 1 5 5 1")))
    worst = by_code(score(self_organisation, answers("1 1 1 5 5 1 1 5 5 1 1 5")))

    assert [best["order"]["raw"], best["persistence"]["raw"]] == [5.0, 5.0]
    assert [best["order"]["percent"], best["persistence"]["percent"]] == [100.0, 100.0]
    assert [worst["order"]["raw"], worst["persistence"]["raw"]] == [1.0, 1.0]
    assert worst["order"]["band"] == "Низкий уровень"


def test_equal_means_tie_and_both_scales_lead(self_organisation):
    # Both scales: direct "4", reverse "2" -> all 4s.
    scored = score(self_organisation, answers("4 4 4 2 2 4 4 2 2 4 4 2"))

    assert [scale.raw for scale in scored.scales] == [4.0, 4.0]
    assert scored.outcome.leading == ["order", "persistence"]
    assert scored.outcome.titles == ["Организованность", "Настойчивость"]
