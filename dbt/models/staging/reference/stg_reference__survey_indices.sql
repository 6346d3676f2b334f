with

survey_indices as (

    select * from {{ ref('survey_indices') }}

)

select
    instrument,
    wave,
    index_code,
    index_label,
    item_count,
    max_item_score,
    min_answered_items

from survey_indices
