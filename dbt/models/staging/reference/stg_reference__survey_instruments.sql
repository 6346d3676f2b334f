with

survey_instruments as (

    select * from {{ ref('survey_instruments') }}

)

select
    instrument,
    title,
    respondent_unit,
    percent_base,
    min_n_mean,
    min_n_distribution

from survey_instruments
