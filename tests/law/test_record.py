"""Records behave as frozen dataclasses with slots: construction, equality, hash, repr, immutability, pickling."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest

from cyberspex.law.record import FrozenRecordError, Record, as_dict, field, fields, replace


class Point(Record):
    x: int
    y: int = 0
    label: str | None = field(default=None, compare=False)


class Labelled(Point):
    name: str = "p"


class Bag(Record):
    items: list[int] = field(default_factory=list)


class Tally(Record, frozen=False):
    count: int = 0


class Whole(Record, eq=False):
    value: int


def test_fields_are_given_by_position_or_keyword_and_defaults_fill_the_rest() -> None:
    assert Point(1, 2) == Point(x=1, y=2) == Point(1, y=2)
    assert (Point(1).y, Point(1).label) == (0, None)
    assert fields(Point) == ("x", "y", "label")


def test_a_subclass_adds_its_fields_after_its_bases() -> None:
    assert fields(Labelled) == ("x", "y", "label", "name")
    assert Labelled(1, 2, None, "q").name == "q"


def test_each_instance_gets_a_new_default_from_a_factory() -> None:
    first, second = Bag(), Bag()
    first.items.append(1)
    assert second.items == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (Point, "missing required arguments: 'x'"),
        (lambda: Point(1, 2, None, 4), "takes 3 positional arguments but 4 were given"),
        (lambda: Point(1, x=1), "got multiple values for argument 'x'"),
        (lambda: Point(1, z=1), "got an unexpected keyword argument 'z'"),
    ],
)
def test_wrong_arguments_raise_a_type_error_as_a_dataclass_does(make: Callable[[], object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make()


def test_records_are_equal_by_class_and_compared_fields_and_hash_as_the_tuple_of_them() -> None:
    assert Point(1, 2, "a") == Point(1, 2, "b")  # label is not compared
    assert Point(1, 2) != Point(1, 3)
    assert Point(1, 2) != Labelled(1, 2)
    assert hash(Point(1, 2, "a")) == hash((1, 2))


def test_the_repr_names_the_class_and_every_field() -> None:
    assert repr(Labelled(1)) == "Labelled(x=1, y=0, label=None, name='p')"


def test_a_frozen_record_cannot_be_changed() -> None:
    point = Point(1)
    with pytest.raises(FrozenRecordError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del point.y  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.z = 1  # type: ignore[attr-defined]
    assert point == Point(1)


def test_a_mutable_record_can_be_changed_and_is_not_hashable() -> None:
    tally = Tally()
    tally.count += 1
    assert tally == Tally(1)
    with pytest.raises(TypeError):
        hash(tally)


def test_a_record_without_eq_is_equal_only_to_itself() -> None:
    whole = Whole(1)
    assert whole == whole  # noqa: PLR0124
    assert whole != Whole(1)
    assert hash(whole) == object.__hash__(whole)


def test_a_record_pickles_as_its_class_and_fields() -> None:
    point = Labelled(1, 2, "a", "q")
    assert point.__reduce__() == (Labelled, (1, 2, "a", "q"))
    again = pickle.loads(pickle.dumps(point))  # noqa: S301  # our own bytes
    assert (again, again.label) == (point, "a")


def test_replace_copies_a_record_with_some_fields_changed() -> None:
    point = Point(1, 2, "a")
    assert as_dict(replace(point, y=5)) == {"x": 1, "y": 5, "label": "a"}
    with pytest.raises(TypeError, match="has no field 'z'"):
        replace(point, z=1)


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default field 'b' follows a field with a default"):

        class Wrong(Record):
            a: int = 0
            b: int
