{#-
    Per survey wave, item and reporting group: valid answers, top-2 share and mean, with the
    disclosure rule applied (primary, and complementary within each group type: int_survey_disclosure). The percent base is the instrument's: options flagged
    is_valid_for_percent (2017: «ikke aktuelt», «har ikke» and missing excluded; 2011: «vet ikke»
    included). Means use scored answers only, reverse-coded items mirrored (mean_as_coded keeps the
    questionnaire's coding). top2_share_incl_not_applicable is the second base the 2017 report uses
    (Nøkkeltall II: everyone who ticked a box, «ikke aktuelt» included). Hidden numbers are NULL.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where variable_role = 'item'

),

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

disclosures as (

    select * from {{ ref('int_survey_disclosure') }}
    where table_name = 'item'

),

scales as (

    select
        scale_code,
        bool_or(is_top2) as has_top2

    from {{ ref('stg_reference__survey_response_options') }}
    group by scale_code

),

aggregated as (

    select
        responses.instrument,
        responses.wave,
        responses.item_code,
        responses.item_version,
        responses.item_group,
        responses.item_text,
        responses.scale_code,
        responses.is_reverse_coded,
        groups.group_type,
        groups.group_value,
        groups.group_order,
        count(*) as n_respondents,
        count(*) filter (where responses.is_valid_for_percent) as n_valid,
        count(*) filter (where responses.is_not_applicable) as n_not_applicable,
        count(*) filter (where responses.is_missing) as n_missing,
        count(*) filter (where responses.is_valid_for_percent and responses.is_top2) as n_top2,
        count(responses.score) as n_scored,
        avg(responses.score) as mean_score,
        avg(responses.score_as_coded) as mean_score_as_coded,
        stddev_samp(responses.score) as sd_score

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
        responses.item_version,
        responses.item_group,
        responses.item_text,
        responses.scale_code,
        responses.is_reverse_coded,
        groups.group_type,
        groups.group_value,
        groups.group_order

),

disclosed as (

    select
        aggregated.*,
        scales.has_top2,
        disclosures.disclosure,
        disclosures.suppression

    from aggregated
    inner join disclosures
        on
            aggregated.instrument = disclosures.instrument
            and aggregated.wave = disclosures.wave
            and aggregated.item_code = disclosures.unit_code
            and aggregated.group_type = disclosures.group_type
            and aggregated.group_value = disclosures.group_value
    left join scales
        on aggregated.scale_code = scales.scale_code

),

final as (

    select
        instrument,
        wave::integer as wave,
        item_code,
        item_version::integer as item_version,
        item_group,
        item_text,
        group_type,
        group_value,
        group_order::integer as group_order,
        case when disclosure != 'suppressed' then n_valid end::integer as n_valid,
        case when disclosure != 'suppressed' then n_not_applicable end::integer as n_not_applicable,
        case when disclosure != 'suppressed' then n_missing end::integer as n_missing,
        case
            when disclosure = 'full' and has_top2 and n_valid > 0 then 100.0 * n_top2 / n_valid
        end::float8 as top2_share,
        case
            when disclosure = 'full' and has_top2 and n_valid + n_not_applicable > 0
                then 100.0 * n_top2 / (n_valid + n_not_applicable)
        end::float8 as top2_share_incl_not_applicable,
        case when disclosure = 'full' and has_top2 then n_top2 end::integer as n_top2,
        case when disclosure != 'suppressed' then n_scored end::integer as n_scored,
        case when disclosure != 'suppressed' then mean_score end::float8 as mean,
        case when disclosure != 'suppressed' then mean_score_as_coded end::float8 as mean_as_coded,
        case when disclosure = 'full' then sd_score end::float8 as sd,
        is_reverse_coded,
        disclosure,
        suppression

    from disclosed

)

select * from final
