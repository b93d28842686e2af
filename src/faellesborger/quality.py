"""Great Expectations (GX Core 1.x) suites on a built warehouse: ``faellesborger quality``.

One suite per table, named ``<schema>.<table>``: every public mart, and the key columns of
every staging model. The suites state, table by table, what dbt's generic tests do not
(fællesborgere never exceed the population, shares are percentages, a Tabel 4 cell prints
in the document's number format, few quarantined rows per raw file, pseudonymous keys that
look like keys and no CPR-like value anywhere, extraction dates not in the future). What
joins marts or compares a mart's rows with each other (figures that agree across marts,
sums and shares per year, the disclosure rounding) is a dbt singular test in
``tests/marts/``. One validation definition per table and ONE checkpoint run them all;
the checkpoint writes Data Docs (HTML) and :func:`run_quality` returns a summary whose
``success`` is false when any expectation fails.

The main groups and the kanten LAB groups are read from the dbt project's seeds (found
via :func:`faellesborger.project.project_dir`), so an analyst's seed edit is followed.

How the data reaches GX: the warehouse is opened read-only with DuckDB and every table is
read into a pandas DataFrame (``.df()``); a staging suite adds derived ``qc_*`` columns
computed in SQL (a raw file's quarantined share) that its expectations then test. GX 1.24
reading DuckDB through SQLAlchemy returns no rows (great_expectations issues 10738 and
11579), so GX never talks to DuckDB. A pandas DataFrame asset takes its frame as a batch
parameter, and a checkpoint passes the same batch parameters to every validation
definition; to run one checkpoint over sixteen frames, each frame is written as a pickle
into a private temporary folder (mode 0700, removed afterwards) and read back by a pandas
datasource pickle asset with a whole-dataframe batch definition. Pickle keeps the
DataFrame's dtypes exactly and needs no extra dependency.

The GX context is ephemeral (nothing is written but the Data Docs).

Privacy: a failing value may be a CPR number, so no result carries row values. The
checkpoint's result format keeps counts and observed aggregates but no unexpected values
(``partial_unexpected_count`` 0, no unexpected rows): the printed report and the Data Docs
name the suite, the expectation, the column and how many rows fail, never a value.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.checkpoint import UpdateDataDocsAction, ValidationAction
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.expectations.row_conditions import (
    Column,
    ComparisonCondition,
    Operator,
    RowConditionType,
)

from faellesborger.cpr_shape import CPR_LIKE_REGEX
from faellesborger.project import dbt_var, read_seed

# ---------------------------------------------------------------------------------------
# Thresholds. Change them here (or, for the quarantine share, with the command's option);
# every one is a judgement about what a plausible delivery looks like, not a rule of the
# report.
# ---------------------------------------------------------------------------------------

# A raw file with this share (or more) of its rows quarantined is a broken delivery
# (the shipped delivery: at most 0.6 pct.). Overridable: --max-quarantine-share.
MAX_QUARANTINE_SHARE = 0.05
# The share is judged only on files with at least this many data rows: a handful of bad
# rows in a tiny file (a small test delivery) says nothing about the delivery.
QUARANTINE_MIN_FILE_ROWS = 500
# Fællesborgere as a percentage of the BIF-active citizens (Tabel 3, Hovedtotal; the
# report: 5 pct.). Outside these bounds the delivery, or a rule, is broken.
MIN_FAELLESBORGER_SHARE_PCT = 0.5
MAX_FAELLESBORGER_SHARE_PCT = 50.0
# No report year, extraction date or birth year of this warehouse lies before these.
EARLIEST_YEAR = 2000
EARLIEST_EXTRACTION_DATE = dt.date(2000, 1, 1)
EARLIEST_BIRTH_YEAR = 1900
# Patterns.
PERSON_KEY_REGEX = r"^[0-9a-f]{64}$"  # keyed SHA-256, lower-case hex
# A Tabel 4 cell as printed: "-", "250", "1.100", "ca. 450", "23.000", or "0" (a
# population under 500 of a small delivery). No leading zeros, "." between thousands.
# (Groups are non-capturing: pandas warns about capturing groups in str.contains.)
PUBLISHED_VALUE_REGEX = r"^(?:-|(?:ca\. )?(?:0|[1-9][0-9]{0,2}(?:\.[0-9]{3})*))$"
LAB_GROUP_CODE_REGEX = r"^6\.(?:[1-9]|10)$"  # LAB § 6, nr. 1-10
LEGAL_BASIS_REGEX = r"^(?:SEL|SUL|ABL|LAS) § [0-9]+"
# a year, a month yyyy-mm, a quarter yyyy-Qn or a day yyyy-mm-dd (Bilag 1a's snapshot day)
PERIOD_REGEX = (r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?"
                r"|-Q[1-4])?$")

STEPS = (1, 2, 3, 4)
SEL_85 = "§ 85"

DEFAULT_DOCS_DIR = Path("target/gx/data_docs")
# Counts and observed aggregates, no row values (a value may be a CPR number).
RESULT_FORMAT: dict[str, Any] = {"result_format": "SUMMARY", "partial_unexpected_count": 0,
                                 "include_unexpected_rows": False}
CHECKPOINT_NAME = "faellesborger_quality"
DOCS_SITE_NAME = "faellesborger_data_docs"


@dataclass(frozen=True)
class Thresholds:
    """What a run may vary: the quarantine share and the date "today" is; and what the
    dbt project says (read from it, so that an analyst's seed edit is followed): the main
    groups (seed ``lab_main_groups``), the kanten main group (var ``kanten_main_group``)
    and its LAB groups (seed ``lab_target_groups``), the Tabel 4 columns (seed
    ``sof_interventions``)."""

    max_quarantine_share: float = MAX_QUARANTINE_SHARE
    today: dt.date = field(default_factory=dt.date.today)
    main_groups: tuple[str, ...] = field(default_factory=lambda: main_groups())
    kanten: str = field(default_factory=lambda: kanten_main_group())
    kanten_lab_groups: tuple[str, ...] = field(
        default_factory=lambda: lab_groups_of(kanten_main_group()))
    tabel4_columns: tuple[str, ...] = field(default_factory=lambda: tabel4_columns())
    # A year with this share (or more) of its fællesborgere in one main group is suspect
    # (dbt var ``max_share_in_one_main_group``; the dbt tests in tests/marts read it too).
    max_share_in_one_main_group: float = field(
        default_factory=lambda: float(str(dbt_var("max_share_in_one_main_group"))))


Expectations = Callable[[Thresholds], list[gxe.Expectation]]


def main_groups() -> tuple[str, ...]:
    """The main groups of seed ``lab_main_groups``, in their order."""
    rows = sorted(read_seed("lab_main_groups"), key=lambda row: int(row["sort_order"]))
    return tuple(row["main_group_code"] for row in rows)


def kanten_main_group() -> str:
    """The main group of the citizens "i kanten" (dbt var ``kanten_main_group``)."""
    return str(dbt_var("kanten_main_group"))


def tabel4_columns() -> tuple[str, ...]:
    """The Tabel 4 columns of the intervention catalogue (seed ``sof_interventions``)."""
    return tuple(sorted({row["tabel4_column"] for row in read_seed("sof_interventions")
                         if row["tabel4_column"]}))


def lab_groups_of(main_group: str) -> tuple[str, ...]:
    """The LAB groups of ``main_group`` in seed ``lab_target_groups``, in their order."""
    rows = sorted(read_seed("lab_target_groups"), key=lambda row: int(row["sort_order"]))
    return tuple(row["lab_group_code"] for row in rows if row["main_group_code"] == main_group)


@dataclass(frozen=True)
class TableSuite:
    """A suite: the table it validates, the frame it reads, and its expectations.

    ``sql`` selects the table's columns (all of a mart, the key columns of a staging
    model) and the derived ``qc_*`` columns the expectations test. ``cpr_columns`` are
    scanned for CPR-like values; ``None`` means every string column but the ``qc_*`` ones
    (the marts). ``optional`` tables (an extract that need not be delivered) may be
    empty, and then have nothing to check.
    """

    name: str  # <schema>.<table>, also the suite's name
    sql: str
    expectations: Expectations
    cpr_columns: tuple[str, ...] | None = None
    optional: bool = False


def _is(column: str, value: bool = True) -> ComparisonCondition:
    """The row condition ``column == value`` on a boolean column."""
    return ComparisonCondition(column=Column(column), operator=Operator.EQUAL, parameter=value)


# --- small constructors: every expectation carries the rule it states ------------------


def _between(column: str, low: Any = None, high: Any = None, *, rule: str,
             when: RowConditionType = None, strict_max: bool = False) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(
        column=column, min_value=low, max_value=high, strict_max=strict_max,
        row_condition=when, description=rule)


def _in_set(column: str, values: Sequence[Any], *, rule: str,
            when: RowConditionType = None) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(
        column=column, value_set=list(values), row_condition=when, description=rule)


def _null(column: str, *, rule: str, when: RowConditionType) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeNull(column=column, row_condition=when, description=rule)


def _not_null(column: str, *, rule: str, when: RowConditionType) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column, row_condition=when,
                                             description=rule)


def _matches(column: str, regex: str, *, rule: str,
             when: RowConditionType = None) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=regex, row_condition=when,
                                              description=rule)


def _not_cpr(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotMatchRegex(
        column=column, regex=CPR_LIKE_REGEX,
        description="No CPR number leaves the raw extracts (docs/privacy.md).")


def _equal(column_a: str, column_b: str, *, rule: str,
           when: RowConditionType = None) -> gxe.Expectation:
    return gxe.ExpectColumnPairValuesToBeEqual(
        column_A=column_a, column_B=column_b, ignore_row_if="either_value_is_missing",
        row_condition=when, description=rule)


def _at_least(column_a: str, column_b: str, *, rule: str,
              when: RowConditionType = None) -> gxe.Expectation:
    """``column_a >= column_b`` on every row."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=column_a, column_B=column_b, or_equal=True,
        ignore_row_if="either_value_is_missing", row_condition=when, description=rule)


