-- Cost-limiter window counters are rewritten on every Shopify call and worthless after their window: keep them out of the WAL.
ALTER TABLE "shopify_rate_limits" SET UNLOGGED;
