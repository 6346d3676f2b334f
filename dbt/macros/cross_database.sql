{#-
    The cross-database layer: every construct whose SQL differs between the engines the warehouse
    runs on (DuckDB, PostgreSQL) is a dispatched macro here, and nothing engine-specific is written
    anywhere else. A new adapter (e.g. Spark, Trino) adds its `<adapter>__<macro>` variants in one
    file beside this one. What to use and what to avoid: dbt/README.md.
-#}

{#- A value from the group, skipping nulls (any_value is PostgreSQL 16+; dbt.any_value on DuckDB
    renders arbitrary(), which does not skip nulls). Use where the group holds one distinct value. -#}
{% macro any_value_of(expression) -%}
    {{ return(adapter.dispatch('any_value_of')(expression)) }}
{%- endmacro %}

{% macro default__any_value_of(expression) -%}
    min({{ expression }})
{%- endmacro %}

{% macro duckdb__any_value_of(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- The value of `expression` on the row with the smallest `order_by` (rows with a null order_by
    skipped, as DuckDB's arg_min does). -#}
{% macro value_at_min(expression, order_by) -%}
    {{ return(adapter.dispatch('value_at_min')(expression, order_by)) }}
{%- endmacro %}

{% macro default__value_at_min(expression, order_by) -%}
    (array_agg({{ expression }} order by {{ order_by }}) filter (where {{ order_by }} is not null))[1]
{%- endmacro %}

{% macro duckdb__value_at_min(expression, order_by) -%}
    arg_min({{ expression }}, {{ order_by }})
{%- endmacro %}

{#- The value of `expression` on the row with the largest `order_by` (nulls skipped). -#}
{% macro value_at_max(expression, order_by) -%}
    {{ return(adapter.dispatch('value_at_max')(expression, order_by)) }}
{%- endmacro %}

{% macro default__value_at_max(expression, order_by) -%}
    (array_agg({{ expression }} order by {{ order_by }} desc) filter (where {{ order_by }} is not null))[1]
{%- endmacro %}

{% macro duckdb__value_at_max(expression, order_by) -%}
    arg_max({{ expression }}, {{ order_by }})
{%- endmacro %}

{#- round() of a float8 to n decimals, as float8 (PostgreSQL rounds only numeric; a plain ::numeric
    on DuckDB is DECIMAL(18,3) and would cut the decimals). -#}
{% macro round_float(expression, decimals) -%}
    {{ return(adapter.dispatch('round_float')(expression, decimals)) }}
{%- endmacro %}

{% macro default__round_float(expression, decimals) -%}
    round(({{ expression }})::numeric, {{ decimals }})::float8
{%- endmacro %}

{% macro duckdb__round_float(expression, decimals) -%}
    round(({{ expression }})::float8, {{ decimals }})
{%- endmacro %}

{#- Planner statistics after a model is written, as a post-hook (a no-op where not needed). On
    PostgreSQL the intermediate models are tables: without statistics the planner estimates one row
    and chooses nested loops that never finish. -#}
{% macro analyze_relation(relation) -%}
    {{ return(adapter.dispatch('analyze_relation')(relation)) }}
{%- endmacro %}

{% macro default__analyze_relation(relation) -%}
{%- endmacro %}

{% macro postgres__analyze_relation(relation) -%}
    analyze {{ relation }}
{%- endmacro %}

{#- Columns as rows (what UNPIVOT ... INCLUDE NULLS does), in syntax both engines share: a lateral
    VALUES list, one row per column. Use after FROM <relation>: yields name_column, value_column. -#}
{% macro unpivot_lateral(relation_alias, columns, name_column, value_column) -%}
    {%- set rows -%}
        {%- for column in columns -%}
            ('{{ column }}', {{ relation_alias }}.{{ column }}){% if not loop.last %}, {% endif %}
        {%- endfor -%}
    {%- endset -%}
    cross join lateral (values {{ rows }}) as unpivoted ({{ name_column }}, {{ value_column }})
{%- endmacro %}

{#- A text expression that sorts by code point (byte order of UTF-8), whatever the database's
    collation: the order Python's str comparison gives, so ties break the same way in SQL and in
    the pure functions they are tested against. -#}
{% macro text_in_code_point_order(expression) -%}
    {{ return(adapter.dispatch('text_in_code_point_order')(expression)) }}
{%- endmacro %}

{% macro default__text_in_code_point_order(expression) -%}
    {{ expression }} collate "C"
{%- endmacro %}

{% macro duckdb__text_in_code_point_order(expression) -%}
    {{ expression }}
{%- endmacro %}
