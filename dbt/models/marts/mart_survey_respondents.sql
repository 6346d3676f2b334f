{#-
    Response counts per survey wave and reporting group, with the disclosure rule applied to the
    group size (a group of fewer than min_n_mean respondents is not shown at all).
-#}

with

groups as (

    select * from {{ ref('int_survey_respondent_groups') }}

),

instruments as (

    select * from {{ ref('stg_reference__survey_instruments') }}

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
        {{ survey_disclosure(
            'counted.n_respondents', 'instruments.min_n_mean', 'instruments.min_n_distribution'
        ) }} as disclosure,
        case
            when counted.n_respondents >= instruments.min_n_mean then counted.n_respondents
        end::integer as n_respondents

    from counted
    inner join instruments
        on counted.instrument = instruments.instrument

)

select * from final
