with

checks as (

    select * from {{ ref('published_figure_checks') }}

)

select
    document,
    check_id,
    location,
    description,
    expected::float8 as expected,
    expected_text::varchar as expected_text,
    decimals::integer as decimals,
    tolerance::float8 as tolerance,
    source::varchar as figure_source,
    figure_key::varchar as figure_key,
    measure::varchar as measure,
    not_computable_reason::varchar as not_computable_reason,
    known_issue::varchar as known_issue

from checks
