from catalog.definition import definition_public


def test_the_public_view_has_the_items_but_no_scores_or_bands(career):
    public = definition_public(career)

    assert set(public) == {
        "code",
        "version",
        "kind",
        "title",
        "description",
        "instructions",
        "items",
    }
    assert public["code"] == "career-interests"
    assert len(public["items"]) == 20
    assert public["items"][0] == {
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
    text = str(public)
    assert "score" not in text
    assert "nature" not in text
    assert "Высокий интерес" not in text
