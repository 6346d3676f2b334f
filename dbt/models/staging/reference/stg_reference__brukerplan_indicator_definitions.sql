with

seed as (

    select * from {{ ref('brukerplan_indicator_definitions') }}

),

typed as (

    select
        indicator_no,
        item,
        string_to_array(positive_codes, ' ') as positive_codes,
        first_year,
        last_year,
        note

    from seed

)

select * from typed
