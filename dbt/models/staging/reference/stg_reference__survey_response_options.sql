with

survey_response_options as (

    select * from {{ ref('survey_response_options') }}

)

select
    scale_code,
    code,
    label,
    score,
    is_valid_for_percent,
    is_not_applicable,
    is_top2

from survey_response_options