def _distinct(column: str, values: Sequence[Any], *, rule: str) -> gxe.Expectation:
    return gxe.ExpectColumnDistinctValuesToEqualSet(column=column, value_set=list(values),
                                                    description=rule)


def _year(column: str, t: Thresholds) -> gxe.Expectation:
    return _between(column, EARLIEST_YEAR, t.today.year,
                    rule=f"A report year lies between {EARLIEST_YEAR} and this year.")


def _person_key(column: str) -> gxe.Expectation:
    return _matches(column, PERSON_KEY_REGEX,
                    rule="A person key is a keyed SHA-256 hash (64 hex digits), never a "
                         "CPR number or other identifier.")


def _share_below(column: str, limit_pct: float, *, what: str) -> gxe.Expectation:
    return _between(column, 0, limit_pct, strict_max=True,
                    rule=f"Fewer than {limit_pct:g} % of a year's fællesborgere {what}: a "
                         "delivery with nearly everyone there is suspect.")


# --- staging: key columns -----------------------------------------------------------------


def _staging_sql(model: str, columns: str) -> str:
    """Key columns of a staging model; per raw file its number of rows (on every row) and
    its quarantined share (on its first row only, null on the others)."""
    first_row = "row_number() over (partition by source_file order by source_line) = 1"
    return f"""
        select
            {columns},
            count(*) over (partition by source_file) as qc_file_rows,
            case when {first_row} then
                avg(case when row_status = 'quarantined' then 1.0 else 0.0 end)
                    over (partition by source_file)
            end as qc_file_quarantine_share
        from staging.{model}
    """


