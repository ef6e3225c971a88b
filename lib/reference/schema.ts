import { listParams } from "@/lib/api/pagination";
import { countryCode, z } from "@/lib/api/zod";

/** A warehouse's address (not an order's ship-to, which names a recipient). */
const warehouseAddressSchema = z
  .object({
    address1: z.string(),
    address2: z.string().nullable().optional(),
    city: z.string(),
    state: z.string().nullable().optional(),
    postcode: z.string().nullable().optional(),
    country: countryCode,
  })
  .openapi("WarehouseAddress");

/** The warehouse as the API returns it (presentWarehouse, lib/reference/list.ts). */
export const warehouseObjectSchema = z
  .object({
    id: z.string().openapi({ example: "wh_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    name: z.string().openapi({ example: "Sydney DC" }),
    code: z.string().openapi({ example: "SYD" }),
    address: warehouseAddressSchema,
  })
  .openapi("Warehouse");
export type WarehouseObject = z.infer<typeof warehouseObjectSchema>;

/** The shipping method as the API returns it (presentShippingMethod, lib/reference/list.ts). */
export const shippingMethodObjectSchema = z
  .object({
    id: z.string().openapi({ example: "sm_01jd2k3m4n5p6q7r8s9t0v1w2x" }),
    name: z.string().openapi({ example: "Express Post" }),
    carrier: z.string().openapi({ example: "auspost" }),
    carrier_name: z.string().openapi({ example: "Australia Post" }),
    service_code: z.string().openapi({ example: "EXP" }),
  })
  .openapi("ShippingMethod");
export type ShippingMethodObject = z.infer<typeof shippingMethodObjectSchema>;

/** Reference lists are small and slow-changing: limit and cursor only (ordered by id). */
export const referenceListQuery = z.object(listParams);
