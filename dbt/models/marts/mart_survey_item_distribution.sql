{#-
    Per survey wave, item, reporting group and response option in the percent base: n and percent
    of the valid answers (options not chosen by anyone appear with n = 0). «Ikke aktuelt», «har ikke»
    and missing answers are not options here (their counts are in mart_survey_item_summary). Under the
    disclosure rule (primary and complementary: int_survey_disclosure), groups not fully disclosed
    show no distribution (n and percent NULL).
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where variable_role = 'item'

),

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

options as (

    select * from {{ ref('stg_reference__survey_response_options') }}
    where is_valid_for_percent

),

disclosures as (

    select * from {{ ref('int_survey_disclosure') }}
    where table_name = 'item'

),

answers as (

    select
        responses.instrument,
        responses.wave,
        responses.item_code,
        responses.scale_code,
        responses.code,
        responses.is_valid_for_percent,
        groups.group_type,
        groups.group_value,
        groups.group_order

    from responses
    inner join groups
        on
            responses.instrument = groups.instrument
            and responses.wave = groups.wave
            and responses.respondent_id = groups.respondent_id

),

item_groups as (

    select
        instrument,
        wave,
        item_code,
        scale_code,
        group_type,
        group_value,
        group_order,
        count(*) filter (where is_valid_for_percent) as n_valid

    from answers
    group by
        instrument,
        wave,
        item_code,
        scale_code,
        group_type,
        group_value,
        group_order

),

counts as (

    select
        instrument,
        wave,
        item_code,
        group_type,
        group_value,
        code,
        count(*) as n

    from answers
    where is_valid_for_percent
    group by
        instrument,
        wave,
        item_code,
        group_type,
        group_value,
        code

),

grid as (

    select
        item_groups.*,
        options.code,
        options.label,
        options.is_top2,
        coalesce(counts.n, 0) as n,
        disclosures.disclosure,
        disclosures.suppression

    from item_groups
    inner join options
        on item_groups.scale_code = options.scale_code
    inner join disclosures
        on
            item_groups.instrument = disclosures.instrument
            and item_groups.wave = disclosures.wave
            and item_groups.item_code = disclosures.unit_code
            and item_groups.group_type = disclosures.group_type
            and item_groups.group_value = disclosures.group_value
    left join counts
        on
            item_groups.instrument = counts.instrument
            and item_groups.wave = counts.wave
            and item_groups.item_code = counts.item_code
            and item_groups.group_type = counts.group_type
            and item_groups.group_value = counts.group_value
            and options.code = counts.code

),

final as (

    select
        instrument,
        wave::integer as wave,
        item_code,
        group_type,
        group_value,
        group_order::integer as group_order,
        code::integer as code,
        label,
        is_top2,
        case when disclosure = 'full' then n end::integer as n,
        case when disclosure = 'full' then n_valid end::integer as n_valid,
        case when disclosure = 'full' and n_valid > 0 then 100.0 * n / n_valid end::float8 as percent_valid,
        disclosure,
        suppression

    from grid

)

select * from final
