with

source as (

    select * from {{ source('raw', 'brukerplan') }}

),

renamed as (

    select
        load_id,
        delivery_year,
        source_row,
        registration_key,
        municipality_code,
        year,
        gender,
        age_group,
        user_group,
        area_bolig,
        area_fysisk_helse,
        area_psykisk_helse,
        area_okonomi,
        area_aktivitet,
        area_rusmiddelbruk,
        area_sosial_fungering,
        area_nettverk,
        index_weighted,
        index_unweighted,
        substance_alkohol,
        substance_cannabis,
        substance_heroin,
        substance_sentralstimulerende,
        substance_lar_legemidler_illegalt,
        substance_andre_legemidler,
        substance_annet_rusmiddel,
        in_work,
        in_oat,
        service_individuell_plan,
        service_kriseplan,
        service_ansvarsgruppe,
        service_nettverksmote,
        coalesce(weight, 1.0)::float8 as weight,
        weight is not null as is_weighted_format,
        case index_weighted
            when 1 then 'grønn'
            when 2 then 'gul'
            when 3 then 'rød'
            when 4 then case when weight is not null then 'blodrød' else 'blålys' end
        end as index_weighted_label,
        mental_health_severity,
        released_from_prison,
        has_overdosed,
        overdose_risk,
        nav_qualification_programme,
        nav_work_measure,
        nav_adapted_work,
        is_student,
        organised_activity,
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        loaded_at = max(loaded_at) over (partition by delivery_year) as is_current_load

    from source

)

select * from renamed
