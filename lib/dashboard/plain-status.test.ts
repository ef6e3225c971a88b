import { describe, expect, it } from "vitest";
import { describeOrderStatus, type PlainStatusInput } from "./plain-status";

const base: PlainStatusInput = {
  status: "received",
  holdReason: null,
  createdAt: new Date("2026-07-01T23:30:00Z"), // 2 July in Sydney, 1 July in UTC
  warehouseName: "Sydney DC",
  lines: [{ quantity: 2, quantityShipped: 0 }],
  shipments: [],
  timeZone: "Australia/Sydney",
};
const day = (iso: string) => new Date(iso);

describe("describeOrderStatus", () => {
  it("tells the day in the warehouse's time zone", () => {
    expect(describeOrderStatus(base)).toBe("Received on 2 July; stock is reserved and it is waiting to be picked at Sydney DC.");
    expect(describeOrderStatus({ ...base, timeZone: "UTC" })).toContain("Received on 1 July");
  });

  it("says how many parcels shipped, when, and where each one is", () => {
    const shipped = { ...base, status: "shipped" as const, lines: [{ quantity: 2, quantityShipped: 2 }] };
    expect(
      describeOrderStatus({
        ...shipped,
        shipments: [
          { status: "delivered", shippedAt: day("2026-07-02T01:00:00Z"), parcelCount: 1 },
          { status: "in_transit", shippedAt: day("2026-07-02T03:00:00Z"), parcelCount: 1 },
        ],
      }),
    ).toBe("Shipped in 2 parcels on 2 July; one delivered, one in transit.");
    expect(describeOrderStatus({ ...shipped, shipments: [{ status: "in_transit", shippedAt: day("2026-07-02T01:00:00Z"), parcelCount: 3 }] })).toBe(
      "Shipped in 3 parcels on 2 July; all three in transit.",
    );
    expect(
      describeOrderStatus({
        ...shipped,
        shipments: [
          { status: "delivered", shippedAt: day("2026-07-02T01:00:00Z"), parcelCount: 1 },
          { status: "delivered", shippedAt: day("2026-07-04T01:00:00Z"), parcelCount: 1 },
        ],
      }),
    ).toBe("Shipped in 2 parcels on 2 and 4 July; both delivered.");
    expect(
      describeOrderStatus({ ...shipped, shipments: [{ status: "delivered", shippedAt: day("2026-07-02T01:00:00Z"), statusAt: day("2026-07-05T01:00:00Z"), parcelCount: 1 }] }),
    ).toBe("Shipped on 2 July in 1 parcel; delivered on 5 July.");
  });

  it("leaves voided shipments out of the count but mentions them", () => {
    const text = describeOrderStatus({
      ...base,
      status: "shipped",
      shipments: [
        { status: "voided", shippedAt: day("2026-07-02T01:00:00Z"), parcelCount: 1 },
        { status: "shipped", shippedAt: day("2026-07-03T01:00:00Z"), parcelCount: 1 },
      ],
    });
    expect(text).toBe("Shipped on 3 July in 1 parcel; awaiting the carrier's first scan. One shipment was voided.");
  });

  it("says what is left of a partial shipment", () => {
    expect(
      describeOrderStatus({
        ...base,
        status: "partially_shipped",
        lines: [
          { quantity: 2, quantityShipped: 2 },
          { quantity: 3, quantityShipped: 0 },
        ],
        shipments: [{ status: "in_transit", shippedAt: day("2026-07-02T01:00:00Z"), parcelCount: 1 }],
      }),
    ).toBe("Partly shipped on 2 July in 1 parcel; in transit. 3 items still to ship.");
  });

  it("explains holds, backorders, picking and cancellations in words", () => {
    expect(describeOrderStatus({ ...base, status: "on_hold", holdReason: "no_eligible_warehouse" })).toBe(
      "On hold since 2 July: no warehouse can fulfil it (no stock or no route to the destination). Nothing has shipped.",
    );
    expect(describeOrderStatus({ ...base, status: "on_hold", holdReason: "unmapped_sku" })).toContain("not mapped to a warehouse item");
    expect(describeOrderStatus({ ...base, status: "backordered" })).toBe(
      "Waiting for stock since 2 July: 2 items on backorder; it will be picked as soon as stock arrives.",
    );
    expect(describeOrderStatus({ ...base, status: "processing", statusSince: day("2026-07-03T01:00:00Z") })).toBe(
      "Being picked and packed at Sydney DC since 3 July; nothing has shipped yet.",
    );
    expect(describeOrderStatus({ ...base, status: "cancelled", statusSince: day("2026-07-03T01:00:00Z") })).toBe("Cancelled on 3 July; nothing was shipped.");
  });
});
