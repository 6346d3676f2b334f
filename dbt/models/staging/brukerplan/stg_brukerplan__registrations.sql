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
        file_name,
        file_sha256,
        loaded_at,
        file_comment,
        loaded_at = max(loaded_at) over (partition by delivery_year) as is_current_load

    from source

)

select * from renamed
