{{ config(severity='error', tags=['invariant', 'hard']) }}

select
    master_id,
    sum(split_basis_points) as splits_total,
    min(split_basis_points) as smallest_split,
    max(split_basis_points) as largest_split
from {{ ref('stg_oltp__master_collaborators') }}
group by master_id
having sum(split_basis_points) > 10000
    or min(split_basis_points) < 0
    or max(split_basis_points) > 10000
