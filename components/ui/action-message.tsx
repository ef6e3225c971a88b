import clsx from "clsx";
import type { ReactNode } from "react";
import type { ActionState } from "@/lib/dashboard/action";

/**
 * What a form's action answered, beside its submit button: a refusal as an alert (read out at once), a success as
 * a status. `success` renders the data; by default its `message`.
 */
export function ActionMessage<T>({ state, success, small = false }: { state: ActionState<T>; success?: (data: T) => ReactNode; small?: boolean }) {
  if (!state) return null;
  const size = small ? "text-xs" : "text-sm";
  if (!state.ok) {
    return (
      <p role="alert" className={clsx(size, "text-red-700")}>
        {state.error}
      </p>
    );
  }
  const body = success ? success(state.data) : messageOf(state.data);
  return body ? (
    <p role="status" className={clsx(size, "text-emerald-800")}>
      {body}
    </p>
  ) : null;
}

function messageOf(data: unknown): string | null {
  return typeof data === "object" && data !== null && "message" in data && typeof data.message === "string" ? data.message : null;
}
