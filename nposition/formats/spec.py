"""The position file formats, declared once: every field of case, party, scenario and checks files.

Each field has a name, a type (with its range, pattern or vocabulary), whether it is required,
and a one-line doc. The loaders take their keys, ranges and messages from here and `nposition
schema` is generated from here, so the two cannot drift. What no declaration can say stays in the
loaders: references between files, expressions, duplicate ids, and the lints of `validate`.
Text takes any scalar, as the loader reads it as written (YAML reads an unquoted 1956 as a
number); ids must be strings in the schema.
"""

from __future__ import annotations

from functools import cache

from nposition.formats.fields import (
    Boolean,
    Choice,
    Date,
    Either,
    Expression,
    Field,
    ListOf,
    MapOf,
    Number,
    Pattern,
    Range,
    Record,
    Text,
    Type,
)
from nposition.model.case import RuleKind
from nposition.model.expr import KEYWORDS, NAME_RE

# --- the types of values ----------------------------------------------------------------------
TEXT = Text()
DATE = Date()
BOOLEAN = Boolean()
EXPRESSION = Expression()
NAME = Pattern(  # issue and option ids appear inside expressions
    NAME_RE.pattern.removesuffix(r"\Z"),
    "letters, digits and '_'",
    why="it is used inside rule expressions",
    reserved=tuple(sorted(KEYWORDS)),
    reserved_as="a keyword of rule expressions",
)
ID = Pattern("[a-z0-9][a-z0-9_-]*", "lowercase letters, digits, '-' and '_'")
RULE_REF = Pattern(f"{ID.pattern}/{ID.pattern}", "party/rule-id")
PACKAGE = MapOf(NAME, NAME)
NON_NEGATIVE = Number(Range(low=0))
POSITIVE = Number(Range(low=0, low_open=True))
# Costs and weights are salience on a small scale; a million is far past any meaningful one, and
# keeps every sum of them exact and finite.
MAX_STRENGTH = 1e6
COST_RANGE = Number(Range(low=0, high=MAX_STRENGTH))
WEIGHT_RANGE = Number(Range(low=0, high=MAX_STRENGTH, low_open=True))
VALUE_RANGE = Number(Range(low=-1e12, high=1e12))
FRACTION = Number(Range(low=0, high=1))
RULE_KIND = Choice(tuple(kind.value for kind in RuleKind))
ZONE = Choice(("empty", "nonempty"))
NO_AGREEMENT = Choice(("no_agreement",))
NA = "n/a"  # a package's value on an issue that does not apply
NOT_APPLICABLE = Choice((NA,))
PACKAGE = MapOf(NAME, Either((NAME, NOT_APPLICABLE)))


def kind_mismatch(field: Field, kind: str) -> str | None:
    """`'weight' is for preferences; a red line takes 'cost'`, or None when the kind takes it."""
    if not field.kind or field.kind == kind:
        return None
    return f"'{field.name}' is for {_words(field.kind)}s; {field.instead}"


def _words(kind: str) -> str:
    return kind.replace("_", " ")


# --- sources (of rules, fallbacks and constraints) ----------------------------------------------
SOURCE = Record(
    "Who said it, when and where.",
    (
        Field("who", TEXT, "Who said it, with their office.", required=True),
        Field("date", DATE, "When it was said.", required=True),
        Field("where", TEXT, "The occasion or publication."),
        Field(
            "quote",
            Text(nonempty=True),
            "A short attributed quote, or a paraphrase.",
            required=True,
            missing="needs a short 'quote' (or a paraphrase with 'paraphrase: true')",
        ),
        Field("paraphrase", BOOLEAN, "The quote is a paraphrase, not the speaker's words."),
        Field("document", TEXT, "The id of a document in case.yaml."),
        Field("url", TEXT, "Where to read it."),
    ),
)
TEXT_FIELD = Field("text", TEXT, "The position in words.")

