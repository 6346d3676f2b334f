with

survey_age_groups as (

    select * from {{ ref('survey_age_groups') }}

)

select
    age_group,
    min_age,
    max_age

from survey_age_groups
