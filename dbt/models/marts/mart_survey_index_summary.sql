{#-
    Per survey wave, index and reporting group: the number of respondents scored (complete cases),
    mean, lowest and highest index score, and Cronbach's alpha on the same complete cases:
    alpha = k / (k - 1) * (1 - sum of item variances / variance of the item sum), sample variances.
    Disclosure as for items: below min_n_mean nothing, below min_n_distribution n and mean only,
    and complementary suppression within each group type (int_survey_disclosure).
-#}

with

scores as (

    select * from {{ ref('int_survey_index_scores') }}
    where is_scored

),

responses as (

    select * from {{ ref('int_survey_responses') }}
    where index_code is not null

),

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

indices as (

    select * from {{ ref('stg_reference__survey_indices') }}

),

disclosures as (

    select * from {{ ref('int_survey_disclosure') }}
    where table_name = 'index'

),

scored_in_groups as (

    select
        scores.*,
        groups.group_type,
        groups.group_value,
        groups.group_order

    from scores
    inner join groups
        on
            scores.instrument = groups.instrument
            and scores.wave = groups.wave
            and scores.respondent_id = groups.respondent_id

),

item_variances as (

    select
        scored_in_groups.instrument,
        scored_in_groups.wave,
        scored_in_groups.index_code,
        scored_in_groups.group_type,
        scored_in_groups.group_value,
        responses.item_code,
        var_samp(responses.score) as item_variance

    from scored_in_groups
    inner join responses
        on
            scored_in_groups.instrument = responses.instrument
            and scored_in_groups.wave = responses.wave
            and scored_in_groups.index_code = responses.index_code
            and scored_in_groups.respondent_id = responses.respondent_id
    group by
        scored_in_groups.instrument,
        scored_in_groups.wave,
        scored_in_groups.index_code,
        scored_in_groups.group_type,
        scored_in_groups.group_value,
        responses.item_code

),

summed_item_variances as (

    select
        instrument,
        wave,
        index_code,
        group_type,
        group_value,
        sum(item_variance) as sum_item_variance,
        count(*) as k

    from item_variances
    group by
        instrument,
        wave,
        index_code,
        group_type,
        group_value

),

aggregated as (

    select
        instrument,
        wave,
        index_code,
        group_type,
        group_value,
        group_order,
        count(*) as n,
        avg(index_score) as mean_score,
        min(index_score) as min_score,
        max(index_score) as max_score,
        var_samp(score_sum) as total_variance

    from scored_in_groups
    group by
        instrument,
        wave,
        index_code,
        group_type,
        group_value,
        group_order

),

disclosed as (

    select
        aggregated.instrument,
        aggregated.wave,
        aggregated.index_code,
        indices.index_label,
        indices.item_count,
        aggregated.group_type,
        aggregated.group_value,
        aggregated.group_order,
        aggregated.n,
        aggregated.mean_score,
        aggregated.min_score,
        aggregated.max_score,
        aggregated.total_variance,
        summed_item_variances.k,
        summed_item_variances.sum_item_variance,
        disclosures.disclosure,
        disclosures.suppression

    from aggregated
    inner join indices
        on
            aggregated.instrument = indices.instrument
            and aggregated.wave = indices.wave
            and aggregated.index_code = indices.index_code
    inner join disclosures
        on
            aggregated.instrument = disclosures.instrument
            and aggregated.wave = disclosures.wave
            and aggregated.index_code = disclosures.unit_code
            and aggregated.group_type = disclosures.group_type
            and aggregated.group_value = disclosures.group_value
    left join summed_item_variances
        on
            aggregated.instrument = summed_item_variances.instrument
            and aggregated.wave = summed_item_variances.wave
            and aggregated.index_code = summed_item_variances.index_code
            and aggregated.group_type = summed_item_variances.group_type
            and aggregated.group_value = summed_item_variances.group_value

),

final as (

    select
        instrument,
        wave::integer as wave,
        index_code,
        index_label,
        item_count::integer as item_count,
        group_type,
        group_value,
        group_order::integer as group_order,
        disclosure,
        suppression,
        case when disclosure != 'suppressed' then n end::integer as n,
        case when disclosure != 'suppressed' then mean_score end::float8 as mean,
        case when disclosure = 'full' then min_score end::float8 as min_score,
        case when disclosure = 'full' then max_score end::float8 as max_score,
        case
            when disclosure = 'full' and total_variance > 0 and k > 1
                then k / (k - 1.0) * (1 - sum_item_variance / total_variance)
        end::float8 as cronbach_alpha

    from disclosed

)

select * from final