# --- case.yaml --------------------------------------------------------------------------------
OPTION = Record(
    "One option of an issue.",
    (
        Field("id", NAME, "The option's id, used in rule expressions.", required=True),
        Field("label", TEXT, "What the option means, in words (default: its id)."),
        Field(
            "value",
            VALUE_RANGE,
            "A number that expressions compare and add: on every option of an ordered issue "
            "or on none, strictly increasing down the list.",
        ),
    ),
)
ISSUE = Record(
    "One dimension of a possible agreement.",
    (
        Field("id", NAME, "The issue's id, used in rule expressions.", required=True),
        Field("title", TEXT, "What the issue decides, in one line.", required=True),
        Field("description", TEXT, "A longer explanation."),
        Field("ordered", BOOLEAN, "The options run from least to most (allows <, <=, >, >=)."),
        Field("options", ListOf(OPTION, 1), "The possible outcomes, in order.", required=True),
        Field(
            "applies_when",
            EXPRESSION,
            "The issue applies only where this holds (over other issues, no cycles); "
            "elsewhere it has no option: it is n/a.",
        ),
    ),
)
DOCUMENT = Record(
    "An agreement or statement that rules cite.",
    (
        Field("id", TEXT, "The id a rule's source cites it by.", required=True),
        Field("title", TEXT, "The document's title.", required=True),
        Field("date", DATE, "When it was signed or issued."),
        Field("note", TEXT, "Why it matters here."),
        Field("url", TEXT, "Where to read it."),
    ),
)
CASE_SOURCE = Record(
    "Where the case's material comes from.",
    (
        Field("title", TEXT, "The source's title."),
        Field("date", DATE, "When it was published."),
        Field("url", TEXT, "Where to read it."),
        Field("author", TEXT, "Who wrote it."),
    ),
)
CONSTRAINT = Record(
    "A condition no party owns: a package that breaks it does not exist.",
    (
        Field("id", ID, "The constraint's id.", required=True),
        Field("text", TEXT, "Why such packages cannot exist, in words.", required=True),
        Field("require", EXPRESSION, "What every package satisfies.", required=True),
        Field("source", SOURCE, "Who says so, when and where."),
    ),
)
CASE = Record(
    "An nposition case: issues, options, documents, status quo.",
    (
        Field("case", TEXT, "The case's id.", required=True),
        Field("title", TEXT, "The negotiation, in one line.", required=True),
        Field("description", TEXT, "A paragraph of context."),
        Field(
            "costs",
            TEXT,
            "What the red lines' costs mean: their scale, who set them, on what grounds "
            "(reports print it once beside the concessions).",
        ),
        Field("source", CASE_SOURCE, "Where the case's material comes from."),
        Field("issues", ListOf(ISSUE, 1), "The issues of an agreement.", required=True),
        Field(
            "constraints",
            ListOf(CONSTRAINT),
            "Conditions no party owns; packages that break one do not exist.",
        ),
        Field(
            "status_quo",
            Either((NO_AGREEMENT, PACKAGE)),
            "What the parties get if talks fail: no_agreement, or a package {issue: option} "
            "giving every issue that applies there an option (leave out, or write n/a for, "
            "the others).",
        ),
        Field("documents", ListOf(DOCUMENT), "Agreements and statements that rules cite."),
    ),
)

