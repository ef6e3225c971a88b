import { expect, test, type Page } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { ageOrderStage, detectStuckOrdersOf } from "../support/stuck-orders";
import { signIn } from "../support/ui";

/**
 * The home overview: each tile's number is the count a person finds on the list the tile links to, and the JSON
 * the page polls is the signed-in user's and nobody else's. The data comes through the partner API: orders at a
 * warehouse (due to ship today: no cut-off is set, so every open one is due) and orders no warehouse can fulfil
 * (each an exception in the queue).
 */

/** The count the list behind a tile shows, read as a person reads it; null for a list that shows no count. */
async function listCount(page: Page, href: string): Promise<number | null> {
  const path = new URL(href, "http://x").pathname;
  await page.goto(href);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  if (path === "/orders") return Number(await page.getByTestId("due-count").innerText());
  if (path === "/channel-failures") return Number((await page.getByRole("heading", { name: /^Dead letters \(\d+\)$/ }).innerText()).match(/\d+/)![0]);
  if (path === "/failed-events") return Number((await page.getByRole("heading", { name: /^Failed \(\d+\)$/ }).innerText()).match(/\d+/)![0]);
  if (path === "/exceptions") return exceptionCount(page, href);
  return null;
}

/**
 * The exceptions queue opened at the tile's link: a kind's count is on its tab (the one marked current); a stage has
 * no tab of its own, so its count is the rows listed (stuck orders stand alone, one row each).
 */
async function exceptionCount(page: Page, href: string): Promise<number> {
  await expect(page.getByRole("navigation", { name: "Kinds of exception" })).toBeVisible();
  if (new URL(href, "http://x").searchParams.get("stage")) {
    const table = page.getByRole("table");
    return (await table.count()) ? table.locator("tbody tr").count() : 0;
  }
  return Number(await page.getByRole("navigation", { name: "Kinds of exception" }).locator('[aria-current="page"] span').innerText());
}

test("each tile's number is the count on the list it links to", async ({ page, request }) => {
  const account = uniqueName("overview");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const [warehouse] = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
  const stocked = uniqueName("BOX").toUpperCase();
  const missing = uniqueName("GONE").toUpperCase();
  expect((await partner.post("/v1/sandbox/inventory", { sku: stocked, warehouse_id: warehouse.id, on_hand: 10 })).status()).toBeLessThan(300);
  expect((await partner.post("/v1/sandbox/inventory", { sku: missing, warehouse_id: warehouse.id, on_hand: 0 })).status()).toBeLessThan(300);
  const order = async (sku: string, at?: string) => {
    const reference = uniqueName("ov");
    return expectStatus(
      await partner.post("/v1/orders", {
        order_number: `SO-${reference}`.toUpperCase(),
        reference,
        ...(at ? { warehouse_id: at } : {}),
        ship_to: { name: "Ada Lovelace", address1: "12 Analytical St", city: "Sydney", state: "NSW", postcode: "2000", country: "AU" },
        items: [{ sku, quantity: 1 }],
      }),
      201,
    );
  };
  const waiting = await order(stocked, warehouse.id as string);
  await order(stocked, warehouse.id as string);
  const held = [await order(missing), await order(missing)];
  // One order waiting 5 h to be picked and the held ones an hour unreleased: stuck at two stages once the detector looks.
  await ageOrderStage(waiting.id as string, 5);
  for (const h of held) await ageOrderStage(h.id as string, 1);
  expect(await detectStuckOrdersOf(account)).toMatchObject({ raised: 3 });

  await signIn(page, await createDashboardUser("ops"));
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const tiles = await page.locator("li[data-tile]").evaluateAll((items) =>
    items.map((li) => ({
      href: li.getAttribute("data-tile")!,
      title: li.querySelector("h3")?.textContent ?? "",
      count: Number(li.querySelector("[data-testid=tile-count]")?.textContent),
    })),
  );
  const warehouseTile = tiles.find((t) => t.href.includes(`warehouse=${warehouse.id}`));
  expect(warehouseTile, "the warehouse's tile").toBeDefined();
  expect(warehouseTile!.count).toBeGreaterThanOrEqual(2);
  const heldKinds = new Set(held.map((h) => h.status));
  expect([...heldKinds]).toEqual(["on_hold"]);
  expect(tiles.some((t) => t.href.startsWith("/exceptions?kind=")), "an exceptions tile").toBe(true);

  const checked: string[] = [];
  for (const tile of tiles) {
    const listed = await listCount(page, tile.href);
    if (listed === null) continue;
    expect(listed, `${tile.title} → ${tile.href}`).toBe(tile.count);
    checked.push(tile.href);
  }
  expect(checked).toContain(warehouseTile!.href);
  expect(checked).toEqual(expect.arrayContaining(["/exceptions?kind=no_eligible_warehouse", "/exceptions?kind=stuck_order&stage=not_picked", "/exceptions?kind=stuck_order&stage=not_released"]));
});

test("the overview's JSON answers only a signed-in user, with the tiles of that user's role", async ({ page, playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  const refused = await anonymous.get("/api/dashboard/overview", { maxRedirects: 0 });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });
  await anonymous.dispose();

  await signIn(page, await createDashboardUser("support"));
  const support = await page.request.get("/api/dashboard/overview");
  expect(support.status()).toBe(200);
  expect(support.headers()["cache-control"]).toContain("no-store");
  const body = await support.json();
  expect(body).toMatchObject({ warehouses: null, sync: null });
  expect(Array.isArray(body.exceptions)).toBe(true);
  expect(Array.isArray(body.stuck)).toBe(true);
});

test("a warehouse lead sees the warehouses and the floor's tiles, and the page keeps itself current", async ({ page }) => {
  await signIn(page, await createDashboardUser("warehouse"));
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Warehouses today" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Open exceptions" })).toHaveCount(0);
  // Of the sync headlines, only the warehouses' own failed reports.
  await expect(page.getByRole("link", { name: "Failed warehouse events" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Shopify push" })).toHaveCount(0);
  const refreshed = page.waitForResponse((r) => r.url().endsWith("/api/dashboard/overview") && r.status() === 200, { timeout: 30_000 });
  await refreshed;
});
