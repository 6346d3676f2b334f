{#-
    Index score per respondent and index (Vedlegg 2 of the 2017 report): the sum of the item scores
    divided by the maximum possible (items x highest item score) x 100, for respondents with at least
    min_answered_items valid scores. The seed sets min_answered_items = item_count: complete cases, so
    «ikke aktuelt» on any item (and a missing answer) leaves the respondent out of that index; this
    reproduces the published N (441, 191, 298). With fewer required items, the denominator would be
    the answered items' maximum (a rescaled mean), as the report's observed minimum of 20 implies.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where index_code is not null

),

indices as (

    select * from {{ ref('stg_reference__survey_indices') }}

),

per_respondent as (

    select
        responses.instrument,
        responses.wave,
        responses.index_code,
        responses.respondent_id,
        count(responses.score) as n_items_scored,
        count(*) filter (where responses.is_not_applicable) as n_items_not_applicable,
        sum(responses.score) as score_sum

    from responses
    group by responses.instrument, responses.wave, responses.index_code, responses.respondent_id

),

scored as (

    select
        per_respondent.*,
        indices.item_count,
        per_respondent.n_items_scored >= indices.min_answered_items as is_scored,
        case
            when per_respondent.n_items_scored >= indices.min_answered_items
                then
                    per_respondent.score_sum
                    / (per_respondent.n_items_scored * indices.max_item_score) * 100
        end as index_score

    from per_respondent
    inner join indices
        on
            per_respondent.instrument = indices.instrument
            and per_respondent.wave = indices.wave
            and per_respondent.index_code = indices.index_code

)

select * from scored