# --- party files ------------------------------------------------------------------------------
COST = Field(
    "cost",
    COST_RANGE,
    "Red lines: how costly it is to give this up (default 1).",
    kind="red_line",
    instead="a preference takes 'weight'",
)
WEIGHT = Field(
    "weight",
    WEIGHT_RANGE,
    "Preferences: salience (default 1).",
    kind="preference",
    instead="a red line takes 'cost'",
)
KIND = Field("kind", RULE_KIND, "red_line (a hard rule) or preference (a soft rule with a weight).")
REQUIRE = Field(
    "require",
    EXPRESSION,
    "What a package must satisfy, e.g. `issue in [a, b]` (a preference may give 'scores' instead).",
)
WHEN = Field(
    "when",
    EXPRESSION,
    "Red lines: the rule applies only where this holds (where it is false it is not broken).",
    kind="red_line",
    instead="fold the condition into its 'require'",
)
VALUE_FUNCTION = Record(
    "A value function over one issue's options: weight x score joins the utility.",
    (
        Field("issue", NAME, "The issue whose options are scored.", required=True),
        Field(
            "options",
            MapOf(NAME, FRACTION),
            "Each option's score, 0 to 1; unlisted options and n/a score 0.",
            required=True,
        ),
    ),
)
SCORES = Field(
    "scores",
    VALUE_FUNCTION,
    "Preferences: score the options of one issue instead of a 'require'.",
    kind="preference",
    instead="a red line states what it requires in 'require'",
)
FALLBACK = Record(
    "A weaker level of a red line: what the party accepts when it retreats that far.",
    (
        Field(
            "require",
            EXPRESSION,
            "What a package must satisfy at this level (the rule's `when` still applies).",
            required=True,
        ),
        Field(
            "cost",
            COST_RANGE,
            "The total cost of retreating this far; strictly increasing down the list.",
            required=True,
        ),
        TEXT_FIELD._replace(doc="The weaker position in words."),
        Field("source", SOURCE, "Who said it, when and where."),
    ),
)
FALLBACKS = Field(
    "fallbacks",
    ListOf(FALLBACK),
    "Red lines: weaker positions, strongest first (the rule's cost is that of dropping it).",
    kind="red_line",
    instead="a preference has one level (write a weaker wish as another preference)",
)
SOURCE_FIELD = Field("source", SOURCE, "Who said it, when and where.")
RULE = Record(
    "A red line or a preference of a party, with its source.",
    (
        Field("id", ID, "The rule's id; elsewhere it is named `party/rule-id`.", required=True),
        KIND._replace(required=True),
        TEXT_FIELD,
        REQUIRE,
        WHEN,
        COST,
        WEIGHT,
        SCORES,
        FALLBACKS,
        SOURCE_FIELD._replace(required=True),
    ),
    exactly_one=("require", "scores"),
)
NAME_FIELD = Field("name", TEXT, "The party's full name.")
AS_OF = Field("as_of", DATE, "The date the positions are taken at.")
RESERVATION = Field(
    "reservation", FRACTION, "Utility of no agreement (default: of the status quo, or 0)."
)
PARTY = Record(
    "An nposition party file: its red lines and preferences, each with a source.",
    (
        Field("party", ID, "The party's id, the first half of its rules' names.", required=True),
        NAME_FIELD._replace(required=True),
        AS_OF,
        RESERVATION,
        Field("rules", ListOf(RULE), "Red lines and preferences.", required=True),
    ),
)

# --- scenario files ---------------------------------------------------------------------------
ADD = RULE._replace(
    doc="A new rule of a party.",
    fields=(Field("party", ID, "The party the rule is added to.", required=True), *RULE.fields),
)
_SETTABLE = (KIND, COST, WEIGHT, TEXT_FIELD, REQUIRE, WHEN, SCORES, FALLBACKS, SOURCE_FIELD)
SET = Record(
    "New values for fields of an existing rule.",
    (Field("rule", RULE_REF, "The rule changed, as party/rule-id.", required=True), *_SETTABLE),
    at_least_one=tuple(f.name for f in _SETTABLE),
    not_both=("require", "scores"),
)
_PARTY_SETTABLE = (NAME_FIELD, AS_OF, RESERVATION)
SET_PARTY = Record(
    "New values for a party's own fields.",
    (Field("party", ID, "The party changed.", required=True), *_PARTY_SETTABLE),
    at_least_one=tuple(f.name for f in _PARTY_SETTABLE),
)
CHANGE = Record(
    "One change: drop, soften, add or set.",
    (
        Field("drop", RULE_REF, "Remove a rule (party/rule-id)."),
        Field(
            "soften",
            RULE_REF,
            "Turn a red line into a preference (party/rule-id); its `when` folds into its "
            "require as `(when) -> (require)`, and its fallbacks go.",
        ),
        WEIGHT._replace(doc="The softened rule's weight (default 1).", goes_with="soften", kind=""),
        Field("add", ADD, "Add a rule to a party."),
        Field(
            "set",
            Either((SET, SET_PARTY)),
            "Change fields of a rule ({rule: party/rule-id, ...}) or of a party "
            "({party: id, name, as_of, reservation}).",
        ),
    ),
    exactly_one=("drop", "soften", "add", "set"),
)
SCENARIO = Record(
    "An nposition scenario: a named change to the positions.",
    (
        Field("scenario", ID, "The scenario's id: its file name without .yaml.", required=True),
        Field("title", TEXT, "The scenario, in one line.", required=True),
        Field("rationale", TEXT, "Why the change is plausible.", required=True),
        Field("description", TEXT, "Longer notes."),
        Field("as_of", DATE, "The date the scenario describes."),
        Field("changes", ListOf(CHANGE), "The changes, applied in order.", required=True),
    ),
)


