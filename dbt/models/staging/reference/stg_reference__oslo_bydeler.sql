with

seed as (

    select * from {{ ref('oslo_bydeler') }}

),

typed as (

    select
        lpad(bydel_code, 6, '0') as bydel_code,
        bydel_name,
        lpad(municipality_code, 4, '0') as municipality_code,
        valid_from,
        valid_to

    from seed

)

select * from typed
