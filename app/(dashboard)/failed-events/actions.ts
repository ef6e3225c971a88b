"use server";

import { dashboardAction } from "@/lib/dashboard/action";
import * as defined from "./verbs";

export const retryEventAction = dashboardAction(defined.retryEventAction.options, defined.retryEventAction.verb);
