{#-
    One row per BrukerPlan registration of the current load, aged 18+ in the categories rus and
    rus + psykisk helse (the booklet's population), with its weight and the booklet's derived
    variables (version 1, as in the 2016 booklet on 2015 data):
    - heavy use = betydelig or svært omfattende (codes 2-3) on at least one of the 7 substances;
    - ROP = the colour combinations of Vedlegg 2 (substance use x mental health: rød/rød, rød/gul,
      gul/rød, grønn/rød);
    - serious and long-lasting mental disorder = mental-health severity rød;
    - NAV work measure = qualification programme, a work-oriented measure or VTA (Tabell 4);
    - the activity groups of Tabell 4, and red or worse (rød or blodrød) on the levekårsindeks.
    Person-level: never served.
-#}

with

registrations as (

    select * from {{ ref('stg_brukerplan__registrations') }}
    where is_current_load and age_group <> '16-17' and user_group in (1, 2)

),

derived as (

    select
        delivery_year as year,
        registration_key,
        municipality_code,
        weight,
        gender,
        age_group,
        area_bolig,
        area_aktivitet,
        area_rusmiddelbruk,
        area_psykisk_helse,
        index_weighted,
        index_weighted_label,
        mental_health_severity,
        in_oat,
        released_from_prison,
        has_overdosed,
        overdose_risk,
        organised_activity,
        is_student,
        substance_alkohol,
        substance_cannabis,
        substance_heroin,
        substance_sentralstimulerende,
        substance_lar_legemidler_illegalt,
        substance_andre_legemidler,
        substance_annet_rusmiddel,
        (case when substance_alkohol >= 2 then 1 else 0 end)
        + (case when substance_cannabis >= 2 then 1 else 0 end)
        + (case when substance_heroin >= 2 then 1 else 0 end)
        + (case when substance_sentralstimulerende >= 2 then 1 else 0 end)
        + (case when substance_lar_legemidler_illegalt >= 2 then 1 else 0 end)
        + (case when substance_andre_legemidler >= 2 then 1 else 0 end)
        + (case when substance_annet_rusmiddel >= 2 then 1 else 0 end) as n_heavy_substances,
        coalesce(
            (area_rusmiddelbruk = 3 and area_psykisk_helse in (2, 3))
            or (area_rusmiddelbruk in (1, 2) and area_psykisk_helse = 3),
            false
        ) as is_rop,
        coalesce(mental_health_severity = 3, false) as is_serious_mental_disorder,
        coalesce(
            nav_qualification_programme = 1 or nav_work_measure = 1 or nav_adapted_work = 1, false
        ) as has_nav_work_measure,
        index_weighted in (3, 4) as is_index_red_or_worse,
        area_bolig = 3 as is_homeless

    from registrations

),

final as (

    select
        derived.*,
        derived.n_heavy_substances > 0 as is_heavy_user,
        case
            when derived.has_nav_work_measure then 'I arbeid via NAV-tiltak'
            when derived.is_student = 1 then 'Elev/student'
            when derived.organised_activity = 0 then 'Ingen aktivitet, arbeid eller utdanning'
            when derived.organised_activity is not null then 'Organisert aktivitet'
        end as activity_group

    from derived

)

select * from final
