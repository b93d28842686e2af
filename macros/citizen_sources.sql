{#-
    The sources of the citizens that the SOF chain restates (macros/citizen_restatement.sql,
    docs/incremental.md): the grants, by `grant_id`, naming their citizen (the child, for
    a child measure), who brings along every custody holder of theirs in any staged
    relation (a child's measure is a børnesag of each holder, rule 4); and the custody
    relations, by their id, naming child and holder. `int_sof__grants`, the chain's first
    model, searches the staged rows (`searchable`); the models after it name the stg
    models by text and read the citizens it found.
-#}
{% macro sof_citizen_sources(searchable=false) %}
    {%- set grants = ref('stg_sof__bevillinger') if searchable else 'stg_sof__bevillinger' -%}
    {%- set custody = ref('stg_sof__foraeldremyndighed') if searchable
        else 'stg_sof__foraeldremyndighed' -%}
    {{ return([
        citizen_source(grants, ['grant_id'], ['person_key'],
            related=[custody, 'child_person_key', 'parent_person_key'] if searchable else none),
        citizen_source(custody,
            ['child_person_key', 'parent_person_key', 'starts_at_birth', 'start_date'],
            ['child_person_key', 'parent_person_key']),
    ]) }}
{% endmacro %}


{#-
    The sources of the citizens of a model that follows both the BIF chain and the SOF
    chain (the SOF interventions per LAB group, the HOI models), named by text: the
    citizens of the BIF spells (`int_bif__spells` and `int_bif__spell_years` find them)
    and those of the SOF chain (`int_sof__grants` finds them).
-#}
{% macro bif_and_sof_citizen_sources() %}
    {{ return([citizen_source('stg_bif__ydelsesforloeb', ['spell_id'])]
        + sof_citizen_sources()) }}
{% endmacro %}


{#-
    The sources of the citizens whose characteristics `int_bif__target_group_people`
    restates: the BIF spells' (named by text: `int_bif__spells` follows them) and the
    person register's, which the model reads itself (`direct`): a register row is the
    citizen's, by `person_key`.
-#}
{% macro target_group_people_citizen_sources() %}
    {{ return([
        citizen_source('stg_bif__ydelsesforloeb', ['spell_id']),
        citizen_source(ref('stg_cpr__personer'), ['person_key'], direct=true),
    ]) }}
{% endmacro %}