def _staging_common(extract: str, t: Thresholds,
                    key_columns: Sequence[str]) -> list[gxe.Expectation]:
    share = t.max_quarantine_share
    return [
        _matches("source_file", rf"(?i)^{extract}[^/]*\.csv$",
                 rule=f"Rows come from the extract's own files ({extract}*.csv, any case)."),
        gxe.ExpectColumnMinToBeBetween(
            column="source_line", min_value=2,
            description="Line 1 of a raw file is its header: data rows start at line 2."),
        *(_person_key(column) for column in key_columns),
        _matches("rejected_cpr_hash", PERSON_KEY_REGEX,
                 rule="An impossible CPR number is kept only as its keyed hash."),
        gxe.ExpectColumnMinToBeBetween(
            column="extraction_date",
            min_value=dt.datetime.combine(EARLIEST_EXTRACTION_DATE, dt.time()),
            description=f"No delivery was extracted before {EARLIEST_EXTRACTION_DATE}."),
        gxe.ExpectColumnMaxToBeBetween(
            column="extraction_date", max_value=dt.datetime.combine(t.today, dt.time()),
            description="A delivery was extracted in the past, never in the future."),
        _between("qc_file_quarantine_share", 0, share, strict_max=True,
                 when=Column("qc_file_rows") >= QUARANTINE_MIN_FILE_ROWS,
                 rule=f"Fewer than {share * 100:g} % of a raw file's rows are quarantined (files "
                      f"of {QUARANTINE_MIN_FILE_ROWS} rows or more)."),
    ]


def _birth_year(column: str, t: Thresholds) -> list[gxe.Expectation]:
    rule = "A birth year derived from the CPR number is a real, past year."
    return [gxe.ExpectColumnMinToBeBetween(column=column, min_value=EARLIEST_BIRTH_YEAR,
                                           description=rule),
            gxe.ExpectColumnMaxToBeBetween(column=column, max_value=t.today.year,
                                           description=rule)]


def _stg_bif(t: Thresholds) -> list[gxe.Expectation]:
    return [*_staging_common("bif_ydelsesforloeb", t, ["person_key"]),
            *_birth_year("birth_year", t)]


def _stg_sof_grants(t: Thresholds) -> list[gxe.Expectation]:
    return [*_staging_common("sof_bevillinger", t, ["person_key"]),
            *_birth_year("birth_year", t)]


