{#-
    Response counts per survey wave and reporting group, with the disclosure rule applied to the
    group size (a group of fewer than min_n_mean respondents is not shown at all, nor the smallest
    other group of its type when it alone would be hidden: int_survey_disclosure).
-#}

with

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

instruments as (

    select * from {{ ref('stg_reference__survey_instruments') }}

),

disclosures as (

    select * from {{ ref('int_survey_disclosure') }}
    where table_name = 'respondents'

),

counted as (

    select
        instrument,
        wave,
        group_type,
        group_value,
        group_order,
        count(*) as n_respondents

    from groups
    group by
        instrument,
        wave,
        group_type,
        group_value,
        group_order

),

final as (

    select
        counted.instrument,
        instruments.title as instrument_title,
        instruments.respondent_unit,
        instruments.percent_base,
        instruments.min_n_mean,
        instruments.min_n_distribution,
        counted.wave::integer as wave,
        counted.group_type,
        counted.group_value,
        counted.group_order::integer as group_order,
        disclosures.disclosure,
        disclosures.suppression,
        case
            when disclosures.disclosure != 'suppressed' then counted.n_respondents
        end::integer as n_respondents

    from counted
    inner join instruments
        on counted.instrument = instruments.instrument
    inner join disclosures
        on
            counted.instrument = disclosures.instrument
            and counted.wave = disclosures.wave
            and counted.group_type = disclosures.group_type
            and counted.group_value = disclosures.group_value

)

select * from final
