{#-
    Incremental by delivery year: a model that holds one or more delivery years' rows keeps, on every
    row, the key of the loads it was built from (load_key: the current load of each of its sources
    for the year, with its load time). A build then rebuilds exactly the years whose key changed
    (a new year, a corrected vintage, a backfill that loaded a year again) or that are missing, and
    drops the years that no longer have a current load. The rule reads the load register, so no
    option decides it; a change of model code or reference data needs a full refresh
    (`make run FULL_REFRESH=1`). Use with materialized='incremental', incremental_strategy=
    'delete+insert', unique_key='year' and pre_hook "{{ delete_vanished_years([...]) }}":

        load_keys as ({{ year_load_keys(['brukerplan']) }}),
        ...  where {{ in_years('delivery_year', years_to_build(['brukerplan'])) }}
-#}

{#- Per delivery year with a current load of any of `sources`: year, load_key. -#}
{% macro year_load_keys(sources) -%}
    select
        delivery_year as year,
        string_agg(load_id || '@' || cast(loaded_at as varchar), ' ' order by load_id) as load_key
    from {{ ref('stg_warehouse__extract_loads') }}
    where is_current and source in ({{ "'" ~ sources | join("', '") ~ "'" }})
    group by delivery_year
{%- endmacro %}

{#- The years to build now, as a list; none = every year (first build, full refresh). Asked of the
    warehouse when the model runs, so the year filter is a literal the engine pushes into its scans.
    A backfill (var rebuild_years, from `make run YEARS=`) adds its years that have a current load.
    `column`: the model's delivery-year column (its unique_key), e.g. a survey's wave. -#}
{% macro years_to_build(sources, column='year') -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select current_loads.year
        from ({{ year_load_keys(sources) }}) as current_loads
        where not exists (
            select 1 from {{ this }} as built
            where built.{{ column }} = current_loads.year and built.load_key = current_loads.load_key
        )
        {%- set rebuild = var('rebuild_years', []) | map('int') | list %}
        {%- if rebuild %}
            or current_loads.year in ({{ rebuild | join(', ') }})
        {%- endif %}
        order by current_loads.year
    {%- endset -%}
    {%- set years = [] -%}
    {%- for row in run_query(query) -%}
        {%- do years.append(row[0] | int) -%}
    {%- endfor -%}
    {{ return(years) }}
{%- endmacro %}

{#- A filter on a year column: every year (none), no year (an empty list) or the listed years. -#}
{% macro in_years(column, years) -%}
    {%- if years is none -%}
        true
    {%- elif years | length == 0 -%}
        false
    {%- else -%}
        {{ column }} in ({{ years | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: drop the years that no longer have a current load of any of `sources`. -#}
{% macro delete_vanished_years(sources, column='year') -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ column }} not in (
            select delivery_year
            from {{ ref('stg_warehouse__extract_loads') }}
            where is_current and source in ({{ "'" ~ sources | join("', '") ~ "'" }})
        )
    {%- endif -%}
{%- endmacro %}
