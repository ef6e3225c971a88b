"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useRef } from "react";
import type { ActionState, FormAction } from "@/lib/dashboard/action";
import type { TriageData } from "@/lib/exceptions/actions";

export const QUEUE_KEY = "exception-queue";

/**
 * A queue action as a form's state: once it has answered, the live queue is fetched again at once (a resolved row
 * leaves, an assigned one shows its owner) and `onDone` hears the answer, for the page's announcement.
 */
export function useTriage(action: FormAction<TriageData>, onDone?: (message: string, ok: boolean) => void) {
  const [state, run, pending] = useActionState<ActionState<TriageData>, FormData>(action, null);
  const client = useQueryClient();
  // The latest callback, without making a new answer of it: only a new state is news.
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  });
  useEffect(() => {
    if (!state) return;
    void client.invalidateQueries({ queryKey: [QUEUE_KEY] });
    done.current?.(state.ok ? state.data.message : state.error, state.ok);
  }, [state, client]);
  return [state, run, pending] as const;
}
