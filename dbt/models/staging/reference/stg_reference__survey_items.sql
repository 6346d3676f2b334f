with

survey_items as (

    select * from {{ ref('survey_items') }}

)

select
    instrument,
    wave,
    item_code,
    item_version,
    variable_role,
    background_key,
    scale_code,
    item_group,
    item_text,
    is_reverse_coded,
    index_code

from survey_items