def _stg_sof_custody(t: Thresholds) -> list[gxe.Expectation]:
    return [
        *_staging_common("sof_foraeldremyndighed", t, ["child_person_key", "parent_person_key"]),
        *_birth_year("parent_birth_year", t),
        *_birth_year("child_birth_year", t),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="child_birth_year", column_B="parent_birth_year", or_equal=False,
            ignore_row_if="either_value_is_missing",
            description="A custody holder is born before the child."),
        _in_set("qc_child_is_parent", [False],
                rule="Nobody holds custody of themselves."),
    ]


def _stg_cpr(t: Thresholds) -> list[gxe.Expectation]:
    return [*_staging_common("cpr_personer", t, ["person_key"]),
            *_birth_year("birth_year", t)]


def _unless_quarantined(*columns: str) -> str:
    """Columns as staging uses them: null on quarantined rows, which staging keeps with
    their implausible values (an extraction date in the future, a birth after it) on
    purpose; the plausibility expectations then check the rows that count."""
    return ", ".join(f"case when row_status != 'quarantined' then {column} end as {column}"
                     for column in columns)


_STAGING_KEYS = ("source_file, source_line, row_status, rejected_value, rejected_cpr_hash, "
                 + _unless_quarantined("extraction_date"))

# Staging is scanned for CPR numbers in the values it keeps from the raw rows as text:
# the rejected value, the ids, codes and free-text columns (the key columns have their own
# patterns).
STAGING_SUITES = (
    TableSuite("staging.stg_bif__ydelsesforloeb", _staging_sql(
        "stg_bif__ydelsesforloeb",
        f"{_STAGING_KEYS}, person_key, {_unless_quarantined('birth_year')}, spell_id, "
        "benefit_name"), _stg_bif,
        cpr_columns=("rejected_value", "spell_id", "benefit_name")),
    TableSuite("staging.stg_sof__bevillinger", _staging_sql(
        "stg_sof__bevillinger",
        f"{_STAGING_KEYS}, person_key, {_unless_quarantined('birth_year')}, grant_id, "
        "intervention_code, intervention_text, paragraph_text"),
        _stg_sof_grants, cpr_columns=("rejected_value", "grant_id", "intervention_code",
                                      "intervention_text", "paragraph_text")),
    TableSuite("staging.stg_sof__foraeldremyndighed", _staging_sql(
        "stg_sof__foraeldremyndighed",
        f"{_STAGING_KEYS}, child_person_key, parent_person_key, "
        f"{_unless_quarantined('child_birth_year', 'parent_birth_year')}, "
        "case when row_status != 'quarantined' then child_person_key = parent_person_key end"
        " as qc_child_is_parent"),
        _stg_sof_custody, cpr_columns=("rejected_value",)),
    # The person register extract is optional: empty when not delivered.
    TableSuite("staging.stg_cpr__personer", _staging_sql(
        "stg_cpr__personer",
        f"{_STAGING_KEYS}, person_key, {_unless_quarantined('birth_year')}, origin"),
        _stg_cpr, cpr_columns=("rejected_value", "origin"), optional=True),
)


# --- marts ------------------------------------------------------------------------------
# A mart's suite reads the mart as it is (``select *``) and states what holds row by row
# or column by column. Checks that join marts, or compare a mart's rows with each other
# (sums per year, shares of a year, a cell against its population), are dbt singular
# tests in tests/marts/, run by ``dbt build``.


def _dim_lab_target_group(t: Thresholds) -> list[gxe.Expectation]:
    kanten_groups = ", ".join(t.kanten_lab_groups)
    return [
        gxe.ExpectTableRowCountToBeBetween(min_value=10, max_value=10,
                                           description="LAB § 6 has ten target groups."),
        _matches("lab_group_code", LAB_GROUP_CODE_REGEX,
                 rule="A LAB target group is § 6, nr. 1-10 (6.1 ... 6.10)."),
        _distinct("main_group_code", t.main_groups,
                  rule="The ten groups roll up into the main groups of seed lab_main_groups, "
                       "each non-empty."),
        _in_set("lab_group_code", t.kanten_lab_groups,
                when=Column("main_group_code") == t.kanten,
                rule=f"Kanten is {kanten_groups} (seed lab_target_groups, "
                     "docs/rules.md#rule-9)."),
        _in_set("main_group_code", [t.kanten],
                when=Column("lab_group_code").is_in(t.kanten_lab_groups),
                rule=f"{kanten_groups} are in kanten (seed lab_target_groups, "
                     "docs/rules.md#rule-9)."),
        _between("sort_order", 1, 10, rule="Tabel 3 has ten group rows."),
    ]


