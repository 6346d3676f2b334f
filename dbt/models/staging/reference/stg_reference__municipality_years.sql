with

seed as (

    select * from {{ ref('municipality_years') }}

),

typed as (

    select
        year,
        lpad(municipality_code, 4, '0') as municipality_code,
        municipality_name,
        lpad(county_code, 2, '0') as county_code,
        nullif(lpad(merged_into_code, 4, '0'), '') as merged_into_code

    from seed

)

select * from typed
