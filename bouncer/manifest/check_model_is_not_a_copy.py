"""dbt-bouncer check of the project (dbt-bouncer.yml, `custom_checks_dir: bouncer`).

`check_model_is_not_a_copy`: no model only copies another model. A model is a COPY when

1. it is a SQL model whose only upstream node is one other model (no seed, no source,
   no second model: a dimension over a seed is the seed's contracted face, not a copy);
2. every `select` of its SQL (the import CTE, the logical CTEs and the final select)
   reads that model or one of its own CTEs, and has no join, `where`, `group by`,
   `having`, `qualify`, `distinct`, `limit`, set operation (`union`, ...), window or
   aggregate; and
3. every selected expression is a column or `*`, at most renamed or cast: no function,
   literal, `case` or macro call (a `{{ ... }}` in a select list is computed).

Such a model adds nothing but a name: the concept already has its model, and the copy
is a second place to change it. A model whose SQL cannot be parsed (dbt-bouncer's
sqlglot helpers, on the raw code with its Jinja neutralised) is not judged.
"""

from __future__ import annotations

from typing import Any

from dbt_bouncer.check_framework.decorator import check, fail
from dbt_bouncer.sql_utils import neutralize_jinja, parse_sql
from sqlglot import exp

# What a select of a copy must not contain (anywhere in its own scope).
_NOT_A_COPY = (
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Qualify,
    exp.Distinct,
    exp.Limit,
    exp.SetOperation,
    exp.Window,
    exp.AggFunc,
)
# What a selected expression of a copy may be built of: a column, `*`, a rename, a cast.
_COPY_PROJECTION = (
    exp.Column,
    exp.Star,
    exp.Alias,
    exp.Cast,
    exp.DataType,
    exp.DataTypeParam,
    exp.Identifier,
)
# neutralize_jinja turns every `{{ ... }}` but config() into such an identifier.
_JINJA_PLACEHOLDER = "_dbt_bouncer_jinja_"


def _only_parent_model(model: Any) -> str | None:
    """The one upstream model of `model`, or None when it has any other upstream."""
    nodes = list(getattr(getattr(model, "depends_on", None), "nodes", None) or [])
    if len(nodes) == 1 and str(nodes[0]).startswith("model."):
        return str(nodes[0])
    return None


def _is_copy_projection(expression: exp.Expression) -> bool:
    """True when a selected expression is a column or `*`, at most renamed or cast."""
    for node in expression.walk():
        if not isinstance(node, _COPY_PROJECTION):
            return False
        if isinstance(node, exp.Column) and node.name.startswith(_JINJA_PLACEHOLDER):
            return False
    return True


def _is_copy(statement: exp.Expression) -> bool:
    """True when every select of the statement only passes columns of its input on."""
    if any(statement.find_all(exp.SetOperation)):
        return False
    ctes = {cte.alias_or_name for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        if table.name not in ctes and not table.name.startswith(_JINJA_PLACEHOLDER):
            return False  # reads something else than the ref and its own CTEs
    selects = list(statement.find_all(exp.Select))
    if not selects:
        return False
    for select in selects:
        own_scope = [
            node for node in select.walk()
            if node is select or node.find_ancestor(exp.Select) is select
        ]
        if any(isinstance(node, _NOT_A_COPY) for node in own_scope):
            return False
        if not all(_is_copy_projection(projection) for projection in select.expressions):
            return False
    return True


@check(code="FB001")
def check_model_is_not_a_copy(model: Any) -> None:
    """Models must not only copy another model (see the module's docstring).

    Receives:
        model (ModelNode): The ModelNode object to check.

    Example(s):
        ```yaml
        manifest_checks:
            - name: check_model_is_not_a_copy
        ```
    """
    if str(getattr(model, "language", "sql") or "sql").lower() != "sql":
        return
    parent = _only_parent_model(model)
    if parent is None:
        return
    parsed = parse_sql(neutralize_jinja(str(model.raw_code or "")))
    if not parsed or len(parsed) != 1:
        return
    if _is_copy(parsed[0]):
        fail(
            f"`{model.name}` only copies `{parent.split('.')[-1]}` (one parent, no join, "
            "filter, aggregation or computed column): read the parent instead, or give "
            "this model the parent's logic."
        )
