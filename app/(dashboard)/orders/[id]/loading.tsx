import { Skeleton } from "@/components/ui/skeleton";
import { TableSkeleton } from "@/components/ui/table";

export default function Loading() {
  return (
    <div className="space-y-5" role="status" aria-label="Loading order">
      <Skeleton className="h-4 w-40" />
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <Skeleton className="h-6 w-64" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-4 w-2/3" />
      </div>
      <div className="grid gap-5 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <TableSkeleton rows={3} columns={6} label="Loading items" />
        </div>
        <Skeleton className="h-40 w-full" />
      </div>
    </div>
  );
}
