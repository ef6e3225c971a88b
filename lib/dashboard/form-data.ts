import { z } from "zod";

export type FormValues = Record<string, string | string[]>;

/**
 * A submitted form as a plain object for a zod schema. Unlike `Object.fromEntries`, a name sent more than once
 * (the rows of a repeated field) keeps every value, in order; an unchecked checkbox is absent, as browsers send
 * it. Files are left out: uploads do not go through server actions here.
 */
export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const previous = values[name];
    values[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return values;
}

/** What a malformed hidden field says: there is no input to highlight, so it becomes the form's message. */
export const STALE_PAGE = "This page is out of date; reload it and try again.";

/** Schemas for what forms send, so each action's schema reads as its fields. */
export const formField = {
  /** A text input; a missing one reads as empty, as an empty input would. */
  text: () => z.string().default(""),
  /** A checkbox: checked when the browser sent it at all (its value is "on" unless the form says otherwise). */
  checkbox: () => z.union([z.string(), z.array(z.string())]).optional().transform((value) => value !== undefined),
  /** A name that may appear several times (a list of rows): always an array, empty when absent. */
  repeated: () => z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string())),
  /** A hidden id the page rendered: a malformed one means a stale or tampered page. */
  id: (pattern: RegExp) => z.string({ error: STALE_PAGE }).regex(pattern, STALE_PAGE),
};
