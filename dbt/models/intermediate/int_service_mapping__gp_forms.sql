{#-
    One row per GP consultation form of the 2003 mapping (current load), with the report's derived
    classifications (chapter 5): the seven substance types from the Q7 grid as on Skjema 3, and the
    LAR status of Tabell 5-7 (LAR started now; no LAR = every Q14 answer «nei»; otherwise another
    LAR status). Form-level; never served.
-#}

with

responses as (

    select * from {{ ref('int_survey_responses') }}
    where instrument = 'service_mapping_gp'

),

types as (

    select * from {{ ref('stg_reference__service_mapping_substance_types') }}

),

forms as (

    select
        wave,
        respondent_id as form_id,
        max(case when item_code = 'lege' then value end) as doctor_id,
        max(case when item_code = 'q7_alkohol' then code end) as severity_alcohol,
        max(case when item_code = 'q7_medikamenter' then code end) as severity_pharmaceuticals,
        max(case when item_code = 'q7_narkotika' then code end) as severity_drugs,
        max(case when item_code = 'q11' then code end) as somatic_problem,
        max(case when item_code = 'q12' then code end) as psychiatric_problem,
        max(case when item_code = 'q14_1' then code end) as lar_considered,
        max(case when item_code = 'q14_2' then code end) as lar_started,
        max(case when item_code = 'q14_3' then code end) as lar_waiting,
        max(case when item_code = 'q14_4' then code end) as lar_tried_before

    from responses
    group by wave, respondent_id

),

final as (

    select
        forms.*,
        types.substance_type,
        types.substance_type_order,
        coalesce(forms.psychiatric_problem = 1, false) as has_psychiatric_problem,
        case
            when forms.lar_started = 1 then 'LAR startet'
            when
                forms.lar_considered = 2 and forms.lar_started = 2
                and forms.lar_waiting = 2 and forms.lar_tried_before = 2
                then 'ikke LAR'
            else 'annen LAR-status'
        end as lar_status

    from forms
    left join types
        on
            (forms.severity_alcohol is not null) = types.has_alcohol
            and (forms.severity_drugs is not null) = types.has_drugs
            and (forms.severity_pharmaceuticals is not null) = types.has_pharmaceuticals

)

select * from final
