"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const retryPushAction = dashboardAction(defined.retryPushAction.options, async (call) => {
  const done = await defined.retryPushAction.verb(call);
  revalidatePath("/channel-failures");
  return done;
});
