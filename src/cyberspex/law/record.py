"""Records: the value classes of the legal core, declared like dataclasses but built without
their cost at start-up.

``@dataclass`` writes the source of each class's ``__init__``, ``__eq__``, ``__hash__``,
``__repr__`` and ``__setattr__`` and compiles it when the module is imported: for the 40-odd
classes every ``cyberspex route`` imports, that was about a fifth of the command's time. A
record class declares its fields the same way (annotations, defaults, ``field(...)``), and the
metaclass below gives it ``__slots__`` for them and generic methods that read the field list
(``operator.attrgetter`` for comparisons), so nothing is compiled at import::

    class Deadline(Record):
        event: str
        days: int | None = None

    class Tally(Record, frozen=False):  # fields can be assigned
        counts: dict[str, int] = field(default_factory=dict)

    class Everything(Record, eq=False):  # equal only to itself, hashed by identity
        ...

Behaviour is a frozen dataclass's with ``slots=True``: the constructor takes the fields in
order, by position or keyword, a field with a default (or ``default_factory``) may be left out;
instances are equal when they are of the same class and their compared fields are equal
(``field(compare=False)`` leaves one out of equality and hash); the hash is that of the tuple of
compared fields; the repr is ``Name(field=value, ...)``; assigning or deleting a field of a
frozen record raises ``FrozenRecordError`` (an ``AttributeError``). A record pickles as its
class and its fields, so unpickling calls the constructor. Fields are declared in the class
body only (a subclass adds its own after its base's). ``fields`` and ``replace`` stand for
``dataclasses.fields`` and ``dataclasses.replace``.

Pure standard library; type checkers see records as dataclasses (``dataclass_transform``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar, cast, dataclass_transform

R = TypeVar("R", bound="Record")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """What ``field(...)`` declares about a field; the metaclass reads and removes it."""

    __slots__ = ("compare", "default", "default_factory")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, compare: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.compare = compare


def field(*, default: Any = MISSING, default_factory: Callable[[], Any] | None = None, compare: bool = True) -> Any:
    """A field's default (or the function that makes a new default for each instance), and
    whether it takes part in equality and hashing."""
    if default is not MISSING and default_factory is not None:
        raise ValueError("a field cannot have both a default and a default_factory")
    return Field(default, default_factory, compare)


class FrozenRecordError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


class _Factory:
    """A default made afresh for each instance."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def _key_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of the named attributes of an object (in C for two or more)."""
    if len(names) >= 2:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda _obj: ()


