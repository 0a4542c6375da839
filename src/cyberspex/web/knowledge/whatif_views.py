"""The public ratification what-if page (/what-if/): a thin view over knowledge/whatif.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cyberspex.law.scenario import ALL_SIGNATORIES
from cyberspex.law.whatif import Comparison, Row
from cyberspex.web.cases.forms import DATA_CATEGORIES, DATE_INPUT, EMERGENCIES, MEASURES
from cyberspex.web.knowledge import whatif
from cyberspex.web.knowledge.cache import per_data_version
from cyberspex.web.knowledge.reference import data_version
from cyberspex.web.knowledge.whatif_heatmap import heat_map, matrix_table

ROWS_PER_PAGE = 50


class LenientChoices(forms.MultipleChoiceField):
    """Checkboxes whose values knowledge/whatif.py checks, with the API's messages."""

    def valid_value(self, value: str) -> bool:  # noqa: ARG002  # the query parser reports unknown values
        return True


class WhatIfForm(forms.Form):
    """Only renders the question: the query parser checks it (the API's rules and messages)."""

    ratified = forms.CharField(
        label=gettext_lazy("States treated as Parties to CETS 224"),
        required=False,  # the query parser says what is missing, with the API's message
        # Filled in on the page: the question most asked, what if every signatory that has not
        # consented did, so that submitting the form as it comes gives an answer; emptied, the
        # browser asks for a value before sending (and the parser refuses it if sent anyway).
        initial=ALL_SIGNATORIES,
        widget=forms.TextInput(attrs={"required": True, "placeholder": gettext_lazy("e.g. FR,DE or all-eu")}),
        help_text=gettext_lazy(
            "State codes separated by commas (e.g. FR,DE), all-signatories (every signatory that has not "
            "consented) or all-eu (every EU Member State among them)."
        ),
    )
    in_force = forms.CharField(
        label=gettext_lazy("Treat the Protocol as in force"),
        required=False,
        # Yes by default on the page: without it nothing opens on the date asked, because the
        # Protocol would enter into force only months after the last consent (Art 16(3)).
        initial="true",
        widget=forms.Select(choices=[("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]),
    )
    as_of = forms.CharField(
        label=gettext_lazy("On this date"), required=False, widget=DATE_INPUT, help_text=gettext_lazy("Empty: today.")
    )
    data = LenientChoices(  # type: ignore[assignment]  # the API's parameter name; a field, not Form.data
        label=gettext_lazy("Data categories (none chosen: all)"),
        required=False,
        choices=DATA_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
    )
    measure = forms.CharField(label=gettext_lazy("Measure"), required=False, widget=forms.Select(choices=MEASURES))
    emergency = forms.CharField(
        label=gettext_lazy("Emergency"),
        required=False,
        widget=forms.Select(
            choices=[(whatif.NO_EMERGENCY, label) if not value else (value, label) for value, label in EMERGENCIES]
        ),
    )


@require_GET
def what_if_page(request: HttpRequest) -> HttpResponse:
    asked = {name: values for name, values in request.GET.lists() if name != "page"}
    form = WhatIfForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "result": None}
    if not asked:
        return render(request, "knowledge/whatif/page.html", context)
    form.is_valid()  # lenient fields: only so that the parser's messages can be added
    try:
        query = whatif.parse_query(asked, today=timezone.now().date())
    except whatif.QueryError as error:
        for problem in error.problems:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        return render(request, "knowledge/whatif/page.html", context, status=400)
    result = whatif.comparison_for(query)
    page = Paginator(cast("Sequence[Row]", _LazyRows(result)), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    affected = result.affected_states()
    picture, table = _matrix(query.key)
    titles = whatif.route_titles()
    labels = dict(DATA_CATEGORIES)
    context.update(
        query=query,
        result=result,
        api_url="/api/v1/what-if?" + urlencode(query.parameters()),
        page_query=urlencode(query.parameters()),
        page=page,
        rows=[
            (
                row,
                labels[row.request.data.value],
                whatif.explain_url(query, row),
                *map(whatif.status_label, (row.before, row.after)),
            )
            for row in page
        ],
        assumed=sorted(result.assumed),
        already_parties=sorted(result.already_parties),
        pairs_changed=len(result.pairs_changed),
        counts=[(route, titles[route], counts) for route, counts in whatif.status_counts(result)],
        totals=whatif.totals(result),
        affected=affected,
        heat_map=picture,
        matrix_table=table,
        titles=titles,
        data_version=data_version(),
    )
    return render(request, "knowledge/whatif/page.html", context)


@per_data_version(maxsize=32)
def _matrix(key: whatif.Key) -> tuple[SafeString, SafeString]:
    """The heat map and its table for a query, in the active language: drawn once per data
    version and language (per_data_version keys on both)."""
    result = whatif.comparison(key)
    affected = result.affected_states()
    cells = whatif.matrix_cells(result, affected)
    picture = heat_map(
        chart_id="what-if-heat",
        title=_("Changed routes per pair of States: issuing State (rows) to provider State (columns)"),
        issuing=affected,
        providers=affected,
        values={pair: sum(c.values()) for pair, c in cells.items()},
    )
    table = matrix_table(
        caption=_("Changed routes per pair: issuing State (rows) to provider State (columns); opened / closed / other changes"),
        corner=_("Issuing"),
        states=affected,
        cells=cells,
    )
    return picture, table


class _LazyRows:
    """The changed rows as the paginator takes them: counted without listing, sliced on demand."""

    def __init__(self, result: Comparison) -> None:
        self.result = result

    def count(self) -> int:
        return int(self.result.total)

    def __len__(self) -> int:
        return int(self.result.total)

    def __getitem__(self, index: slice) -> list[Row]:
        start = index.start or 0
        stop = self.result.total if index.stop is None else index.stop
        return whatif.page_of(self.result, offset=start, limit=max(0, stop - start))[1]
