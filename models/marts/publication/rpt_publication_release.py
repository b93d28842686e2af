"""Writes the publication (the rpt_publication_* models) as a read-only artefact for BI tools.

The logic lives in ``faellesborger.publication`` (typed, unit-tested): a new folder
``<publish dir>/releases/<id>/`` with ``faellesborger_publication.duckdb`` and
``parquet/<model>.parquet``, written whole and then made ``current`` by an atomic swap of
a symlink; the publish dir follows the warehouse file (``publish`` beside it) unless env
``FAELLESBORGER_PUBLISH_DIR`` is set. A release whose Hovedtotal fællesborgere falls by
more than var ``publication_max_drop_share`` is held back (status ``held_back``; the test
on ``status`` then fails the build) unless var ``allow_publication_drop``. The step
refuses to publish on top of a warehouse whose last build did not complete
(``faellesborger.build_state``).

Returns one row describing the release, so the release is itself a tested model. Its
``release_id`` is a hash of the published rows (not a time); the release time is in the
publication's ``release`` table.
"""

from faellesborger.build_state import check_publishable
from faellesborger.publication import publish_dir, release, warehouse_path


def _flag(value):
    return str(value).strip().lower() in ("true", "1", "yes")


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt reads the dependencies from literal arguments, so each ref is spelled out.
    tables = {
        "rpt_publication_tabel3": dbt.ref("rpt_publication_tabel3"),
        "rpt_publication_tabel4": dbt.ref("rpt_publication_tabel4"),
        "rpt_publication_support_steps": dbt.ref("rpt_publication_support_steps"),
        "rpt_publication_hoi_target_group": dbt.ref("rpt_publication_hoi_target_group"),
        "rpt_publication_target_group_statistics": dbt.ref(
            "rpt_publication_target_group_statistics"),
        "rpt_publication_target_group_characteristics": dbt.ref(
            "rpt_publication_target_group_characteristics"),
        "rpt_publication_benefit_duration": dbt.ref("rpt_publication_benefit_duration"),
        "rpt_publication_sof_interventions_by_lab_group": dbt.ref(
            "rpt_publication_sof_interventions_by_lab_group"),
        "rpt_publication_hoi_people": dbt.ref("rpt_publication_hoi_people"),
        "rpt_publication_hoi_followup": dbt.ref("rpt_publication_hoi_followup"),
        "rpt_publication_year_transitions": dbt.ref("rpt_publication_year_transitions"),
    }
    check_publishable(session)
    result = release(
        tables,
        publish_dir(warehouse_path(session)),
        max_drop_share=float(dbt.config.get("publication_max_drop_share")),
        allow_drop=_flag(dbt.config.get("allow_publication_drop")),
        keep=int(dbt.config.get("publication_keep_releases")),
    )
    return result.as_frame(len(tables))
