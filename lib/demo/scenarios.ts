import type { Address } from "@/db/schema";

/** The demo catalogue and order stories of the embedded demo (seed.ts plays them through the domain functions). */

export type SkuSeed = { sku: string; description: string; price: string; stock: Record<"SYD" | "MEL", number> };

export const DEMO_SKUS: SkuSeed[] = [
  { sku: "WIDGET-BLUE-M", description: "Blue Widget — Medium", price: "19.99", stock: { SYD: 220, MEL: 90 } },
  { sku: "WIDGET-RED-S", description: "Red Widget — Small", price: "17.50", stock: { SYD: 140, MEL: 60 } },
  { sku: "GADGET-PRO", description: "Gadget Pro", price: "149.00", stock: { SYD: 30, MEL: 0 } },
  { sku: "TEE-BLACK-L", description: "Organic Tee, Black — Large", price: "39.00", stock: { SYD: 0, MEL: 55 } },
  { sku: "MUG-ENAMEL", description: "Enamel Camp Mug", price: "24.00", stock: { SYD: 45, MEL: 40 } },
  { sku: "BOTTLE-STEEL-750", description: "Steel Bottle 750 ml", price: "44.95", stock: { SYD: 4, MEL: 0 } },
  { sku: "CANDLE-SOY", description: "Soy Candle — Eucalyptus", price: "29.00", stock: { SYD: 0, MEL: 0 } },
];

export const COFFEE_SKUS: SkuSeed[] = [
  { sku: "BEANS-HOUSE-1KG", description: "House Blend Beans 1 kg", price: "42.00", stock: { SYD: 80, MEL: 80 } },
  { sku: "GRINDER-HAND", description: "Hand Grinder", price: "89.00", stock: { SYD: 12, MEL: 6 } },
];

