-- grain: one row per customer id of $customers that has orders: its rollup key.
select customer_key from rollup_sales_customer where list_contains($customers, customer_id)
