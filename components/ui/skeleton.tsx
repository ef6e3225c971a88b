import clsx from "clsx";

export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden="true" className={clsx("animate-pulse rounded bg-slate-200", className)} />;
}

/** A table-shaped placeholder while a list loads. */
export function TableSkeleton({ rows = 8, columns = 6, label }: { rows?: number; columns?: number; label: string }) {
  return (
    <div role="status" aria-label={label} className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-200 bg-slate-50 px-3 py-2.5">
        <Skeleton className="h-3 w-1/3" />
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
