import type { Metadata } from "next";
import { OverviewBoard } from "@/components/overview/overview-board";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { loadOverview } from "@/lib/overview/overview";

export const metadata: Metadata = { title: "Overview" };

/** What needs attention now for the signed-in role (lib/overview/overview.ts says which tiles each role gets). */
export default async function OverviewPage() {
  const user = await requireUser(ALL_ROLES);
  const overview = await loadOverview(getDb(), user.role);
  return (
    <>
      <PageHeader title="Overview" description="What needs attention now. Each tile opens the list behind its number." />
      <OverviewBoard initial={overview} />
    </>
  );
}
