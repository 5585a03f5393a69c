"""nposition writes JSON text itself: byte for byte what `json.dumps(indent=2)` writes."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nposition.render.json import encode

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.tuples(inner, inner)
    | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=30,
)


@given(_JSON, st.booleans())
def test_encode_is_json_dumps(value: object, ascii_only: bool) -> None:
    assert encode(value, ascii_only) == json.dumps(value, indent=2, ensure_ascii=ascii_only)


@pytest.mark.parametrize(
    "text",
    ["", "plain", 'q"uote\\', "\x00\x1f\x7f\t\n\r\b\f", "é€😀", "\u2028\u2029", "\ud800"],
)
def test_strings_escape_as_json_escapes_them(text: str) -> None:
    for ascii_only in (False, True):
        assert encode([text], ascii_only) == json.dumps([text], indent=2, ensure_ascii=ascii_only)


def test_what_json_cannot_hold_is_refused() -> None:
    with pytest.raises(TypeError):
        encode({"x": object()})
    with pytest.raises(TypeError):
        encode({(1, 2): 1})
    assert encode(math.inf) == "Infinity"
