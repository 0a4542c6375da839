"""The durations the statistics measure, kept on each request and delivery by the database itself.

The statistics (exchange/statistics.py) need, for every request an organisation sent and every
delivery it received, the time to the first response and to the completion. Computed at read
time, that was several correlated subqueries and date arithmetic per row, on every view: the page
grew faster than the requests. They are kept instead in four columns (NULL: not yet), maintained
by triggers in the same transaction as the change that moves them, whatever makes it (a service,
the federation, a bulk insert, a queryset ``update()``, a ``delete()``):

- ``Request.first_response``: from its ``issued_at`` to the first answer, decision or message
  from a recipient (a message from the request's own organisation is not one) on any delivery
  of the request; ``Request.completion``: to its first transition to a final state
  (:data:`FINAL_STATES`).
- ``Delivery.first_response``: from its ``delivered_at`` to the first answer, decision or
  message not from the delivery's signer; ``Delivery.completion``: to the earliest of its
  ``answered_at`` and its first concluding decision (:data:`CONCLUDING`).

A duration is exact to the microsecond on both databases: PostgreSQL subtracts the timestamps
(an ``interval``, Django's DurationField there); on SQLite, where Django writes a moment as the
text ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC and a DurationField as whole microseconds, the
whole seconds of each (``strftime('%s')`` of its first 19 characters) and its microseconds are
subtracted apart (``julianday()`` would round to the millisecond).

A change to an answer, a decision or a message touches (``UPDATE ... SET id = id``) its request and
then its delivery; a transition touches its request; and every insert or update of a request or a
delivery recomputes its two durations from the rows, so that a ``save()`` of the whole row with
stale values in memory cannot overwrite them. On PostgreSQL that is a ``BEFORE`` row trigger that
sets ``NEW``; on SQLite an ``AFTER`` trigger that updates the row (SQLite's default
``recursive_triggers = OFF``, which Django keeps, stops it from firing itself).

:func:`install` (re)creates the triggers; the migration that adds the columns calls it and fills
them from the existing rows, and it runs again after every ``migrate`` (apps.py), because SQLite
drops a table's triggers when a migration rebuilds the table.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from cyberspex.web.cases.models import State
from cyberspex.web.exchange.models import DecisionKind

# The states in which a request's exchange is over.
FINAL_STATES = frozenset({State.ANSWERED, State.PARTIALLY_ANSWERED, State.REFUSED, State.LAPSED, State.CLOSED, State.WITHDRAWN})
# The decisions after which the deciding authority has nothing more to do with the delivery: the
# platform's definition for "completion", not a legal qualification.
CONCLUDING = frozenset(
    {
        DecisionKind.NO_OBJECTION,
        DecisionKind.NON_DISCLOSURE,
        DecisionKind.GROUND_FOR_REFUSAL,
        DecisionKind.REFUSED,
        DecisionKind.DATA_PASSED_BACK,
        DecisionKind.EMERGENCY_NOT_ACCEPTED,
        DecisionKind.HANDED_OFF,
    }
)


def _listed(values: frozenset[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))  # fixed identifiers, no quote in any


# The moments of the request NEW (its row as written) and of the delivery NEW, in SQL that reads
# alike on SQLite and PostgreSQL. MIN() over a union skips the NULLs. Each is made a duration by
# _since().
REQUEST_FIRST_RESPONSE = """(SELECT MIN(moments.at) FROM (
    SELECT a.at FROM exchange_answer a JOIN exchange_delivery d ON a.delivery_id = d.id WHERE d.request_id = NEW.id
    UNION ALL SELECT x.at FROM exchange_decision x JOIN exchange_delivery d ON x.delivery_id = d.id WHERE d.request_id = NEW.id
    UNION ALL SELECT m.at FROM exchange_message m JOIN exchange_delivery d ON m.delivery_id = d.id WHERE d.request_id = NEW.id
        AND m.organisation_id <> (SELECT c.organisation_id FROM cases_case c WHERE c.id = NEW.case_id)
) AS moments)"""
REQUEST_COMPLETED = f"""(SELECT MIN(t.at) FROM cases_transition t
    WHERE t.request_id = NEW.id AND t.to_state IN ({_listed(FINAL_STATES)}))"""  # noqa: S608  # fixed identifiers
DELIVERY_FIRST_RESPONSE = """(SELECT MIN(moments.at) FROM (
    SELECT a.at FROM exchange_answer a WHERE a.delivery_id = NEW.id
    UNION ALL SELECT x.at FROM exchange_decision x WHERE x.delivery_id = NEW.id
    UNION ALL SELECT m.at FROM exchange_message m WHERE m.delivery_id = NEW.id AND m.organisation_id <> NEW.signed_by_id
) AS moments)"""
DELIVERY_COMPLETED = f"""(SELECT MIN(moments.at) FROM (
    SELECT NEW.answered_at AS at
    UNION ALL SELECT x.at FROM exchange_decision x WHERE x.delivery_id = NEW.id AND x.kind IN ({_listed(CONCLUDING)})
) AS moments)"""  # noqa: S608  # fixed identifiers

# The tables whose rows feed the moments: (table, the statements touching what they feed, with
# ROW standing for NEW or OLD).
_TOUCH_REQUEST_OF_DELIVERY = (
    "UPDATE cases_request SET id = id WHERE id = (SELECT request_id FROM exchange_delivery WHERE id = ROW.delivery_id)"
)
_TOUCH_DELIVERY = "UPDATE exchange_delivery SET id = id WHERE id = ROW.delivery_id"
FEEDERS = {
    "exchange_answer": (_TOUCH_REQUEST_OF_DELIVERY, _TOUCH_DELIVERY),
    "exchange_decision": (_TOUCH_REQUEST_OF_DELIVERY, _TOUCH_DELIVERY),
    "exchange_message": (_TOUCH_REQUEST_OF_DELIVERY, _TOUCH_DELIVERY),
    "cases_transition": ("UPDATE cases_request SET id = id WHERE id = ROW.request_id",),
}
# The rows that carry the durations: (table, {column: (the moment, from which column of NEW)}).
CARRIERS = {
    "cases_request": {"first_response": (REQUEST_FIRST_RESPONSE, "issued_at"), "completion": (REQUEST_COMPLETED, "issued_at")},
    "exchange_delivery": {
        "first_response": (DELIVERY_FIRST_RESPONSE, "delivered_at"),
        "completion": (DELIVERY_COMPLETED, "delivered_at"),
    },
}


def _since(vendor: str, moment: str, start: str) -> str:
    """The duration from NEW.start to the moment (NULL if either is): an interval on PostgreSQL,
    whole microseconds on SQLite (module docstring)."""
    if vendor == "postgresql":
        return f"({moment} - NEW.{start})"

    def seconds(text: str) -> str:
        return f"CAST(strftime('%s', substr({text}, 1, 19)) AS INTEGER)"

    def micro(text: str) -> str:
        return f"CAST(substr({text} || '.000000', 21, 6) AS INTEGER)"

    start = f"NEW.{start}"
    return f"(({seconds(moment)} - {seconds(start)}) * 1000000 + {micro(moment)} - {micro(start)})"


def _assignments(vendor: str, table: str) -> list[tuple[str, str]]:
    return [(column, _since(vendor, moment, start)) for column, (moment, start) in CARRIERS[table].items()]


_EVENTS = {"insert": ("INSERT", ("NEW",)), "update": ("UPDATE", ("NEW", "OLD")), "delete": ("DELETE", ("OLD",))}


def _touches(table: str, rows: tuple[str, ...]) -> str:
    return " ".join(f"{statement.replace('ROW.', f'{row}.')};" for row in rows for statement in FEEDERS[table])


def _sqlite() -> list[str]:
    statements = []
    for table in CARRIERS:
        assigned = ", ".join(f"{column} = {value}" for column, value in _assignments("sqlite", table))
        for event in ("insert", "update"):
            name = f"stats_{table}_{event}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} FOR EACH ROW "  # noqa: S608  # fixed identifiers
                f"BEGIN UPDATE {table} SET {assigned} WHERE id = NEW.id; END",
            ]
    for table in FEEDERS:
        for event, (verb, rows) in _EVENTS.items():
            name = f"stats_{table}_{event}"
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {verb} ON {table} FOR EACH ROW BEGIN {_touches(table, rows)} END",
            ]
    return statements


def _postgresql() -> list[str]:
    statements = []
    for table in CARRIERS:
        assigned = " ".join(f"NEW.{column} := {value};" for column, value in _assignments("postgresql", table))
        name = f"stats_{table}_moments"
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {assigned} RETURN NEW; END; $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE TRIGGER {name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    for table in FEEDERS:
        name = f"stats_{table}_touch"
        verbs = {row: ", ".join(repr(verb) for verb, rows in _EVENTS.values() if row in rows) for row in ("NEW", "OLD")}
        body = " ".join(f"IF TG_OP IN ({verbs[row]}) THEN {_touches(table, (row,))} END IF;" for row in ("NEW", "OLD"))
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"CREATE OR REPLACE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def _trigger_names(vendor: str) -> list[tuple[str, str]]:
    """Each trigger of ``vendor`` with its table."""
    if vendor == "postgresql":
        return [(f"stats_{t}_moments", t) for t in CARRIERS] + [(f"stats_{t}_touch", t) for t in FEEDERS]
    return [(f"stats_{t}_{e}", t) for t in CARRIERS for e in ("insert", "update")] + [
        (f"stats_{t}_{e}", t) for t in FEEDERS for e in _EVENTS
    ]


def _drops(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in _trigger_names(vendor)]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, _table in _trigger_names(vendor)]


def _missing(connection: BaseDatabaseWrapper) -> bool:
    """Whether a trigger is missing (a table rebuilt by an SQLite migration drops its triggers)."""
    query = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if connection.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {row[0] for row in cursor.fetchall()}
    return any(name not in present for name, _table in _trigger_names(connection.vendor))


def _has_columns(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return all(
            "first_response" in {column.name for column in connection.introspection.get_table_description(cursor, table)}
            for table in CARRIERS
        )


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers, once the columns exist (nothing before their migration)."""
    if connection.vendor not in ("sqlite", "postgresql") or not _has_columns(connection):
        return
    with connection.cursor() as cursor:
        for statement in _postgresql() if connection.vendor == "postgresql" else _sqlite():
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _drops(connection.vendor):
            cursor.execute(statement)


def refill(connection: BaseDatabaseWrapper) -> None:
    """Recompute every request's and delivery's durations from the rows (the triggers do it on each
    update, so touching each row is enough)."""
    with connection.cursor() as cursor:
        for table in CARRIERS:
            cursor.execute(f"UPDATE {table} SET id = id")  # noqa: S608  # fixed table names


def installed_after_migrate(using: str = "default", **_: Any) -> None:
    """post_migrate: put back triggers that a rebuilt SQLite table lost. Nothing is done when they
    are all there: `migrate` run by the application role (which may not create anything on
    PostgreSQL, docs/configuration.md) then changes nothing. A change to the triggers' bodies comes
    with a migration that calls :func:`install`."""
    from django.db import connections  # noqa: PLC0415

    connection = connections[using]
    if connection.vendor in ("sqlite", "postgresql") and _has_columns(connection) and _missing(connection):
        install(connection)
