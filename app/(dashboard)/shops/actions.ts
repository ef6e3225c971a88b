"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const saveShopAction = dashboardAction(defined.saveShopAction.options, async (call) => {
  const done = await defined.saveShopAction.verb(call);
  revalidatePath("/shops");
  return done;
});

export const retryDeliveryAction = dashboardAction(defined.retryDeliveryAction.options, async (call) => {
  const done = await defined.retryDeliveryAction.verb(call);
  revalidatePath("/shops/inbox");
  return done;
});
