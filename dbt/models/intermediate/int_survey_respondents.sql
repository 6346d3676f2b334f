{#-
    One row per respondent of the current load of each wave, with the background variables the
    breakdowns use: gender, age group (age = wave - birth year), municipality size class. Which
    variable holds what is the codebook's background_key, so a wave with renamed variables needs only
    codebook rows. Person-level: never served.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}

),

age_groups as (

    select * from {{ ref('stg_reference__survey_age_groups') }}

),

respondents as (

    select
        instrument,
        wave,
        respondent_id,
        {{ any_value_of('label') }} filter (where background_key = 'gender') as gender,
        {{ any_value_of('value') }} filter (where background_key = 'birth_year') as birth_year,
        {{ any_value_of('label') }} filter (where background_key = 'size_class') as size_class,
        {{ any_value_of('code') }} filter (where background_key = 'size_class') as size_class_code,
        {{ any_value_of('label') }} filter (where background_key = 'municipality') as municipality,
        {{ any_value_of('label') }} filter (where background_key = 'region') as region,
        {{ any_value_of('label') }} filter (where background_key = 'mode') as response_mode

    from responses
    group by instrument, wave, respondent_id

),

with_age as (

    select
        respondents.*,
        (respondents.wave - respondents.birth_year)::integer as age,
        age_groups.age_group,
        age_groups.min_age as age_min

    from respondents
    left join age_groups
        on (respondents.wave - respondents.birth_year) between age_groups.min_age and age_groups.max_age

)

select * from with_age
