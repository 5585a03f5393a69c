"""Reading a source (of a rule, a fallback or a constraint): who said it, when, and a quote."""

from __future__ import annotations

import yaml

from nposition.formats import spec
from nposition.formats.yamlio import Reader, text_of
from nposition.model import expr
from nposition.model.case import Source


def read_source(
    reader: Reader, node: yaml.Node, what: str, documents: frozenset[str] | None = None
) -> Source | None:
    """A source: who said it, when, and a quote (or a paraphrase); its document must exist."""
    label = f"{what}: source"
    keys = reader.record(node, spec.SOURCE, label)
    if keys is None:
        return None
    before = reader.error_count()
    values = reader.scalars(keys, spec.SOURCE, label)
    cited = text_of(values, "document")
    if cited and documents is not None and cited not in documents:
        reader.error(
            keys["document"],
            f"{what}: source cites unknown document '{cited}' ({expr.suggest(cited, sorted(documents))})",
        )
    if reader.error_count() > before or not {"who", "date", "quote"} <= keys.keys():
        return None
    return Source(
        who=text_of(values, "who"),
        date=text_of(values, "date"),
        where=text_of(values, "where"),
        quote=text_of(values, "quote"),
        paraphrase=values.get("paraphrase") is True,
        document=cited,
        url=text_of(values, "url"),
    )
