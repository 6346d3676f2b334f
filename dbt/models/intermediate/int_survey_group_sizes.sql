{#-
    Every survey group that a survey mart serves, with its base n and the primary disclosure rule
    (survey_disclosure macro): per item (n = answers in the percent base, as in
    mart_survey_item_summary and mart_survey_item_distribution), per index (n = respondents scored,
    as in mart_survey_index_summary) and per wave (n = respondents, as in mart_survey_respondents).
    int_survey_disclosure adds the complementary suppression.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where variable_role = 'item'

),

scores as (

    select * from {{ ref('int_survey_index_scores') }}
    where is_scored

),

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

instruments as (

    select * from {{ ref('stg_reference__survey_instruments') }}

),

item_groups as (

    select
        'item' as table_name,
        responses.instrument,
        responses.wave,
        responses.item_code as unit_code,
        groups.group_type,
        groups.group_value,
        count(*) filter (where responses.is_valid_for_percent) as n

    from responses
    inner join groups
        on
            responses.instrument = groups.instrument
            and responses.wave = groups.wave
            and responses.respondent_id = groups.respondent_id
    group by
        responses.instrument,
        responses.wave,
        responses.item_code,
        groups.group_type,
        groups.group_value

),

index_groups as (

    select
        'index' as table_name,
        scores.instrument,
        scores.wave,
        scores.index_code as unit_code,
        groups.group_type,
        groups.group_value,
        count(*) as n

    from scores
    inner join groups
        on
            scores.instrument = groups.instrument
            and scores.wave = groups.wave
            and scores.respondent_id = groups.respondent_id
    group by
        scores.instrument,
        scores.wave,
        scores.index_code,
        groups.group_type,
        groups.group_value

),

respondent_groups as (

    select
        'respondents' as table_name,
        instrument,
        wave,
        '' as unit_code,
        group_type,
        group_value,
        count(*) as n

    from groups
    group by instrument, wave, group_type, group_value

),

unioned as (

    select * from item_groups
    union all
    select * from index_groups
    union all
    select * from respondent_groups

),

final as (

    select
        unioned.table_name,
        unioned.instrument,
        unioned.wave,
        unioned.unit_code,
        unioned.group_type,
        unioned.group_value,
        unioned.n,
        {{ survey_disclosure(
            'unioned.n', 'instruments.min_n_mean', 'instruments.min_n_distribution'
        ) }} as primary_disclosure

    from unioned
    inner join instruments
        on unioned.instrument = instruments.instrument

)

select * from final
