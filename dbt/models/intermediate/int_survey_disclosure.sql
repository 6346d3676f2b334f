{#-
    Final disclosure of every served survey group: the primary rule (int_survey_group_sizes) plus
    complementary suppression within each group type, so that the total and the other groups of
    the type never give away a hidden group's n, mean (a sum) or distribution.

    The rule of dagster_project.core.privacy.suppression.complement_groups, tested to agree with it:
    level by level from the strictest ('suppressed' = 2, then 'mean_only' = 1), within each line
    (table, instrument, wave, unit, group type; never the 'total' type), if exactly one group is
    hidden at that level or above, the smallest group still shown (ties by group value, in code
    point order) gets that level too. A group with n = 0 is protected like any other.
-#}

with

group_sizes as (

    select * from {{ ref('int_survey_group_sizes') }}

),

levelled as (

    select
        table_name,
        instrument,
        wave,
        unit_code,
        group_type,
        group_value,
        n,
        primary_disclosure,
        coalesce(n, 0) as n_or_zero,
        group_type <> 'total' as is_complemented,
        case primary_disclosure
            when 'full' then 0
            when 'mean_only' then 1
            else 2
        end as primary_level

    from group_sizes

),

suppressed_count as (

    select
        *,
        sum(case when primary_level >= 2 then 1 else 0 end) over (
            partition by table_name, instrument, wave, unit_code, group_type
        ) as n_hidden_suppressed,
        row_number() over (
            partition by table_name, instrument, wave, unit_code, group_type
            order by
                case when primary_level < 2 then 0 else 1 end,
                n_or_zero,
                {{ text_in_code_point_order('group_value') }}
        ) as suppressed_partner_rank

    from levelled

),

after_suppressed as (

    select
        *,
        case
            when
                is_complemented
                and n_hidden_suppressed = 1
                and primary_level < 2
                and suppressed_partner_rank = 1
                then 2
            else primary_level
        end as suppressed_level

    from suppressed_count

),

mean_only_count as (

    select
        *,
        sum(case when suppressed_level >= 1 then 1 else 0 end) over (
            partition by table_name, instrument, wave, unit_code, group_type
        ) as n_hidden_mean_only,
        row_number() over (
            partition by table_name, instrument, wave, unit_code, group_type
            order by
                case when suppressed_level < 1 then 0 else 1 end,
                n_or_zero,
                {{ text_in_code_point_order('group_value') }}
        ) as mean_only_partner_rank

    from after_suppressed

),

after_mean_only as (

    select
        *,
        case
            when
                is_complemented
                and n_hidden_mean_only = 1
                and suppressed_level < 1
                and mean_only_partner_rank = 1
                then 1
            else suppressed_level
        end as final_level

    from mean_only_count

),

final as (

    select
        table_name,
        instrument,
        wave,
        unit_code,
        group_type,
        group_value,
        n_or_zero as n,
        primary_disclosure,
        case final_level
            when 0 then 'full'
            when 1 then 'mean_only'
            else 'suppressed'
        end as disclosure,
        case
            when final_level = 0 then null
            when final_level = primary_level then 'primary'
            else 'secondary'
        end::varchar as suppression

    from after_mean_only

)

select * from final