export const CUSTOMERS: Address[] = [
  { name: "Jane Doe", company: "Acme Pty Ltd", email: "jane.doe@example.com", phone: "+61 400 123 456", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
  { name: "Liam Nguyen", email: "liam.nguyen@example.com", phone: "+61 411 222 333", address1: "8 Brunswick St", address2: "Unit 4", city: "Fitzroy", state: "VIC", postcode: "3065", country: "AU" },
  { name: "Olivia Smith", email: "olivia.smith@example.com", address1: "42 Queen St", city: "Brisbane", state: "QLD", postcode: "4000", country: "AU" },
  { name: "Noah Williams", email: "noah.w@example.com", address1: "17 Hay St", city: "Perth", state: "WA", postcode: "6000", country: "AU" },
  { name: "Charlotte Brown", company: "Brown & Co", email: "charlotte@example.com", address1: "5 Rundle Mall", city: "Adelaide", state: "SA", postcode: "5000", country: "AU" },
  { name: "Jack Taylor", email: "jack.taylor@example.com", address1: "91 Salamanca Pl", city: "Hobart", state: "TAS", postcode: "7000", country: "AU" },
  { name: "Amelia Wilson", email: "amelia.wilson@example.com", phone: "+61 422 555 010", address1: "3 Darby St", city: "Newcastle", state: "NSW", postcode: "2300", country: "AU" },
  { name: "William Jones", email: "will.jones@example.com", address1: "60 Moorabool St", city: "Geelong", state: "VIC", postcode: "3220", country: "AU" },
  { name: "Isla Martin", email: "isla.martin@example.com", address1: "12 Mitchell St", city: "Darwin", state: "NT", postcode: "0800", country: "AU" },
  { name: "Henry Lee", company: "Lee Outdoor", email: "henry@example.com", address1: "220 Northbourne Ave", city: "Canberra", state: "ACT", postcode: "2601", country: "AU" },
];

/** What happens to an order after it is created. Hours are counted from the order's creation. */
export type Story =
  | { kind: "received" }
  | { kind: "processing"; pickedAfterHours: number }
  | { kind: "cancelled"; afterHours: number; reason: string }
  | { kind: "held" }
  | { kind: "backordered" }
  | { kind: "backordered_then_cancelled"; afterHours: number; reason: string }
  | {
      kind: "shipped";
      pickedAfterHours?: number;
      /** One entry per shipment: which items (default the rest), how many parcels, when, and the carrier's reports. */
      shipments: { afterHours: number; items?: { sku: string; quantity: number }[]; parcels?: number; updates?: { status: "in_transit" | "out_for_delivery" | "delivered" | "exception"; afterHours: number; raw: string }[] }[];
      /** A late, older carrier report (kept on the timeline as stale). */
      staleReport?: { shipment: number; status: "in_transit"; afterHours: number; raw: string };
    };

export type OrderSeed = {
  number: string;
  daysAgo: number;
  customer: number;
  items: { sku: string; quantity: number }[];
  warehouse?: "SYD" | "MEL";
  method?: "Parcel Post" | "Express Post" | "StarTrack Premium";
  extras?: { signature_required?: boolean; insurance?: boolean; gift_message?: string; packing_note?: string };
  story: Story;
};

const transit = (afterHours: number) => ({ status: "in_transit" as const, afterHours, raw: "IN_TRANSIT" });
const outForDelivery = (afterHours: number) => ({ status: "out_for_delivery" as const, afterHours, raw: "OUT_FOR_DELIVERY" });
const delivered = (afterHours: number) => ({ status: "delivered" as const, afterHours, raw: "DELIVERED" });

export const DEMO_ORDERS: OrderSeed[] = [
  {
    number: "SO-100401",
    daysAgo: 12,
    customer: 1,
    items: [
      { sku: "WIDGET-BLUE-M", quantity: 2 },
      { sku: "MUG-ENAMEL", quantity: 4 },
    ],
    story: { kind: "shipped", pickedAfterHours: 3, shipments: [{ afterHours: 20, parcels: 2, updates: [transit(26), outForDelivery(60), delivered(66)] }] },
  },
  {
    number: "SO-100402",
    daysAgo: 9,
    customer: 2,
    items: [
      { sku: "WIDGET-RED-S", quantity: 3 },
      { sku: "TEE-BLACK-L", quantity: 1 },
    ],
    warehouse: "MEL",
    method: "Express Post",
    story: { kind: "shipped", pickedAfterHours: 2, shipments: [{ afterHours: 18, updates: [transit(22), delivered(40)] }] },
  },
  {
    number: "SO-100403",
    daysAgo: 8,
    customer: 3,
    items: [{ sku: "GADGET-PRO", quantity: 1 }],
    method: "StarTrack Premium",
    extras: { signature_required: true, insurance: true },
    story: { kind: "shipped", pickedAfterHours: 4, shipments: [{ afterHours: 22, updates: [transit(30), outForDelivery(70), delivered(75)] }] },
  },
  {
    number: "SO-100404",
    daysAgo: 6,
    customer: 4,
    items: [{ sku: "WIDGET-BLUE-M", quantity: 6 }],
    story: {
      kind: "shipped",
      pickedAfterHours: 5,
      shipments: [{ afterHours: 24, updates: [transit(30), outForDelivery(96)] }],
      staleReport: { shipment: 0, status: "in_transit", afterHours: 80, raw: "IN_TRANSIT" },
    },
  },
  {
    number: "SO-100405",
    daysAgo: 6,
    customer: 5,
    items: [
      { sku: "MUG-ENAMEL", quantity: 2 },
      { sku: "WIDGET-RED-S", quantity: 2 },
    ],
    story: { kind: "shipped", pickedAfterHours: 2, shipments: [{ afterHours: 20, updates: [transit(28), { status: "exception", afterHours: 70, raw: "EXCEPTION" }] }] },
  },
  {
    number: "SO-100406",
    daysAgo: 4,
    customer: 6,
    items: [{ sku: "TEE-BLACK-L", quantity: 2 }],
    warehouse: "MEL",
    story: { kind: "shipped", pickedAfterHours: 1, shipments: [{ afterHours: 6, updates: [transit(12), outForDelivery(80)] }] },
  },
  {
    number: "SO-100407",
    daysAgo: 5,
    customer: 9,
    items: [
      { sku: "GADGET-PRO", quantity: 1 },
      { sku: "WIDGET-BLUE-M", quantity: 1 },
    ],
    method: "StarTrack Premium",
    story: { kind: "shipped", pickedAfterHours: 3, shipments: [{ afterHours: 9, parcels: 2, updates: [transit(15), delivered(50)] }] },
  },
  {
    number: "SO-100408",
    daysAgo: 3,
    customer: 7,
    items: [
      { sku: "WIDGET-BLUE-M", quantity: 1 },
      { sku: "WIDGET-RED-S", quantity: 1 },
      { sku: "MUG-ENAMEL", quantity: 2 },
    ],
    story: { kind: "shipped", pickedAfterHours: 2, shipments: [{ afterHours: 8, items: [{ sku: "WIDGET-BLUE-M", quantity: 1 }], updates: [transit(14)] }] },
  },
  {
    number: "SO-100409",
    daysAgo: 4,
    customer: 8,
    items: [
      { sku: "WIDGET-RED-S", quantity: 4 },
      { sku: "GADGET-PRO", quantity: 2 },
    ],
    story: {
      kind: "shipped",
      pickedAfterHours: 2,
      shipments: [{ afterHours: 7, items: [{ sku: "WIDGET-RED-S", quantity: 4 }], updates: [transit(12), delivered(52)] }],
    },
  },
  { number: "SO-100410", daysAgo: 1, customer: 0, items: [{ sku: "WIDGET-BLUE-M", quantity: 3 }], story: { kind: "processing", pickedAfterHours: 4 } },
  {
    number: "SO-100411",
    daysAgo: 0,
    customer: 3,
    items: [
      { sku: "MUG-ENAMEL", quantity: 1 },
      { sku: "WIDGET-RED-S", quantity: 1 },
    ],
    story: { kind: "processing", pickedAfterHours: 1 },
  },
  { number: "SO-100412", daysAgo: 0, customer: 4, items: [{ sku: "GADGET-PRO", quantity: 1 }], method: "Express Post", story: { kind: "received" } },
  {
    number: "SO-100413",
    daysAgo: 0,
    customer: 5,
    items: [{ sku: "TEE-BLACK-L", quantity: 3 }],
    extras: { gift_message: "Happy birthday, Sam! Love, Mum" },
    story: { kind: "received" },
  },
  { number: "SO-100414", daysAgo: 1, customer: 6, items: [{ sku: "WIDGET-BLUE-M", quantity: 1 }], extras: { packing_note: "Leave in porch" }, story: { kind: "received" } },
  { number: "SO-100415", daysAgo: 2, customer: 9, items: [{ sku: "CANDLE-SOY", quantity: 2 }], story: { kind: "held" } },
  {
    number: "SO-100416",
    daysAgo: 1,
    customer: 2,
    items: [
      { sku: "GADGET-PRO", quantity: 40 },
      { sku: "TEE-BLACK-L", quantity: 1 },
    ],
    story: { kind: "held" },
  },
  { number: "SO-100417", daysAgo: 3, customer: 7, items: [{ sku: "BOTTLE-STEEL-750", quantity: 10 }], warehouse: "SYD", story: { kind: "backordered" } },
  { number: "SO-100418", daysAgo: 2, customer: 8, items: [{ sku: "CANDLE-SOY", quantity: 1 }], warehouse: "MEL", story: { kind: "backordered" } },
  { number: "SO-100419", daysAgo: 7, customer: 1, items: [{ sku: "WIDGET-RED-S", quantity: 2 }], story: { kind: "cancelled", afterHours: 2, reason: "Customer changed their mind" } },
  {
    number: "SO-100420",
    daysAgo: 5,
    customer: 4,
    items: [{ sku: "BOTTLE-STEEL-750", quantity: 8 }],
    warehouse: "SYD",
    story: { kind: "backordered_then_cancelled", afterHours: 30, reason: "Customer did not want to wait for stock" },
  },
  {
    number: "SO-100423",
    daysAgo: 3,
    customer: 0,
    items: [
      { sku: "WIDGET-BLUE-M", quantity: 2 },
      { sku: "GADGET-PRO", quantity: 1 },
    ],
    extras: { packing_note: "Leave in porch" },
    story: {
      kind: "shipped",
      pickedAfterHours: 2,
      shipments: [
        { afterHours: 6, items: [{ sku: "WIDGET-BLUE-M", quantity: 2 }], updates: [transit(10), delivered(40)] },
        { afterHours: 30, items: [{ sku: "GADGET-PRO", quantity: 1 }], updates: [transit(36)] },
      ],
    },
  },
  {
    number: "SO-100424",
    daysAgo: 10,
    customer: 8,
    items: [
      { sku: "MUG-ENAMEL", quantity: 6 },
      { sku: "WIDGET-BLUE-M", quantity: 2 },
    ],
    story: {
      kind: "shipped",
      pickedAfterHours: 3,
      shipments: [
        { afterHours: 20, items: [{ sku: "MUG-ENAMEL", quantity: 6 }], parcels: 2, updates: [transit(26), delivered(70)] },
        { afterHours: 44, updates: [transit(50), delivered(90)] },
      ],
    },
  },
  {
    number: "SO-100425",
    daysAgo: 2,
    customer: 9,
    items: [{ sku: "WIDGET-RED-S", quantity: 1 }],
    extras: { signature_required: true },
    story: { kind: "shipped", pickedAfterHours: 2, shipments: [{ afterHours: 5, updates: [transit(9), delivered(30)] }] },
  },
  { number: "SO-100426", daysAgo: 0, customer: 1, items: [{ sku: "WIDGET-BLUE-M", quantity: 2 }], warehouse: "MEL", story: { kind: "received" } },
];

export const COFFEE_ORDERS: OrderSeed[] = [
  { number: "HC-2041", daysAgo: 4, customer: 3, items: [{ sku: "BEANS-HOUSE-1KG", quantity: 2 }], story: { kind: "shipped", pickedAfterHours: 1, shipments: [{ afterHours: 5, updates: [transit(9), delivered(40)] }] } },
  { number: "HC-2042", daysAgo: 1, customer: 7, items: [{ sku: "GRINDER-HAND", quantity: 1 }, { sku: "BEANS-HOUSE-1KG", quantity: 1 }], story: { kind: "processing", pickedAfterHours: 3 } },
  { number: "HC-2043", daysAgo: 0, customer: 2, items: [{ sku: "BEANS-HOUSE-1KG", quantity: 3 }], warehouse: "MEL", story: { kind: "received" } },
];

export const SANDBOX_ORDERS: OrderSeed[] = [
  { number: "TEST-1001", daysAgo: 1, customer: 0, items: [{ sku: "WIDGET-BLUE-M", quantity: 1 }], story: { kind: "shipped", shipments: [{ afterHours: 1, updates: [transit(2)] }] } },
  { number: "TEST-1002", daysAgo: 0, customer: 2, items: [{ sku: "WIDGET-RED-S", quantity: 2 }], story: { kind: "received" } },
];
