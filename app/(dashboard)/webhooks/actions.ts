"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const replayDeliveryAction = dashboardAction(defined.replayDeliveryAction.options, async (call) => {
  const done = await defined.replayDeliveryAction.verb(call);
  revalidatePath("/webhooks", "layout");
  return done;
});

export const replayAllAction = dashboardAction(defined.replayAllAction.options, async (call) => {
  const done = await defined.replayAllAction.verb(call);
  revalidatePath("/webhooks", "layout");
  return done;
});

export const reEnableAction = dashboardAction(defined.reEnableAction.options, async (call) => {
  const done = await defined.reEnableAction.verb(call);
  revalidatePath("/webhooks", "layout");
  return done;
});

export const sendTestEventAction = dashboardAction(defined.sendTestEventAction.options, async (call) => {
  const done = await defined.sendTestEventAction.verb(call);
  revalidatePath("/webhooks", "layout");
  return done;
});