class RecordType(type):
    """Makes a record class: its ``__slots__``, field list, defaults and compared fields."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], *, frozen: bool = True, eq: bool = True
    ) -> RecordType:
        inherited: tuple[str, ...] = ()
        inherited_defaults: tuple[Any, ...] = ()
        inherited_compared: tuple[str, ...] = ()
        for base in bases:
            if isinstance(base, RecordType):
                base = cast("type[Record]", base)
                inherited, inherited_defaults = base.__record_fields__, base.__record_defaults__
                inherited_compared = base.__record_compared__
        annotations = namespace.get("__annotations__", {})
        own = tuple(
            field_name for field_name, kind in annotations.items() if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        )
        defaults, compared = list(inherited_defaults), list(inherited_compared)
        for field_name in own:
            value = namespace.pop(field_name, MISSING)
            compare = True
            if isinstance(value, Field):
                compare = value.compare
                value = _Factory(value.default_factory) if value.default_factory is not None else value.default
            if value is MISSING and defaults and defaults[-1] is not MISSING:
                raise TypeError(f"{name}: non-default field {field_name!r} follows a field with a default")
            defaults.append(value)
            if compare:
                compared.append(field_name)
        namespace["__slots__"] = own + tuple(namespace.get("__slots__", ()))
        if not frozen:
            namespace.setdefault("__setattr__", object.__setattr__)
            namespace.setdefault("__delattr__", object.__delattr__)
        if not eq:
            namespace.setdefault("__eq__", object.__eq__)
            namespace.setdefault("__hash__", object.__hash__)
        elif not frozen:
            namespace.setdefault("__hash__", None)  # mutable and compared by value: unhashable, as a dataclass
        fields = inherited + own
        # The fields from this position on all have plain defaults (no default_factory).
        plain_from = max((i + 1 for i, d in enumerate(defaults) if d is MISSING or isinstance(d, _Factory)), default=0)
        namespace.update(
            __record_fields__=fields,
            __record_defaults__=tuple(defaults),
            __record_compared__=tuple(compared),
            __record_plain_from__=plain_from,
            _record_key=staticmethod(_key_of(tuple(compared))),
            _record_values=staticmethod(_key_of(fields)),
        )
        made = super().__new__(mcs, name, bases, namespace)
        # Fields are set through their slots' descriptors, past a frozen record's __setattr__.
        cast("type[Record]", made)._record_setters = tuple(getattr(made, f).__set__ for f in fields)
        return made


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
class Record(metaclass=RecordType):
    """The base of record classes (see the module's docstring)."""

    __slots__ = ("_record_hash",)  # a frozen record's hash, once computed
    # Set on each record class by RecordType.
    __record_fields__: ClassVar[tuple[str, ...]]
    __record_defaults__: ClassVar[tuple[Any, ...]]
    __record_compared__: ClassVar[tuple[str, ...]]
    __record_plain_from__: ClassVar[int]
    if TYPE_CHECKING:  # static functions (operator.attrgetter) set by RecordType, and the hash slot
        _record_hash: ClassVar[int]

        @staticmethod
        def _record_key(record: Any, /) -> tuple[Any, ...]:
            """The values of the compared fields."""

        @staticmethod
        def _record_values(record: Any, /) -> tuple[Any, ...]:
            """The values of all the fields, in order."""

    _record_setters: ClassVar[tuple[Callable[[Any, Any], None], ...]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if kwargs or len(args) != (count := len(cls.__record_fields__)):
            if not kwargs and cls.__record_plain_from__ <= len(args) < count:  # left out: plain defaults
                args += cls.__record_defaults__[len(args) :]
            else:
                args = _bind(cls, args, kwargs)
        for set_field, value in zip(cls._record_setters, args, strict=True):
            set_field(self, value)

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={value!r}" for name, value in _items(self))
        return f"{type(self).__qualname__}({values})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(self._record_key(self) == self._record_key(other))
        return NotImplemented

    def __hash__(self) -> int:
        try:
            return self._record_hash
        except AttributeError:  # the first time: kept, as a frozen record's fields never change
            found = hash(self._record_key(self))
            object.__setattr__(self, "_record_hash", found)
            return found

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenRecordError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenRecordError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        return type(self), self._record_values(self)


def _bind(cls: type[Record], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The value of each field, in order, from a constructor's arguments: as a call to a
    dataclass's ``__init__`` binds them, with the same errors."""
    fields = cls.__record_fields__
    if len(args) > len(fields):
        raise TypeError(f"{cls.__name__}() takes {len(fields)} positional arguments but {len(args)} were given")
    for name in fields[: len(args)]:
        if name in kwargs:
            raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
    values = list(args)
    missing = []
    for name, default in zip(fields[len(args) :], cls.__record_defaults__[len(args) :], strict=True):
        if name in kwargs:
            values.append(kwargs.pop(name))
        elif default is MISSING:
            missing.append(name)
        else:
            values.append(default.make() if isinstance(default, _Factory) else default)
    if missing:
        raise TypeError(f"{cls.__name__}() missing required arguments: {', '.join(map(repr, missing))}")
    if kwargs:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {next(iter(kwargs))!r}")
    return tuple(values)


def _items(record: Record) -> Iterator[tuple[str, Any]]:
    return zip(record.__record_fields__, record._record_values(record), strict=True)


def fields(record: Record | type[Record]) -> tuple[str, ...]:
    """The names of a record's (or record class's) fields, in order."""
    return record.__record_fields__


def replace(record: R, /, **changes: Any) -> R:
    """A copy of ``record`` with the fields named in ``changes`` set to their values."""
    if unknown := changes.keys() - set(record.__record_fields__):
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    return type(record)(**{**dict(_items(record)), **changes})


def as_dict(record: Record) -> dict[str, Any]:
    """A record's fields and their values (not recursive)."""
    return dict(_items(record))
