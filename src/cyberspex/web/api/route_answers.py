"""``GET /api/v1/routes`` at the speed of a lookup: the query made a Scenario, its answer
rendered once (forms/route_answer.py) and kept, with an ETag and a cache lifetime.

The answer is a pure function of the reference data's version, the assessment date, the
normalised query and the language (``lang`` only: ``Accept-Language`` does not change it),
and of this release's code. So:

- the rendered bytes are kept in a bounded in-process LRU cache keyed on (data version,
  normalised query with its date, language); a refused query (400) is not kept: it is refused
  while the query is read, or by the core's first check, before any route is evaluated;
- the ``ETag`` (strong) is a digest of the release, the data version, the normalised query with
  its date and the language, so it is known before the answer is rendered, and a client that
  sends it back in ``If-None-Match`` gets 304 without a body;
- ``Cache-Control: public, max-age`` of at most ``MAX_AGE`` seconds (a curator's publication
  changes the data version at any time: caches revalidate with the ETag), and never past the
  next UTC midnight when the date was omitted (the answer is today's).

The data version is read once per request: one indexed query (knowledge/reference.py) whose
SQL is compiled once, so it costs about what ``/healthz``'s own query costs (compiled by the
ORM at every call, it was 85% of a cached answer's view time); reading it at every request is
what lets a publication take effect at once in every process, which a time-bounded memo would
not (bench/route_api.py measures the whole against ``/healthz``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

from cyberspex import __version__
from cyberspex.forms.route_answer import route_bytes, what_if_of
from cyberspex.law.advisor import check_scenario
from cyberspex.law.errors import InvalidScenario
from cyberspex.law.model import ReferenceData
from cyberspex.law.scenario import (
    ALL_SIGNATORIES,
    DataCategory,
    EmergencyKind,
    Entity,
    Measure,
    Scenario,
    default_entity,
)
from cyberspex.web.knowledge.reference import latest_publication, reference_at, version_name

CACHE_SIZE = 512  # rendered answers kept per process (about 33 KB each)
MAX_AGE = 300  # seconds: a publication is seen by caches within this time (they revalidate with the ETag)
# The core's option names (law/scenario.py's messages are worded for the command line) and
# its InvalidScenario fields, as this endpoint's query parameters.
OPTION_TO_PARAMETER = {
    "--issuing": "issuing",
    "--provider-state": "provider_state",
    "--assume-ratified": "assume_ratified",
    "--as-of": "as_of",
    "--entity": "entity",
    "--data": "data",
}
FIELD_TO_PARAMETER = {"issuing": "issuing", "provider-state": "provider_state", "assume-ratified": "assume_ratified"}


class QueryError(Exception):
    """A route query that cannot be answered: 400 with the query parameter at fault."""

    def __init__(self, message: str, field: str | None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True, slots=True)
class RouteQuery:
    """The query as typed by the API's schema (values already checked against their choices)."""

    issuing: str
    provider_state: str
    data: DataCategory
    measure: Measure = Measure.PRODUCTION
    emergency: EmergencyKind | None = None
    entity: Entity | None = None
    as_of: date | None = None
    assume_in_force: bool = False
    assume_ratified: str | None = None
    lang: str = "en"


def state_code(data: ReferenceData, value: str, parameter: str) -> str:
    """The State's ISO code, upper-cased, an EU alias resolved (EL -> GR); QueryError otherwise."""
    code = data.state_code(value)
    if code is None:
        raise QueryError(
            f"unknown State code {value!r} for {parameter}: expected an ISO 3166-1 alpha-2 code "
            "such as FR, DE or US (GET /api/v1/routes accepts any ISO 3166-1 code)",
            parameter,
        )
    return code


def _invalid_what_if(message: str) -> QueryError:
    return QueryError(message, "assume_ratified")


