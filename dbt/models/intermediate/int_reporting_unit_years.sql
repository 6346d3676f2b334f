{#-
    Units that report in municipal sources: every municipality, plus Oslo's bydeler, which answer
    IS-24/8 on their own. A bydel inherits Oslo's county and size class.
-#}

with

municipalities as (

    select * from {{ ref('int_municipality_years') }}

),

bydeler as (

    select * from {{ ref('stg_reference__oslo_bydeler') }}

),

municipal_units as (

    select
        year,
        municipality_code as unit_code,
        'municipality' as unit_type,
        municipality_name as unit_name,
        municipality_code,
        county_code,
        size_class

    from municipalities

),

bydel_units as (

    select
        municipalities.year,
        bydeler.bydel_code as unit_code,
        'bydel' as unit_type,
        bydeler.bydel_name as unit_name,
        municipalities.municipality_code,
        municipalities.county_code,
        municipalities.size_class

    from bydeler
    inner join municipalities
        on
            bydeler.municipality_code = municipalities.municipality_code
            and bydeler.valid_from <= municipalities.year
            and coalesce(bydeler.valid_to, 9999) >= municipalities.year

),

final as (

    select * from municipal_units
    union all
    select * from bydel_units

)

select * from final
