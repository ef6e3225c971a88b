"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import { saveCutoffOptions, saveCutoffVerb, saveThresholdsOptions, saveThresholdsVerb } from "@/lib/stuck-orders/form-actions";

/** Saves one level's thresholds (global, an account or a warehouse); an empty value clears that override. */
export const saveThresholdsAction = dashboardAction(saveThresholdsOptions, async (call) => {
  const saved = await saveThresholdsVerb(call);
  revalidatePath("/stuck-thresholds");
  return saved;
});

/** Sets or clears a warehouse's daily cut-off, in the warehouse's own time zone. */
export const saveCutoffAction = dashboardAction(saveCutoffOptions, async (call) => {
  const saved = await saveCutoffVerb(call);
  revalidatePath("/stuck-thresholds");
  return saved;
});
