{#- Reporting units by year, as served: built in int_reporting_unit_years. -#}

with

reporting_units as (

    select * from {{ ref('int_reporting_unit_years') }}

)

select
    year,
    unit_code,
    unit_type,
    unit_name,
    municipality_code,
    county_code,
    size_class
from reporting_units
