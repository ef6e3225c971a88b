/** Tests that need several real connections (locking, races) run only on PostgreSQL, and say so when skipped. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
export const needsPostgres = "needs TEST_DATABASE_URL (several real connections)";
