{#-
    Cell counts for the drill-down: every computed indicator per year, county and size class, with
    denominator, numerator, amount and the number of municipalities behind the cell. Aggregated here
    so no unit- or person-level row reaches the marts; suppression happens in the mart.
    Incremental by delivery year (macros/incremental_years.sql): a build adds the years whose
    IS-24/8, BrukerPlan or population load changed.
-#}

{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='year',
    pre_hook="{{ delete_vanished_years(['is24_8', 'brukerplan', 'population']) }}",
) }}

{%- set years = years_to_build(['is24_8', 'brukerplan', 'population']) -%}

with

is24_8_units as (

    select * from {{ ref('int_is24_8__unit_indicators') }}
    where {{ in_years('year', years) }}

),

brukerplan_persons as (

    select * from {{ ref('int_brukerplan__person_indicators') }}
    where {{ in_years('year', years) }}

),

reporting_units as (

    select * from {{ ref('int_reporting_unit_years') }}

),

municipalities as (

    select * from {{ ref('int_municipality_years') }}

),

load_keys as (

    {{ year_load_keys(['is24_8', 'brukerplan', 'population']) }}

),

contributions as (

    select
        is24_8_units.indicator_no,
        is24_8_units.year,
        'is24_8' as computed_from,
        is24_8_units.measure,
        'units' as count_kind,
        reporting_units.county_code,
        coalesce(reporting_units.size_class, 'unknown') as size_class,
        reporting_units.municipality_code,
        is24_8_units.in_denominator,
        is24_8_units.is_positive,
        is24_8_units.amount

    from is24_8_units
    inner join reporting_units
        on
            is24_8_units.unit_code = reporting_units.unit_code
            and is24_8_units.year = reporting_units.year

    union all

    select
        brukerplan_persons.indicator_no,
        brukerplan_persons.year,
        'brukerplan' as computed_from,
        'share' as measure,
        'persons' as count_kind,
        municipalities.county_code,
        coalesce(municipalities.size_class, 'unknown') as size_class,
        brukerplan_persons.municipality_code,
        brukerplan_persons.in_denominator,
        brukerplan_persons.is_positive,
        null::float8 as amount

    from brukerplan_persons
    inner join municipalities
        on
            brukerplan_persons.municipality_code = municipalities.municipality_code
            and brukerplan_persons.year = municipalities.year

),

cells as (

    select
        indicator_no,
        year,
        computed_from,
        measure,
        count_kind,
        county_code,
        size_class,
        count(*) filter (where in_denominator)::integer as n_denominator,
        count(*) filter (where is_positive)::integer as n_positive,
        sum(amount) filter (where in_denominator) as amount,
        count(distinct municipality_code) filter (where in_denominator)::integer as n_municipalities

    from contributions
    group by indicator_no, year, computed_from, measure, count_kind, county_code, size_class

),

final as (

    select
        cells.*,
        load_keys.load_key

    from cells
    inner join load_keys on cells.year = load_keys.year

)

select * from final
