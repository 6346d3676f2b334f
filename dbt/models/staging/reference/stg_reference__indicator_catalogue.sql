with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

typed as (

    select
        indicator_no,
        is_active,
        table_id::text as table_id,  -- a table number (5.1), never a quantity
        goal_area,
        nullif(indicator_type, '') as indicator_type,
        indicator_text,
        source,
        nullif(unit_kind, '') as unit_kind,
        nullif(extract_unit, '') as extract_unit,
        nullif(desired_direction, '') as desired_direction,
        baseline_year,
        change_rule,
        value_decimals,
        change_decimals,
        coalesce(report_note, '') as report_note,
        source_notes

    from catalogue

)

select * from typed
