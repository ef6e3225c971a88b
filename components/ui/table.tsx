import clsx from "clsx";
import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "./empty-state";
import { Skeleton } from "./skeleton";

export type Column<Row> = {
  /** The header; read out with every cell of the column. */
  header: string;
  /** Keeps the header for screen readers only (an actions column). */
  hideHeader?: boolean;
  cell: (row: Row) => ReactNode;
  /** Under the row's link, in the linked column: details that are not part of the link's name (an id). */
  detail?: (row: Row) => ReactNode;
  /** Classes of the column's cells (font, wrapping, width). */
  className?: string;
  /** Numbers: header and cells aligned right. */
  numeric?: boolean;
};

const FRAME = "rounded-lg border border-slate-200 bg-white shadow-xs";

/**
 * A dashboard list. Its caption (`label`) names it for screen readers; headers are `th scope="col"`. It scrolls
 * sideways inside its own box (keyboard-scrollable, with a visible focus ring), so a narrow screen never makes
 * the page wider. With `rowHref` the first column's cell links to the row's page and the whole row is
 * clickable; buttons and links in other cells stay on top and keep working.
 */
export function Table<Row>({
  label,
  columns,
  rows,
  rowKey,
  rowHref,
  rowId,
  empty,
  expanded,
  framed = false,
}: {
  label: string;
  /** `false` leaves a column out (one the user's role does not get). */
  columns: (Column<Row> | false)[];
  rows: Row[];
  rowKey: (row: Row, index: number) => string;
  rowHref?: (row: Row) => string;
  /** An anchor for links to one row (`#id`). */
  rowId?: (row: Row) => string;
  /** Shown instead of the table when there are no rows. */
  empty?: { title: string; body?: ReactNode };
  /** Replaces a row with one cell across the table (a row being edited in place). */
  expanded?: (row: Row) => ReactNode;
  /** Its own border, for a list that is not inside a card. */
  framed?: boolean;
}) {
  const shown = columns.filter((c): c is Column<Row> => c !== false);
  if (!rows.length && empty) {
    return (
      <div className={framed ? undefined : "p-4"}>
        <EmptyState title={empty.title}>{empty.body}</EmptyState>
      </div>
    );
  }
  return (
    // Focusable so a keyboard can scroll a table wider than the screen. Relative, so text positioned for screen
    // readers only (sr-only is absolute) is clipped with its cell instead of widening the page beyond the phone.
    <div role="region" aria-label={label} tabIndex={0} className={clsx("relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-sky-600", framed && FRAME)}>
      {/* On a phone each column keeps room to read (about 9rem on average) and the box scrolls, rather than every
          column shrinking to its longest word. */}
      <table className="table-dense" style={{ minWidth: `${shown.length * 9}rem` }}>
        <caption className="sr-only">
          {label}
        </caption>
        <thead>
          <tr>
            {shown.map((c, i) => (
              <th key={i} scope="col" className={clsx(c.numeric && "text-right")}>
                {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const key = rowKey(row, index);
            const replaced = expanded?.(row);
            if (replaced) {
              return (
                <tr key={key} id={rowId?.(row)}>
                  <td colSpan={shown.length} className="p-0">
                    {replaced}
                  </td>
                </tr>
              );
            }
            const href = rowHref?.(row);
            return (
              <tr
                key={key}
                id={rowId?.(row)}
                // The link's ::after covers the row; other controls are lifted above it.
                className={clsx(href && "relative [&_:is(a,button,summary,input,select,textarea):not([data-row-link])]:relative")}
              >
                {shown.map((c, i) => (
                  <td key={i} className={clsx(c.className, c.numeric && "text-right tabular-nums")}>
                    {href && i === 0 ? (
                      <Link href={href} data-row-link="" className="link after:absolute after:inset-0">
                        {c.cell(row)}
                      </Link>
                    ) : (
                      c.cell(row)
                    )}
                    {c.detail?.(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The table's shape while its page loads (for loading.tsx). */
export function TableSkeleton({ label, columns = 6, rows = 8, framed = true }: { label: string; columns?: number; rows?: number; framed?: boolean }) {
  return (
    <div role="status" aria-label={label} className={clsx("overflow-hidden", framed && FRAME)}>
      <div className="flex gap-4 border-b border-slate-200 bg-slate-50 px-3 py-2.5">
        {Array.from({ length: columns }, (_, c) => (
          <Skeleton key={c} className={clsx("h-3", c === 0 ? "w-24" : "flex-1")} />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex gap-4 border-b border-slate-100 px-3 py-2.5">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={clsx("h-3.5", c === 0 ? "w-24" : "flex-1")} />
          ))}
        </div>
      ))}
      <span className="sr-only">{label}</span>
    </div>
  );
}
