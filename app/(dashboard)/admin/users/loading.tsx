import { Skeleton } from "@/components/ui/skeleton";
import { TableSkeleton } from "@/components/ui/table";

export default function Loading() {
  return (
    <>
      <Skeleton className="mb-2 h-6 w-32" />
      <Skeleton className="mb-4 h-4 w-96 max-w-full" />
      <TableSkeleton label="Loading users" columns={5} />
    </>
  );
}
