{{ config(severity='warn') }}

{#-
    Every printed figure the warehouse computes reproduces within its tolerance (the ledger
    marts.mart_published_figure_checks). Warns, does not block: a printed figure may itself be wrong
    (the ledger's note and docs/sources.md list the known ones), and a new delivery may legitimately
    differ from an old report.
-#}

select
    document,
    check_id,
    location,
    expected_text,
    computed,
    status

from {{ ref('mart_published_figure_checks') }}
where status in ('mismatch', 'not_found', 'not_computed')
