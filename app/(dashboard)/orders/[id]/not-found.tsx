import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function OrderNotFound() {
  return (
    <div className="mx-auto max-w-xl py-10">
      <EmptyState title="No order with that id">
        It may belong to a different installation, or the link is mistyped.{" "}
        <Link href="/orders" className="link">
          Search orders
        </Link>
      </EmptyState>
    </div>
  );
}
