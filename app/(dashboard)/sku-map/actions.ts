"use server";

import { revalidatePath } from "next/cache";
import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const saveSkuMappingAction = dashboardAction(defined.saveSkuMappingAction.options, async (call) => {
  const done = await defined.saveSkuMappingAction.verb(call);
  revalidatePath("/sku-map");
  return done;
});

export const mappingRowAction = dashboardAction(defined.mappingRowAction.options, async (call) => {
  const done = await defined.mappingRowAction.verb(call);
  revalidatePath("/sku-map");
  return done;
});