def _dim_sof_intervention(t: Thresholds) -> list[gxe.Expectation]:
    coordination = _is("is_coordination_relevant")
    not_coordination = _is("is_coordination_relevant", False)
    return [
        _between("support_step", 1, 4, rule="The staircase has steps 1-4."),
        gxe.ExpectColumnDistinctValuesToContainSet(
            column="support_step", value_set=list(STEPS),
            description="Every step of the staircase has an intervention."),
        _null("support_step", when=Column("child_measure_kind").is_not_null(),
              rule="Børnesager stand outside the staircase (docs/rules.md#rule-7)."),
        _null("support_step", when=not_coordination,
              rule="An intervention that is not coordination-relevant has no step."),
        _null("tabel4_column", when=not_coordination,
              rule="An intervention that is not coordination-relevant has no Tabel 4 column."),
        _not_null("support_step", when=coordination & Column("child_measure_kind").is_null(),
                  rule="A coordination-relevant adult intervention has a step."),
        _in_set("is_coordination_relevant", [True],
                when=Column("child_measure_kind").is_not_null(),
                rule="A børnesag is coordination-relevant (docs/rules.md#rule-5)."),
        _matches("legal_basis", r"^SEL § 52", when=Column("child_measure_kind").is_not_null(),
                 rule="A børnesag is a measure under SEL § 52."),
        _matches("legal_basis", LEGAL_BASIS_REGEX,
                 rule="A legal basis names the law (SEL, SUL, ABL, LAS) and a paragraph."),
        _in_set("hoi_sel_group", [SEL_85], when=Column("legal_basis") == "SEL § 85",
                rule="Every SEL § 85 intervention counts in the HOI group § 85 "
                     "(docs/rules.md#rule-10)."),
        _in_set("legal_basis", ["SEL § 85"], when=Column("hoi_sel_group") == SEL_85,
                rule="Only SEL § 85 interventions count in the HOI group § 85 "
                     "(docs/rules.md#rule-10)."),
    ]


def _fct_faellesborger(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _between("support_step", 1, 4, rule="The staircase has steps 1-4."),
    ]


def _fct_faellesborger_lab_group(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _matches("lab_group_code", LAB_GROUP_CODE_REGEX,
                 rule="A LAB target group is § 6, nr. 1-10 (6.1 ... 6.10)."),
    ]


def _fct_faellesborger_tabel4_column(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _in_set("tabel4_column", t.tabel4_columns,
                rule="A Tabel 4 column is one of the catalogue's (seed sof_interventions)."),
    ]


def _rpt_tabel3(t: Thresholds) -> list[gxe.Expectation]:
    grand_total = (Column("row_kind") == "total") & Column("main_group_code").is_null()
    return [
        _year("year", t),
        _at_least("population", "faellesborgere",
                  rule="Fællesborgere never exceed the population they are counted in."),
        _between("share_pct", 0, 100, rule="A share is a percentage, 0-100."),
        _between("share_pct_exact", 0, 100, rule="A share is a percentage, 0-100."),
        _between("population", 1, None, when=grand_total,
                 rule="Every report year has BIF-active citizens."),
        _between("share_pct_exact", MIN_FAELLESBORGER_SHARE_PCT, MAX_FAELLESBORGER_SHARE_PCT,
                 when=grand_total,
                 rule=f"Fællesborgere are {MIN_FAELLESBORGER_SHARE_PCT:g}-"
                      f"{MAX_FAELLESBORGER_SHARE_PCT:g} % of the BIF-active citizens "
                      "(the report: 5 %)."),
    ]


def _rpt_tabel4(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _matches("published_value", PUBLISHED_VALUE_REGEX,
                 rule='A cell prints as "-", "250", "1.100", "ca. 450": the document\'s '
                      "number format."),
    ]


def _rpt_support_steps(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _distinct("support_step", STEPS, rule="The staircase has steps 1-4, all present."),
        _between("share_kanten_pct_exact", 0, 100, rule="A share is a percentage, 0-100."),
    ]


def _rpt_main_group_shares(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _distinct("main_group_code", t.main_groups, rule="Every main group is present."),
        _share_below("share_pct_exact", t.max_share_in_one_main_group * 100,
                     what="(counted per LAB group, the report's way) are in one main group"),
        _share_below("share_placed_pct_exact", t.max_share_in_one_main_group * 100,
                     what="are placed in one main group"),
    ]


def _rpt_hoi_target_group(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _between("month_of_year", 1, 12, rule="A month of the year is 1-12."),
        _between("citizens", 0, None, rule="A cell counts citizens: never negative."),
    ]


