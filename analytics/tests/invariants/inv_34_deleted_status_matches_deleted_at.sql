{{ config(severity='error', tags=['invariant', 'hard']) }}

select user_id, status, deleted_at
from {{ ref('stg_oltp__users') }}
where (status = 'deleted' and deleted_at is null)
    or (status <> 'deleted' and deleted_at is not null)
