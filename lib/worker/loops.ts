import { shopifyPushLoops } from "@/lib/channels/shopify/push/loops";
import { shopifyInboxLoop } from "@/lib/channels/shopify/process";
import { stuckOrderLoop } from "@/lib/stuck-orders/loop";
import { webhookDeliveryLoop } from "@/lib/webhooks/loop";
import { housekeepingLoop } from "./housekeeping";
import type { WorkerLoop } from "./types";

/** The loops every worker runs. One line per loop; each builds its own state, so two workers never share any. */
export function builtInLoops(): WorkerLoop[] {
  return [webhookDeliveryLoop(), shopifyInboxLoop(), ...shopifyPushLoops(), housekeepingLoop(), stuckOrderLoop()];
}
