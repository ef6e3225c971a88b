-- Rate-limit counters are hot, rewritten on every request and worthless after a minute: keep them out of the WAL.
ALTER TABLE "rate_limit_counters" SET UNLOGGED;
