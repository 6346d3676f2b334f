with

survey_indicator_items as (

    select * from {{ ref('survey_indicator_items') }}

)

select
    indicator_no,
    instrument,
    item_code,
    measure

from survey_indicator_items
