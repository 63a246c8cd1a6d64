select
  id as payment_id,
  order_id,
  payment_method,
  -- the seed stores cents; decimal keeps sums exact
  cast(amount / 100.0 as decimal(12, 2)) as amount,
  '{{ var("currency") }}' as currency
from {{ ref('raw_payments') }}
