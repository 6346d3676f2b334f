with

types as (

    select * from {{ ref('service_mapping_substance_types') }}

)

select
    has_alcohol::boolean as has_alcohol,
    has_drugs::boolean as has_drugs,
    has_pharmaceuticals::boolean as has_pharmaceuticals,
    substance_type,
    substance_type_order::integer as substance_type_order,
    has_drug_use::boolean as has_drug_use

from types