def scenario_of(data: ReferenceData, query: RouteQuery, today: date) -> Scenario:
    """The Scenario the query asks about (``today`` when it gives no date); QueryError for a
    State code the data do not know or a malformed what-if."""
    return Scenario(
        issuing=state_code(data, query.issuing, "issuing"),
        provider_state=state_code(data, query.provider_state, "provider_state"),
        data=query.data,
        as_of=query.as_of or today,
        measure=query.measure,
        emergency=query.emergency,
        entity=query.entity or default_entity(query.data),
        what_if=what_if_of(
            data,
            query.assume_ratified,
            assume_in_force=query.assume_in_force,
            parameter="assume_ratified",
            state_code=state_code,
            invalid=_invalid_what_if,
        ),
    )


def normalised(scenario: Scenario) -> str:
    """The scenario as one canonical string, the same in every process (sorted codes)."""
    what_if = scenario.what_if
    assumed = ALL_SIGNATORIES if what_if.assume_all_signatories else ",".join(sorted(what_if.assume_ratified))
    parts = (
        scenario.issuing,
        scenario.provider_state,
        str(scenario.data),
        scenario.as_of.isoformat(),
        str(scenario.measure),
        str(scenario.emergency or ""),
        str(scenario.entity),
        "in-force" if what_if.assume_in_force else "",
        assumed,
        {None: "", True: "met", False: "not-met"}[scenario.offence_threshold],
    )
    return "|".join(parts)


def etag_of(version: str, key: str, language: str) -> str:
    """A strong ETag: a digest of this release, the data version, the normalised query and the language."""
    digest = hashlib.sha256(f"{__version__}\n{version}\n{key}\n{language}".encode()).hexdigest()
    return f'"{digest[:32]}"'


def max_age(now: datetime, *, dated: bool) -> int:
    """Seconds a cache may keep the answer: ``MAX_AGE``, and for today's answer (no date in the
    query) never past the next UTC midnight."""
    if dated:
        return MAX_AGE
    now = now.astimezone(UTC)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return max(0, min(MAX_AGE, int((midnight - now).total_seconds())))


class AnswerCache:
    """A bounded LRU of rendered answers, shared by the threads of one process."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, str], body: bytes) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


ANSWERS = AnswerCache()


def _not_modified(request: HttpRequest, etag: str) -> bool:
    sent = request.headers.get("If-None-Match")
    if not sent:
        return False
    tags = parse_etags(sent)
    # If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix added by a proxy still matches.
    return "*" in tags or etag in {t.removeprefix("W/") for t in tags}


def _reworded(error: InvalidScenario) -> QueryError:
    """The core's message (worded for the command line) naming the query parameters instead."""
    message, field = str(error), None
    for option, parameter in OPTION_TO_PARAMETER.items():
        if option in message:
            message = message.replace(option, parameter)
            field = field or parameter
    return QueryError(message, field or FIELD_TO_PARAMETER.get(error.field, error.field))


def answer(request: HttpRequest, query: RouteQuery, now: datetime) -> HttpResponse:
    """The answer to the query: 200 with the JSON body, or 304 when ``If-None-Match`` holds its
    ETag; raise QueryError for a query that cannot be answered."""
    number, fingerprint = latest_publication()
    data = reference_at(number, fingerprint)
    scenario = scenario_of(data, query, now.astimezone(UTC).date())
    try:
        check_scenario(data, scenario)  # refused before any ETag is compared or answer kept
    except InvalidScenario as error:
        raise _reworded(error) from None
    version = version_name(number, fingerprint)
    key = (version, normalised(scenario), query.lang)
    etag = etag_of(*key)
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age(now, dated=query.as_of is not None)}",
        "Content-Language": query.lang,  # the texts' language (LocaleMiddleware would name Accept-Language's)
    }
    if _not_modified(request, etag):
        response: HttpResponse = HttpResponseNotModified()
    else:
        body = ANSWERS.get(key)
        if body is None:
            try:
                body = route_bytes(data, scenario, query.lang)
            except InvalidScenario as error:
                raise _reworded(error) from None
            ANSWERS.put(key, body)
        response = HttpResponse(body, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return response
