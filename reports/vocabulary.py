"""The catalog as the users list needs it: test titles, each test's scales, levels and
leading types, and SQL expressions that read a scale out of a result's ``scales``.

``Result.scales`` is a JSON array in the order of its version's definition
(catalog/scoring.py), so a scale is found by its index in that version. A
later version may reorder or add scales; expressions therefore pick the index
per stored version (``questionnaire_id``), which works the same on SQLite and
PostgreSQL, where a lookup by the element's ``code`` would not.
"""

from dataclasses import dataclass, field

from django.db.models import Case, FloatField, Q, When
from django.db.models.expressions import Expression
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

from catalog.definition import Definition


@dataclass(frozen=True)
class Version:
    pk: int
    code: str
    kind: str
    title: str
    published: bool
    definition: Definition


@dataclass(frozen=True)
class Vocabulary:
    versions: list[Version] = field(default_factory=list)  # newest version of a code first

    def _current(self, code: str) -> Version | None:
        of_code = [v for v in self.versions if v.code == code]
        return next((v for v in of_code if v.published), of_code[0] if of_code else None)

    @property
    def titles(self) -> dict[str, str]:
        """Code -> title of the current version of every published test."""
        titles: dict[str, str] = {}
        for v in self.versions:
            if v.published:
                titles.setdefault(v.code, v.title)
        return titles

    def has_test(self, code: str) -> bool:
        return self._current(code) is not None

    def main_codes(self) -> list[str]:
        return sorted({v.code for v in self.versions if v.kind == "main" and v.published})

    def scales(self, test: str) -> list[tuple[str, str]]:
        """(code, title) of the test's scales, in its current version's order."""
        current = self._current(test)
        return [(s.code, s.title) for s in current.definition.scales] if current else []

    def bands(self, test: str, scale: str) -> list[str]:
        """Level labels of the scale, lowest first."""
        current = self._current(test)
        scales = current.definition.scales if current else []
        return next(([b.label for b in s.bands] for s in scales if s.code == scale), [])

    def leading_types(self, test: str) -> list[tuple[str, str]]:
        """Scales that can lead: of the chosen test, or of every main test without one."""
        codes = [test] if test else self.main_codes()
        types: dict[str, str] = {}
        for code in codes:
            current = self._current(code)
            if current is None or current.definition.outcome is None:
                continue
            titles = {s.code: s.title for s in current.definition.scales}
            for scale in current.definition.outcome.scales:
                types.setdefault(scale, titles[scale])
        return list(types.items())

    def scale_titles(self, test: str) -> dict[str, str]:
        """Scale code -> title for the filter's words (leading types of main tests too)."""
        return {**dict(self.leading_types(test)), **dict(self.scales(test))}

    def _positions(self, test: str, scale: str) -> list[tuple[int, int]]:
        """(version pk, index of the scale in that version's ``scales``)."""
        positions = []
        for v in self.versions:
            if v.code != test:
                continue
            codes = [s.code for s in v.definition.scales]
            if scale in codes:
                positions.append((v.pk, codes.index(scale)))
        return positions

    def raw(self, test: str, scale: str) -> Expression:
        """The scale's raw score of a result of ``test``, as a float (NULL if absent)."""
        return Case(
            *(
                When(
                    questionnaire_id=pk,
                    then=Cast(KeyTextTransform("raw", KeyTransform(index, "scales")), FloatField()),
                )
                for pk, index in self._positions(test, scale)
            ),
            default=None,
            output_field=FloatField(),
        )

    def band_is(self, test: str, scale: str, label: str) -> Q:
        """Results of ``test`` whose level on ``scale`` is ``label``."""
        q = Q(pk__in=[])
        for pk, index in self._positions(test, scale):
            q |= Q(questionnaire_id=pk, **{f"scales__{index}__band": label})
        return q

    def leads(self, test: str, scale: str) -> Q:
        """Results whose leading types (ties: all of them) include ``scale``."""
        codes = [test] if test else self.main_codes()
        slots = max((len(v.definition.scales) for v in self.versions if v.code in codes), default=0)
        q = Q(pk__in=[])
        for index in range(slots):
            q |= Q(**{f"outcome__leading__{index}": scale})
        return q