def _rpt_target_group_statistics(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _distinct("period_type", ("month", "quarter", "year"),
                  rule="Every month, quarter and year of the report years is present."),
        _between("period_days", 28, 366, rule="A period is a month, a quarter or a year."),
        _between("persons", 0, None, rule="Persons are never negative."),
        _between("fuldtidspersoner", 0, None, rule="Fuldtidspersoner are never negative."),
    ]


def _rpt_target_group_characteristics(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _distinct("characteristic", ("sex", "origin", "age_band_10", "age_band_5"),
                  rule="Sex, origin and both age bands are present (rule 12)."),
        _between("share_fuldtidspersoner_pct", 0, 100, rule="A share is a percentage, 0-100."),
        _between("share_persons_pct", 0, 100, rule="A share is a percentage, 0-100."),
    ]


def _rpt_benefit_duration(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _between("month_of_year", 1, 12, rule="A month of the year is 1-12."),
        _between("persons", 0, None, rule="A band counts citizens: never negative."),
        _between("share_pct", 0, 100, rule="A share is a percentage, 0-100."),
    ]


YEAR_TRANSITION_STATE_REGEX = r"^(not_bif_active|bif_active|faellesborger:[a-z_]+:([1-4]|none))$"


def _rpt_year_transitions(t: Thresholds) -> list[gxe.Expectation]:
    state_rule = ("A state is not_bif_active, bif_active or faellesborger:<main group>:"
                  "<step 1-4 or none> (rule 15).")
    return [
        _year("from_year", t),
        _year("to_year", t),
        _matches("from_state", YEAR_TRANSITION_STATE_REGEX, rule=state_rule),
        _matches("to_state", YEAR_TRANSITION_STATE_REGEX, rule=state_rule),
        _in_set("from_main_group_code", t.main_groups,
                rule="A fællesborger state's main group is a main group (rule 8)."),
        _in_set("to_main_group_code", t.main_groups,
                rule="A fællesborger state's main group is a main group (rule 8)."),
        _between("citizens", 0, None, rule="A cell counts citizens: never negative."),
    ]


def _rpt_key_figures(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _between("bif_active_citizens", 1, None, rule="Every report year has BIF-active citizens."),
        _between("sof_citizens", 1, None, rule="Every report year has SOF recipients."),
        _between("faellesborgere_share_of_sof_adults_pct_exact", 0, 100,
                 rule="A share is a percentage, 0-100."),
    ]


def _computed_figures(metric_regex: str) -> Expectations:
    """The long format of rpt_report_figures and rpt_bilag1a_figures."""
    def expectations(t: Thresholds) -> list[gxe.Expectation]:
        return [
            _matches("period", PERIOD_REGEX,
                     rule="A period is a year, a month (yyyy-mm), a quarter (yyyy-Qn) or a day."),
            _matches("metric", metric_regex, rule="The figure kinds of this model only."),
            _between("computed_value", 0, None,
                     rule="Every figure is a count or a share: never negative."),
        ]
    return expectations


def _rpt_published_reconciliation(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _matches("period", PERIOD_REGEX,
                 rule="A period is a year, a month (yyyy-mm), a quarter (yyyy-Qn) or a day."),
        _between("tolerance", 0, None, rule="A tolerance is never negative."),
    ]


def _rpt_sof_interventions_by_lab_group(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _matches("lab_group_code", LAB_GROUP_CODE_REGEX,
                 rule="A LAB target group is § 6, nr. 1-10 (6.1 ... 6.10)."),
        _between("citizens", 0, None, rule="A cell counts citizens: never negative."),
        _between("citizens_simultaneous", 0, None,
                 rule="Simultaneous citizens are never negative (and never more than the "
                      "cell's citizens: a dbt test)."),
    ]


def _rpt_hoi_people(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _year("year", t),
        _distinct("definition", ("tabel1", "star", "familieplan"),
                  rule="Every HOI definition of rule 14 is present."),
        _between("citizens", 0, None, rule="A cell counts citizens: never negative."),
    ]


def _rpt_hoi_followup(t: Thresholds) -> list[gxe.Expectation]:
    return [
        _in_set("months_after", (0, 3, 6, 12),
                rule="Tabel 1's citizens are followed 0, 3, 6 and 12 months later."),
        _distinct("bif_state", ("in_group", "other_lab_group", "no_bif_spell"),
                  rule="Every state of the follow-up is present."),
        _between("citizens", 0, None, rule="A state counts citizens: never negative."),
    ]


def _mart(name: str, expectations: Expectations) -> TableSuite:
    return TableSuite(f"marts.{name}", f"select * from marts.{name}", expectations)


