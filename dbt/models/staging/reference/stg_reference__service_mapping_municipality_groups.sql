with

groups as (

    select * from {{ ref('service_mapping_municipality_groups') }}

)

select
    ssb_class::integer as ssb_class,
    ssb_class_label,
    report_group,
    report_group_order::integer as report_group_order

from groups
