import { sql } from "drizzle-orm";
import { queryRows, type Db } from "@/db/client";
import { operationalExceptions, orderEvents } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { carrierDueBy, stillInStageSql, stuckSql, withoutJit, type DetectionScope } from "./sql";
import { STUCK_STAGES, THRESHOLDS } from "./stages";

export type DetectionResult = { raised: number; resolved: number };

const STAGE_WORDS = JSON.stringify(Object.fromEntries(STUCK_STAGES.map((stage) => [stage, THRESHOLDS[stage].words])));

/**
 * One detection pass, in one transaction: resolves the open stuck_order exceptions of orders that left their
 * stage, then opens one for every (order, stage) past its threshold at `now`, each with its timeline line.
 *
 * Passes serialize on an advisory lock, so a second worker waits and then sees the first one's work; the partial
 * unique index (order, stage) of open stuck exceptions makes a duplicate impossible even without it.
 */
export async function detectStuckOrders(db: Db, options: { now?: Date } & DetectionScope = {}): Promise<DetectionResult> {
  const now = options.now ?? new Date();
  const scope: DetectionScope = { accountId: options.accountId };
  const at = sql`${now.toISOString()}::timestamptz`;
  return inTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('stuck-order-detection', 0))`);
    await withoutJit(tx);

    const resolved = await queryRows<{ id: string }>(
      tx,
      sql`with left_stage as (
            update ${operationalExceptions} x
               set status = 'resolved', resolved_at = now(), resolved_by = 'system', updated_at = now()
             where x.kind = 'stuck_order' and x.status = 'open'${scope.accountId ? sql` and x.account_id = ${scope.accountId}` : sql``}
               and not ${stillInStageSql()}
            returning x.id, x.account_id, x.environment, x.order_id, x.data
          ), lines as (
            insert into ${orderEvents} (id, account_id, environment, order_id, type, source, message, data, occurred_at)
            select 'oev_' || replace(gen_random_uuid()::text, '-', ''), l.account_id, l.environment, l.order_id, 'stuck_resolved', 'system',
                   'No longer stuck: ' || (${STAGE_WORDS}::text::jsonb ->> (l.data->>'stage')) || ' — the order moved on, so the exception resolved itself.',
                   jsonb_build_object('exception_id', l.id, 'stage', l.data->>'stage'), ${at}
              from left_stage l
          )
          select id from left_stage`,
    );

    const raised = await queryRows<{ id: string }>(
      tx,
      sql`with stuck as (${stuckSql(now, scope, [], await carrierDueBy(tx, now))}), opened as (
            insert into ${operationalExceptions} (id, account_id, environment, kind, status, order_id, message, data)
            select 'exc_' || replace(gen_random_uuid()::text, '-', ''), s.account_id, s.environment, 'stuck_order', 'open', s.order_id, s.message,
                   jsonb_strip_nulls(jsonb_build_object('stage', s.stage, 'since', s.since, 'threshold_minutes', s.minutes,
                                                        'cutoff_at', s.cutoff_at, 'next_step', s.next_step))
              from stuck s
             -- A person who resolved it (with a note) has dealt with this stay in the stage: not raised again until
             -- the order enters a stage anew. Resolutions by the detector itself do not count.
             where not exists (select 1 from ${operationalExceptions} r
                                where r.order_id = s.order_id and r.kind = 'stuck_order' and r.status = 'resolved'
                                  and r.data->>'stage' = s.stage and r.resolved_by <> 'system' and r.created_at >= s.since)
            on conflict (order_id, (data->>'stage')) where kind = 'stuck_order' and status = 'open' do nothing
            returning id, account_id, environment, order_id, message, data
          ), lines as (
            insert into ${orderEvents} (id, account_id, environment, order_id, type, source, message, data, occurred_at)
            select 'oev_' || replace(gen_random_uuid()::text, '-', ''), o.account_id, o.environment, o.order_id, 'stuck', 'system', o.message,
                   jsonb_build_object('exception_id', o.id) || o.data, ${at}
              from opened o
          )
          select id from opened`,
    );
    return { raised: raised.length, resolved: resolved.length };
  });
}
