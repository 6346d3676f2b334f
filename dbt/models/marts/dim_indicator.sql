with

catalogue as (

    select * from {{ ref('stg_reference__indicator_catalogue') }}

),

report_tables as (

    select * from {{ ref('stg_reference__report_tables') }}

),

joined as (

    select
        catalogue.indicator_no,
        catalogue.is_active,
        catalogue.table_id,
        report_tables.table_order,
        report_tables.chapter_title,
        report_tables.has_type_column,
        catalogue.goal_area,
        catalogue.indicator_type,
        catalogue.indicator_text,
        catalogue.source,
        catalogue.unit_kind,
        catalogue.extract_unit,
        case
            when catalogue.unit_kind = 'percent' then 'percentage_points'
            else 'percent'
        end as change_unit,
        catalogue.desired_direction,
        catalogue.baseline_year,
        catalogue.change_rule,
        catalogue.value_decimals,
        catalogue.change_decimals,
        catalogue.report_note

    from catalogue
    inner join report_tables
        on catalogue.table_id = report_tables.table_id

)

select * from joined