REACHABLE = Record(
    "A deal to reach, and at most what its cheapest way there may cost.",
    (
        Field("package", PACKAGE, "Options of some issues: {issue: option}.", required=True),
        Field("cost_at_most", NON_NEGATIVE, "The most the cheapest concession may cost."),
        Field("by", ListOf(ID, 1), "Only concessions by these parties."),
    ),
)


# --- checks files (declared on first use: only `check` and `validate` read one) ------------------
@cache
def check() -> Record:
    """One expectation of a checks file."""
    from nposition.model.expectations import CheckKind

    package = Record(
        "A package, and whose red lines it is checked against.",
        (
            Field("party", ID, "The party whose red lines count (default: every party)."),
            Field("package", PACKAGE, "Options of some issues: {issue: option}.", required=True),
        ),
    )
    rules = ListOf(RULE_REF, 1)
    assertions: dict[CheckKind, tuple[Type, str]] = {
        CheckKind.ZONE: (ZONE, "Whether the zone of agreement is empty or not."),
        CheckKind.ZONE_SIZE_AT_LEAST: (NON_NEGATIVE, "The zone has at least this many packages."),
        CheckKind.ACCEPTABLE: (package, "Some package with these options is acceptable."),
        CheckKind.UNACCEPTABLE: (package, "No package with these options is acceptable."),
        CheckKind.CONFLICT: (rules, "These red lines cannot all hold together."),
        CheckKind.NO_CONFLICT: (rules, "These red lines can all hold together."),
        CheckKind.CONCESSION_COST_AT_MOST: (NON_NEGATIVE, "The cheapest concession costs no more."),
        CheckKind.REACHABLE: (REACHABLE, "Some package of this form can be agreed (by conceding)."),
        CheckKind.BLOCKING: (
            ListOf(ID),
            "Exactly these parties block: without the red lines of any one, the others agree.",
        ),
    }
    return Record(
        "One expectation: an id, an optional scenario, and exactly one assertion.",
        (
            Field("id", TEXT, "The check's id, in reports.", required=True),
            Field("scenario", TEXT, "The scenario it is about (default: the baseline)."),
            Field("because", TEXT, "Why it should hold."),
            *(Field(kind.value, *assertions[kind]) for kind in CheckKind),
        ),
        exactly_one=tuple(kind.value for kind in CheckKind),
    )


@cache
def checks() -> Record:
    """A checks file."""
    return Record(
        "Expectations that `nposition check` verifies.",
        (
            Field("description", TEXT, "What the checks are for."),
            Field("checks", ListOf(check(), 1), "The expectations.", required=True),
        ),
    )


def file_spec(kind: str) -> Record:
    """The declaration of one kind of file: case, party, scenario or checks."""
    if kind == "checks":
        return checks()
    return {"case": CASE, "party": PARTY, "scenario": SCENARIO}[kind]