MART_SUITES = (
    _mart("dim_lab_target_group", _dim_lab_target_group),
    _mart("dim_sof_intervention", _dim_sof_intervention),
    _mart("fct_faellesborger", _fct_faellesborger),
    _mart("fct_faellesborger_lab_group", _fct_faellesborger_lab_group),
    _mart("fct_faellesborger_tabel4_column", _fct_faellesborger_tabel4_column),
    _mart("rpt_tabel3", _rpt_tabel3),
    _mart("rpt_tabel4", _rpt_tabel4),
    _mart("rpt_support_steps", _rpt_support_steps),
    _mart("rpt_main_group_shares", _rpt_main_group_shares),
    _mart("rpt_hoi_target_group", _rpt_hoi_target_group),
    _mart("rpt_key_figures", _rpt_key_figures),
    _mart("rpt_target_group_statistics", _rpt_target_group_statistics),
    _mart("rpt_target_group_characteristics", _rpt_target_group_characteristics),
    _mart("rpt_benefit_duration", _rpt_benefit_duration),
    _mart("rpt_report_figures", _computed_figures(r"^(?!bilag1a_)[a-z0-9_]+$")),
    _mart("rpt_bilag1a_figures", _computed_figures(r"^bilag1a_[a-z0-9_]+$")),
    _mart("rpt_sof_interventions_by_lab_group", _rpt_sof_interventions_by_lab_group),
    _mart("rpt_hoi_people", _rpt_hoi_people),
    _mart("rpt_hoi_followup", _rpt_hoi_followup),
    _mart("rpt_year_transitions", _rpt_year_transitions),
    _mart("rpt_published_reconciliation", _rpt_published_reconciliation),
)

SUITES: tuple[TableSuite, ...] = MART_SUITES + STAGING_SUITES


def build_expectations(suite: TableSuite, frame: pd.DataFrame,
                       thresholds: Thresholds) -> list[gxe.Expectation]:
    """The suite's expectations on ``frame``: row count, its rules, and the CPR scan.

    The table must not be empty unless the suite says otherwise. A mart's person keys
    are checked like staging's, and its other string columns (all but the derived
    ``qc_*`` ones) are scanned for CPR-like values.
    """
    if suite.optional and frame.empty:
        return [gxe.ExpectTableRowCountToEqual(
            value=0, description="An optional extract that was not delivered: nothing to "
                                 "check.")]
    rules = suite.expectations(thresholds)
    expectations: list[gxe.Expectation] = []
    if not suite.optional and not any(isinstance(e, gxe.ExpectTableRowCountToBeBetween)
                                      for e in rules):
        expectations.append(gxe.ExpectTableRowCountToBeBetween(
            min_value=1, description="The table is not empty."))
    expectations += rules
    if suite.cpr_columns is not None:
        return expectations + [_not_cpr(column) for column in suite.cpr_columns]
    strings = [column for column in frame.columns
               if not column.startswith("qc_") and pd.api.types.is_string_dtype(frame[column])]
    keys = [column for column in strings if column.endswith("person_key")]
    checked = {e.column for e in rules
               if isinstance(e, gxe.ExpectColumnValuesToMatchRegex)
               and e.regex == PERSON_KEY_REGEX}
    expectations += [_person_key(column) for column in keys if column not in checked]
    # (a person key matching its own pattern cannot look like a CPR number)
    expectations += [_not_cpr(column) for column in strings if column not in keys]
    return expectations


# --- running ---------------------------------------------------------------------------


class QualityError(RuntimeError):
    """The warehouse cannot be validated (missing file or table)."""


def iter_frames(db: Path, suites: Sequence[TableSuite] = SUITES
                ) -> Iterator[tuple[TableSuite, pd.DataFrame]]:
    """Every suite with its frame, read one at a time from the warehouse opened read-only."""
    if not db.exists():
        raise QualityError(f"no warehouse at {db}: run `make build` first")
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            for suite in suites:
                yield suite, con.sql(suite.sql).df()
    except duckdb.Error as error:
        raise QualityError(f"cannot read {db}: {error}") from error


@dataclass(frozen=True)
class Failure:
    """A failed expectation: which suite, which expectation, what it found."""

    suite: str
    expectation: str
    columns: str
    rule: str
    found: str

    def __str__(self) -> str:
        return f"{self.suite}: {self.expectation}({self.columns}) - {self.rule} Found: {self.found}"


@dataclass(frozen=True)
class SuiteSummary:
    suite: str
    rows: int
    expectations: int
    failed: int


@dataclass(frozen=True)
class QualityReport:
    success: bool
    suites: list[SuiteSummary]
    failures: list[Failure]
    docs_index: Path | None
    seconds: float


