{#-
    Cell counts for the drill-down: every computed indicator per year, county and size class, with
    denominator, numerator, amount and the number of municipalities behind the cell. Aggregated here
    so no unit- or person-level row reaches the marts; suppression happens in the mart.
-#}

with

is24_8_units as (

    select * from {{ ref('int_is24_8__unit_indicators') }}

),

brukerplan_persons as (

    select * from {{ ref('int_brukerplan__person_indicators') }}

),

reporting_units as (

    select * from {{ ref('int_reporting_unit_years') }}

),

municipalities as (

    select * from {{ ref('int_municipality_years') }}

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

)

select * from cells
