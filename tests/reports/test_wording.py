import pytest

from reports.wording import ago_ru, duration_ru


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0, "0 секунд"),
        (1, "1 секунду"),
        (3, "3 секунды"),
        (11, "11 секунд"),
        (21, "21 секунду"),
        (59, "59 секунд"),
        (60, "1 минуту"),
        (119, "1 минуту"),
        (120, "2 минуты"),
        (5 * 60, "5 минут"),
        (12 * 60, "12 минут"),
        (22 * 60, "22 минуты"),
        (3600, "1 час"),
        (3 * 3600, "3 часа"),
        (11 * 3600, "11 часов"),
        (21 * 3600, "21 час"),
        (86_400, "1 день"),
        (2 * 86_400, "2 дня"),
        (111 * 86_400, "111 дней"),
        (112 * 86_400, "112 дней"),
        (101 * 86_400, "101 день"),
    ],
)
def test_a_duration_is_said_in_its_largest_whole_unit_with_the_right_russian_form(seconds, said):
    assert duration_ru(seconds) == said


def test_a_moment_under_five_seconds_ago_is_just_now_and_later_ones_are_ago():
    assert ago_ru(4.9) == "только что"
    assert ago_ru(180) == "3 минуты назад"
