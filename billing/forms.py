from django import forms


class GrantForm(forms.Form):
    count = forms.IntegerField(label="Сколько доступов добавить", min_value=1, max_value=1_000_000)
    reference = forms.CharField(
        label="Основание",
        max_length=255,
        help_text="Например, номер и дата платёжного поручения.",
    )
