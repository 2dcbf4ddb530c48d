"""The data model's frozen dataclasses: made, compared, hashed, pickled and left unchanged as dataclasses."""
from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from cascade import models
from cascade.models import Deadline, Evidence, Mention, Metadata, Record, Relation, Reporting, Signer, Task

FROZEN = [c for c in vars(models).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
          and c.__module__ == models.__name__ and c.__dataclass_params__.frozen]  # type: ignore[attr-defined]


def _twin(cls: type) -> type:
    """The same fields as ``cls`` in a dataclass as ``dataclass`` itself makes it."""
    spec = [(f.name, f.type) if f.default is dataclasses.MISSING else (f.name, f.type, f.default)
            for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, spec, frozen=True, slots=True)


def test_every_frozen_model_is_covered():
    assert {Evidence, Signer, Metadata, Mention, Relation, Deadline, Reporting, Task, Record} <= set(FROZEN)


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: c.__name__)
def test_the_constructor_takes_what_the_dataclass_one_takes(cls):
    assert inspect.signature(cls.__init__) == inspect.signature(_twin(cls).__init__)
    assert cls.__init__.__qualname__ == f"{cls.__name__}.__init__"


def _sample(cls: type, mark: str, every: bool = True) -> list[object]:
    """Made-up values for the fields of ``cls`` (without ``every``: only those without a default)."""
    return [f"{mark}-{f.name}" for f in dataclasses.fields(cls) if every or f.default is dataclasses.MISSING]


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: c.__name__)
def test_fields_defaults_and_wrong_calls_are_as_in_a_dataclass(cls):
    twin = _twin(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for args in (_sample(cls, "x"), _sample(cls, "x", every=False)):
        a, b = cls(*args), twin(*args)
        assert [getattr(a, n) for n in names] == [getattr(b, n) for n in names]
        assert cls(**dict(zip(names, args, strict=False))) == a
    required = _sample(cls, "x", every=False)
    by_name = {**dict(zip(names, required, strict=False)), names[-1]: "given"}
    assert getattr(cls(**by_name), names[-1]) == "given"
    calls = [((*_sample(cls, "x"), "one too many"), {}),
             (("x",), {names[0]: "the first field again"}),
             (tuple(required), {"no_such_field": 1})]
    if required:
        calls.append((tuple(required[:-1]), {}))                           # one too few
    for args, kwargs in calls:
        with pytest.raises(TypeError):
            twin(*args, **kwargs)
        with pytest.raises(TypeError):
            cls(*args, **kwargs)


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: c.__name__)
def test_instances_stay_frozen_hashable_and_pickle_to_equals(cls):
    a = cls(*_sample(cls, "x"))
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, first, "changed")
    assert getattr(a, first) == f"x-{first}"
    assert a == cls(*_sample(cls, "x")) != cls(*_sample(cls, "y"))
    assert hash(a) == hash(cls(*_sample(cls, "x")))
    assert hash(a) == hash(_twin(cls)(*_sample(cls, "x")))       # hashed on the same fields as before
    back = pickle.loads(pickle.dumps(a))
    assert back == a and type(back) is cls


def test_a_record_reads_back_from_its_dict():
    ev = Evidence("a.txt", 10, 40, "Thực hiện Chỉ thị số 05-CT/TW")
    rec = Record("a.txt", "0" * 64, Metadata(type="KH", number="12/KH-UBND", province="Gia Lai"),
                 mentions=(Mention("m1", "CT", "05-CT/TW", ev),),
                 relations=(Relation("self", "implements", "m1", ev),),
                 tasks=(Task("1", "Sở Nội vụ chủ trì.", lead=("Sở Nội vụ",),
                             deadline=Deadline("năm 2017", "2017", "2017"),
                             reporting=(Reporting("UBND tỉnh"),), evidence=Evidence("a.txt", 50, 68, "")),))
    back = Record.from_dict(rec.to_dict())
    assert back.to_dict() == rec.to_dict() and back.mentions == rec.mentions and back.tasks == rec.tasks


@pytest.mark.parametrize("cls", FROZEN, ids=lambda c: c.__name__)
def test_with_changes_is_dataclasses_replace(cls):
    a = cls(*_sample(cls, "x"))
    for f in dataclasses.fields(cls):
        got = models.with_changes(a, **{f.name: "new"})
        assert got == dataclasses.replace(a, **{f.name: "new"}) and type(got) is cls and got is not a
    names = [f.name for f in dataclasses.fields(cls)]
    assert models.with_changes(a, **{n: f"y-{n}" for n in names}) == cls(*_sample(cls, "y"))
    assert a == cls(*_sample(cls, "x"))                               # the original is untouched
    with pytest.raises(TypeError, match="no_such_field"):
        models.with_changes(a, no_such_field=1)
