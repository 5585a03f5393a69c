"""The base of the model's classes: frozen dataclasses, with their generated methods written once.

A subclass of `Record` is made a dataclass as it is defined: `fields`, `replace` and `asdict`
work on it, and type checkers see a frozen dataclass (`dataclass_transform`). `dataclass`
generates only its `__init__`; equality, hashing, repr and immutability come from here, once,
instead of five generated methods per class, which every start of nposition would pay for
(about 3 ms for the model). They behave as those of `dataclass(frozen=True)`:

- equal when of the same class with equal fields (fields declared `compare=False` left out),
  hashed on the same fields, shown as `Class(field=value, ...)`;
- immutable: `__init__` assigns each field once, and any later assignment or deletion raises
  `dataclasses.FrozenInstanceError`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, dataclass_transform

# Per class, the getter of the fields that equality and hashing compare, as one tuple.
_COMPARED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(field,))
class Record:
    """A frozen dataclass of the model (see the module's docstring)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(eq=False, repr=False)(cls)

    def _compared(self) -> tuple[Any, ...]:
        getter = _COMPARED.get(type(self))
        if getter is None:
            names = [f.name for f in fields(self) if f.compare]  # type: ignore[arg-type]
            # attrgetter of two or more names returns their tuple (one name: the value alone).
            getter = _COMPARED[type(self)] = attrgetter(*names, *names[:1])
        return getter(self)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self is other or self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        if name in self.__dict__ or name not in self.__dataclass_fields__:  # type: ignore[attr-defined]
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)  # `__init__`, setting each field once

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")
