{#-
    Tabell 4-13 and 4-14 of the 2003 mapping: per Q20 measure, the Skjema 3 forms recording the
    client's need today and the measure offered today (several ticks allowed), as counts and whole
    percentages of all forms, and the report's need-vs-offered ratio. The ratio follows the report's
    own rounding convention: it is computed from the already-rounded percentages,
    round(100 x offered % / need %), not from the counts (Trygdeytelser: 19/22 = 86, where the counts
    give 88), and printed as «> 100» when offers exceed needs. Tabell 4-14 classifies each measure by
    match (ratio >= 75: stort samsvar) and need band (> 20, 10-20, < 10 % of forms).
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where instrument = 'service_mapping_consultations' and item_code like 'q20\_%' escape '\'

),

counted as (

    select
        wave,
        substring(item_code, 5, 2) as measure_no,
        split_part(max(item_text), ':', 1) as measure,
        count(distinct respondent_id) as base_n,
        count(*) filter (where code = 1 and item_code like '%\_behov' escape '\') as need_n,
        count(*) filter (where code = 1 and item_code like '%\_tilbudt' escape '\') as offered_n

    from responses
    group by wave, substring(item_code, 5, 2)

),

rounded as (

    select
        counted.*,
        round(100.0 * counted.need_n / counted.base_n) as need_percent,
        round(100.0 * counted.offered_n / counted.base_n) as offered_percent

    from counted

),

final as (

    select
        wave::integer as wave,
        measure_no::integer as measure_no,
        measure,
        base_n::integer as base_n,
        case when need_n between 1 and 4 then null else need_n end::integer as need_n,
        case when need_n between 1 and 4 then null else need_percent end::integer as need_percent,
        case when offered_n between 1 and 4 then null else offered_n end::integer as offered_n,
        case when offered_n between 1 and 4 then null else offered_percent end::integer as offered_percent,
        case
            when need_percent > 0 and need_n >= 5 and offered_n >= 5
                then round(100.0 * offered_percent / need_percent)
        end::integer as ratio,
        case
            when need_percent = 0 or need_n < 5 or offered_n < 5 then null
            when round(100.0 * offered_percent / need_percent) > 100 then '> 100'
            else (round(100.0 * offered_percent / need_percent)::integer)::varchar
        end as ratio_text,
        case
            when need_percent = 0 or need_n < 5 or offered_n < 5 then null
            when round(100.0 * offered_percent / need_percent) >= 75 then 'stort samsvar'
            else 'mindre samsvar'
        end as match_class,
        case
            when need_percent > 20 then 'over 20 %'
            when need_percent >= 10 then '10-20 %'
            else 'under 10 %'
        end as need_band

    from rounded

)

select * from final
