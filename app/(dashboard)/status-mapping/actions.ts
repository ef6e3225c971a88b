"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const saveMappingAction = dashboardAction(defined.saveMappingAction.options, async (call) => {
  const done = await defined.saveMappingAction.verb(call);
  revalidatePath("/status-mapping");
  return done;
});
