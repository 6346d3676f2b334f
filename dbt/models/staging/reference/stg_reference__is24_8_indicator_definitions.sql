with

seed as (

    select * from {{ ref('is24_8_indicator_definitions') }}

),

typed as (

    select
        indicator_no,
        question_code,
        question_version,
        measure,
        string_to_array(coalesce(positive_codes, ''), ' ') as positive_codes,
        note

    from seed

)

select * from typed
