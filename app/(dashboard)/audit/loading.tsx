import { Skeleton } from "@/components/ui/skeleton";
import { TableSkeleton } from "@/components/ui/table";

export default function Loading() {
  return (
    <>
      <Skeleton className="mb-2 h-6 w-28" />
      <Skeleton className="mb-4 h-4 w-full max-w-[32rem]" />
      <Skeleton className="mb-4 h-24 w-full" />
      <TableSkeleton label="Loading the audit log" columns={5} />
    </>
  );
}
