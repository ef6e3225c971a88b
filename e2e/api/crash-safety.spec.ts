import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { issueKey, uniqueName } from "../support/cli";
import { recreateDatabase } from "../support/database";
import { e2eDatabaseUrl, e2ePort } from "../support/playwright-env";
import { AppServer, type ServerTarget } from "../support/server";

/**
 * An order the API acknowledged with 201 exists after the process dies right after answering: a server of our
 * own (the same production build) is killed with SIGKILL the moment the 201 arrives, started again on the same
 * data, and asked for the order. In both database modes.
 */

test.describe.configure({ mode: "serial", timeout: 240_000 });

const ORDERS_PER_ROUND = 5;

async function placeOrdersThenCrash(server: AppServer, key: string): Promise<Json[]> {
  const http = await playwrightRequest.newContext({ baseURL: server.url });
  try {
    const partner = new Partner(http, key);
    const warehouses = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
    const warehouseId = warehouses[0].id as string;
    const sku = uniqueName("CRASH").toUpperCase();
    expect((await partner.post("/v1/sandbox/inventory", { sku, warehouse_id: warehouseId, on_hand: 100 })).status()).toBeLessThan(300);
    const acknowledged: Json[] = [];
    for (let i = 0; i < ORDERS_PER_ROUND; i++) {
      const reference = uniqueName("crash");
      const response = await partner.post("/v1/orders", {
        order_number: `SO-${reference}`,
        reference,
        warehouse_id: warehouseId,
        ship_to: { name: "Jane Doe", address1: "123 Main St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
        items: [{ sku, quantity: 1 + i }],
      });
      acknowledged.push(await expectStatus(response, 201));
    }
    // The last 201 has just arrived: nothing gets a chance to flush or shut down cleanly.
    await server.crash();
    return acknowledged;
  } finally {
    await http.dispose();
  }
}

async function expectOrdersSurvived(server: AppServer, key: string, acknowledged: Json[]): Promise<void> {
  const http = await playwrightRequest.newContext({ baseURL: server.url });
  try {
    const partner = new Partner(http, key);
    for (const order of acknowledged) {
      const found = await expectStatus(await partner.get(`/v1/orders/${order.id}`), 200);
      expect(found).toMatchObject({ id: order.id, reference: order.reference, status: order.status, items: order.items });
    }
  } finally {
    await http.dispose();
  }
}

async function crashRound(target: ServerTarget, port: number, issue: () => Promise<string>): Promise<void> {
  const server = new AppServer(port, target);
  try {
    await server.start();
    const key = await issue();
    const acknowledged = await placeOrdersThenCrash(server, key);
    const again = new AppServer(port, target);
    try {
      await again.start();
      await expectOrdersSurvived(again, key, acknowledged);
    } finally {
      await again.stop();
    }
  } finally {
    await server.crash();
  }
}

test("PostgreSQL mode: orders acknowledged with 201 survive kill -9 of the server", async () => {
  const url = new URL(e2eDatabaseUrl);
  url.pathname = `${url.pathname}_crash`;
  const databaseUrl = url.toString();
  await recreateDatabase(databaseUrl);
  await crashRound({ databaseUrl }, e2ePort + 10, () => issueKey({ account: uniqueName("crash-pg"), env: "sandbox", databaseUrl }));
});

test("embedded mode: orders acknowledged with 201 survive kill -9 of the server", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "hub-e2e-crash-"));
  try {
    // The CLI reaches the running app's PGlite through its socket server (DATA_DIR/server.json names it).
    const target: ServerTarget = { dataDir, env: { EMBEDDED_DB_PORT: String(e2ePort + 20) } };
    await crashRound(target, e2ePort + 11, () => issueKey({ account: uniqueName("crash-embedded"), env: "sandbox", dataDir }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
