"use server";

import { dashboardAction } from "@/lib/dashboard/action";
import { acknowledgeDefinition, assignDefinition, resolveDefinition, retryDefinition, snoozeDefinition } from "@/lib/exceptions/actions";

// The queue's actions (roles, schemas, verbs and audit are defined and tested in lib/exceptions/actions.ts). No
// revalidation: the page's live query refetches after each one.

export const acknowledgeAction = dashboardAction(acknowledgeDefinition, acknowledgeDefinition.verb);
export const assignAction = dashboardAction(assignDefinition, assignDefinition.verb);
export const snoozeAction = dashboardAction(snoozeDefinition, snoozeDefinition.verb);
export const resolveAction = dashboardAction(resolveDefinition, resolveDefinition.verb);
export const retryAction = dashboardAction(retryDefinition, retryDefinition.verb);
