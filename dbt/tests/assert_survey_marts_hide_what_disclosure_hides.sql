{#-
    Served survey marts carry the disclosure outcome, never the hidden numbers: no count, share or
    mean where the rule says 'suppressed', no distribution or share where it says 'mean_only', and
    every share within 0-100. Returns the offending rows.
-#}

{{ config(meta={'dagster': {'ref': {'name': 'mart_survey_item_summary'}}}) }}

with

items as (

    select * from {{ ref('mart_survey_item_summary') }}

),

distribution as (

    select * from {{ ref('mart_survey_item_distribution') }}

),

indices as (

    select * from {{ ref('mart_survey_index_summary') }}

),

offending as (

    select
        'mart_survey_item_summary' as mart,
        instrument,
        item_code as code,
        group_type,
        group_value,
        disclosure
    from items
    where
        (disclosure = 'suppressed' and (n_valid is not null or mean is not null or top2_share is not null))
        or (disclosure = 'mean_only' and (top2_share is not null or n_top2 is not null))
        or top2_share not between 0 and 100

    union all

    select
        'mart_survey_item_distribution' as mart,
        instrument,
        item_code as code,
        group_type,
        group_value,
        disclosure
    from distribution
    where
        (disclosure != 'full' and (n is not null or percent_valid is not null))
        or percent_valid not between 0 and 100

    union all

    select
        'mart_survey_index_summary' as mart,
        instrument,
        index_code as code,
        group_type,
        group_value,
        disclosure
    from indices
    where
        (disclosure = 'suppressed' and (n is not null or mean is not null))
        or (disclosure = 'mean_only' and (min_score is not null or cronbach_alpha is not null))
        or mean not between 0 and 100

)

select * from offending
