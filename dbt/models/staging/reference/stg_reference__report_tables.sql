with

report_tables as (

    select * from {{ ref('indicator_report_tables') }}

)

select
    table_id,
    table_order,
    chapter_title,
    has_type_column

from report_tables
