import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OrderView } from "@/components/orders/order-view";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/dashboard";
import { ALL_ROLES } from "@/lib/dashboard/nav";
import { getOrderDetail } from "@/lib/dashboard/order-detail";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Order ${decodeURIComponent(id)}` };
}

export default async function OrderPage({ params }: Props) {
  await requireUser(ALL_ROLES);
  const { id } = await params;
  const detail = await getOrderDetail(getDb(), decodeURIComponent(id));
  if (!detail) notFound();
  return <OrderView initial={detail} />;
}
