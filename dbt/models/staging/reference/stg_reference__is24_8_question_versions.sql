with

seed as (

    select * from {{ ref('is24_8_question_versions') }}

),

typed as (

    select
        question_code,
        question_version,
        first_year,
        last_year,
        answer_type,
        nullif(note, '') as note

    from seed

)

select * from typed
