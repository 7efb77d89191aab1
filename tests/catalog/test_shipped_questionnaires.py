"""The shipped files keep the shape DESIGN §7 promises."""

from collections import Counter

DOMAINS = {"nature", "technic", "people", "signs", "art"}


def test_the_career_test_is_twenty_pairs_over_five_domains_eight_each(career):
    assert (career.code, career.kind) == ("career-interests", "main")
    assert len(career.items) == 20
    fed = Counter()
    for item in career.items:
        assert [option.id for option in item.options] == ["a", "b"]
        domains = [next(iter(option.score)) for option in item.options]
        assert all(len(option.score) == 1 for option in item.options)
        assert all(option.score[d] == 1 for option, d in zip(item.options, domains, strict=True))
        assert domains[0] != domains[1]
        fed.update(domains)
    assert fed == dict.fromkeys(DOMAINS, 8)
    assert career.outcome.scales == [scale.code for scale in career.scales]
    for scale in career.scales:
        assert [(band.min, band.max) for band in scale.bands] == [(0, 2), (3, 6), (7, 8)]


def test_every_career_domain_pair_is_contrasted_twice(career):
    pairs = Counter(
        frozenset(next(iter(option.score)) for option in item.options) for item in career.items
    )

    assert len(pairs) == 10
    assert set(pairs.values()) == {2}


def test_the_likert_questionnaire_has_reverse_keyed_items_on_every_scale(self_organisation):
    assert self_organisation.kind == "bonus"
    assert len(self_organisation.items) >= 10
    reverse = Counter()
    for item in self_organisation.items:
        assert [option.id for option in item.options] == ["1", "2", "3", "4", "5"]
        assert item.options[0].text == "Совсем не согласен"
        assert item.options[4].text == "Полностью согласен"
        (scale,) = item.options[0].score
        points = [option.score[scale] for option in item.options]
        assert points in ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])
        reverse[scale] += points[0] == 5
    assert {scale.method for scale in self_organisation.scales} == {"mean"}
    assert reverse == {"order": 2, "persistence": 3}
