{#- Municipalities by year (external contract, DESIGN.md): built in int_municipality_years, which
    the intermediate models that need a municipality's county and size class read as well. -#}

with

municipality_years as (

    select * from {{ ref('int_municipality_years') }}

)

select
    year,
    municipality_code,
    municipality_name,
    county_code,
    size_class,
    merged_into_code,
    population
from municipality_years