def _context(docs_dir: Path | None) -> EphemeralDataContext:
    """An in-memory GX context; with a Data Docs site in ``docs_dir`` when given."""
    sites: dict[str, Any] = {}
    if docs_dir is not None:
        sites[DOCS_SITE_NAME] = {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(docs_dir.resolve())},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites=sites,
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _exceptions(info: Any) -> list[dict[str, Any]]:
    """The raised exceptions in a result's ``exception_info`` (flat, or keyed by metric)."""
    if not isinstance(info, dict):
        return []
    if "raised_exception" in info:
        return [info] if info["raised_exception"] else []
    return [i for value in info.values() for i in _exceptions(value)]


def _show(value: Any) -> str:
    """A found value, short: numpy scalars as plain numbers, floats to 6 digits."""
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value) if isinstance(value, str) else str(value)


def _found(result: ExpectationValidationResult) -> str:
    """What a failed expectation found: a count of rows, or an observed aggregate; never a
    row's value (the result format carries none, see the module's Privacy note)."""
    for info in _exceptions(result.exception_info):
        return f"error: {info.get('exception_message')}"
    details = result.result or {}
    if "unexpected_count" in details:
        count = details["unexpected_count"]
        return f"{count} row{'' if count == 1 else 's'}"
    return f"observed {_show(details.get('observed_value'))}"


def _failures(suite: str, validation: ExpectationSuiteValidationResult) -> list[Failure]:
    failures = []
    for result in validation.results:
        if result.success:
            continue
        config = result.expectation_config
        kwargs = config.kwargs if config is not None else {}
        columns = ", ".join(str(kwargs[k]) for k in ("column", "column_A", "column_B")
                            if k in kwargs)
        failures.append(Failure(
            suite=suite,
            expectation=config.type if config is not None else "?",
            columns=columns,
            rule=(config.description or "") if config is not None else "",
            found=_found(result)))
    return failures


def run_quality(db: Path, docs_dir: Path | None = DEFAULT_DOCS_DIR,
                thresholds: Thresholds | None = None,
                suites: Sequence[TableSuite] = SUITES) -> QualityReport:
    """Validate the warehouse ``db`` with one checkpoint; Data Docs into ``docs_dir``."""
    began = time.perf_counter()
    thresholds = thresholds or Thresholds()
    context = _context(docs_dir)
    source = context.data_sources.add_pandas(name="warehouse")
    definitions: list[gx.ValidationDefinition] = []
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="faellesborger-gx-") as scratch:
        for suite, frame in iter_frames(db, suites):
            rows[suite.name] = len(frame)
            expectations = build_expectations(suite, frame, thresholds)
            path = Path(scratch) / f"{suite.name}.pkl"
            frame.to_pickle(path)
            batch = source.add_pickle_asset(name=suite.name, filepath_or_buffer=path) \
                .add_batch_definition_whole_dataframe(name=suite.name)
            gx_suite = context.suites.add(
                gx.ExpectationSuite(name=suite.name, expectations=expectations))
            definitions.append(context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)))
        actions: list[ValidationAction] = (
            [UpdateDataDocsAction(name="update_data_docs", site_names=[DOCS_SITE_NAME])]
            if docs_dir is not None else [])
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=CHECKPOINT_NAME, validation_definitions=definitions, actions=actions,
            result_format=RESULT_FORMAT))
        result = checkpoint.run()
    by_suite = {v.suite_name: v for v in result.run_results.values()}
    summaries: list[SuiteSummary] = []
    failures: list[Failure] = []
    for suite in suites:
        validation = by_suite[suite.name]
        statistics = validation.statistics
        summaries.append(SuiteSummary(
            suite=suite.name, rows=rows[suite.name],
            expectations=int(statistics["evaluated_expectations"]),
            failed=int(statistics["unsuccessful_expectations"])))
        failures += _failures(suite.name, validation)
    return QualityReport(
        success=bool(result.success), suites=summaries, failures=failures,
        docs_index=docs_dir / "index.html" if docs_dir is not None else None,
        seconds=time.perf_counter() - began)


def format_report(report: QualityReport, db: Path) -> str:
    """A compact summary: one line per suite, then every failed expectation."""
    lines = [f"Great Expectations checkpoint {CHECKPOINT_NAME} on {db} (read-only):",
             f"  {'suite':44s} {'rows':>9s} {'expectations':>12s} {'failed':>6s}"]
    for s in report.suites:
        lines.append(f"  {s.suite:44s} {s.rows:>9,d} {s.expectations:>12d} {s.failed:>6d}")
    total = sum(s.expectations for s in report.suites)
    failed = sum(s.failed for s in report.suites)
    lines.append(f"{len(report.suites)} suites, {total} expectations, {failed} failed "
                 f"in {report.seconds:.1f} s.")
    if report.docs_index is not None:
        lines.append(f"Data Docs: {report.docs_index}")
    lines += [f"FAILED {failure}" for failure in report.failures]
    return "\n".join(lines)
