{#-
    The 11 BrukerPlan indicators nationally: percent of registered recipients with the item registered.
    Incremental by delivery year (macros/incremental_years.sql): a build adds the years whose
    BrukerPlan load changed.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='year',
    pre_hook="{{ delete_vanished_years(['brukerplan']) }}",
) }}

{%- set years = years_to_build(['brukerplan']) -%}

with

contributions as (

    select * from {{ ref('int_brukerplan__person_indicators') }}
    where {{ in_years('year', years) }}

),

load_keys as (

    {{ year_load_keys(['brukerplan']) }}

),

aggregated as (

    select
        indicator_no::integer as indicator_no,
        year::integer as year,
        (
            100.0 * count(*) filter (where is_positive)
            / nullif(count(*) filter (where in_denominator), 0)
        )::float8 as value,
        count(*) filter (where in_denominator)::integer as n_units,
        'brukerplan'::varchar as computed_from

    from contributions
    group by indicator_no, year

),

final as (

    select
        aggregated.*,
        load_keys.load_key

    from aggregated
    inner join load_keys on aggregated.year = load_keys.year
    where aggregated.value is not null

)

select * from final
