import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { expectStatus, Partner, type Json } from "../support/partner-api";
import { accountIdOf, ageOrderStage, detectStuckOrdersOf } from "../support/stuck-orders";
import { followNav, signIn } from "../support/ui";

/** Five orders of a fresh account, received and never picked, stuck for six hours (the default threshold is 4 h). */
async function fiveStuckOrders(partner: Partner, account: string) {
  const orders: { id: string; number: string }[] = [];
  for (let i = 0; i < 5; i++) {
    const order = await partner.placeOrder(uniqueName(`triage${i}`));
    orders.push({ id: order.id as string, number: order.order_number as string });
  }
  for (const order of orders) await ageOrderStage(order.id, 6);
  await detectStuckOrdersOf(account);
  return { orders, accountId: await accountIdOf(account) };
}

const rowOf = (page: Page, orderNumber: string) => page.getByRole("table", { name: "Open exceptions" }).getByRole("row").filter({ hasText: orderNumber });

async function timelineOf(page: Page, orderId: string) {
  await page.goto(`/orders/${orderId}`);
  return page.getByRole("region", { name: /^Timeline/ });
}

test("a warehouse manager filters the queue to stuck orders, assigns one, resolves one with a note, snoozes one, bulk-resolves two, and the orders' timelines say so", async ({ page, request }) => {
  const account = uniqueName("triage");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const { orders } = await fiveStuckOrders(partner, account);
  const [assigned, resolved, snoozed, bulkA, bulkB] = orders;
  const manager = await createDashboardUser("warehouse");

  await signIn(page, manager);
  await followNav(page, "Exceptions");
  await expect(page.getByRole("heading", { level: 1, name: "Exceptions" })).toBeVisible();

  await test.step("filter to this account's stuck orders", async () => {
    await page.getByRole("navigation", { name: "Kinds of exception" }).getByRole("link", { name: /^Stuck orders/ }).click();
    await expect(page).toHaveURL(/kind=stuck_order/);
    await page.getByLabel("Account").selectOption({ label: account });
    await page.getByLabel("Stuck stage").selectOption({ label: "not picked" });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/stage=not_picked/);
    for (const o of orders) await expect(rowOf(page, o.number)).toContainText(/Stuck: not picked for 6 h/);
    await expect(page.getByRole("link", { name: /^Stuck orders/ })).toContainText("5");
  });

  await test.step("assign one to self", async () => {
    await rowOf(page, assigned.number).getByRole("button", { name: `Assign to me: Stuck order on order ${assigned.number}` }).click();
    await expect(rowOf(page, assigned.number).getByRole("cell", { name: "You" })).toBeVisible();
  });

  await test.step("resolve one with a note", async () => {
    const row = rowOf(page, resolved.number);
    await row.getByText("Resolve…").click();
    await row.getByLabel("What was done").fill("Picker was off sick; picked now.");
    await row.getByRole("button", { name: "Mark resolved" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Resolved it." })).toBeVisible();
    await expect(rowOf(page, resolved.number)).toHaveCount(0);
  });

  await test.step("snooze one", async () => {
    const row = rowOf(page, snoozed.number);
    await row.getByText("Snooze…").click();
    await row.getByRole("button", { name: "Snooze", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Snoozed it until" })).toBeVisible();
    await expect(rowOf(page, snoozed.number)).toHaveCount(0);
  });

  await test.step("a snooze in the past is refused at its field", async () => {
    const row = rowOf(page, bulkA.number);
    await row.getByText("Snooze…").click();
    await row.getByLabel(/Back on/).fill("2020-01-01T09:00");
    await row.getByRole("button", { name: "Snooze", exact: true }).click();
    await expect(row.getByRole("alert")).toHaveText("Choose a time in the future.");
    await expect(row.getByLabel(/Back on/)).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("bulk-resolve two", async () => {
    await page.getByRole("checkbox", { name: `Select Stuck order on order ${bulkA.number}` }).check();
    await page.getByRole("checkbox", { name: `Select Stuck order on order ${bulkB.number}` }).check();
    await expect(page.getByText("2 selected.")).toBeVisible();
    await page.getByLabel("Resolution note").fill("Both picked in the afternoon wave.");
    await page.getByRole("button", { name: "Resolve selected" }).click();
    await expect(page.getByRole("region", { name: "Bulk actions" }).getByRole("status")).toContainText("2 of 2 done.");
    await expect(rowOf(page, bulkA.number)).toHaveCount(0);
    await expect(rowOf(page, bulkB.number)).toHaveCount(0);
    // Left: the one assigned to the manager.
    await expect(page.getByRole("table", { name: "Open exceptions" }).getByRole("row")).toHaveCount(2);
  });

  await test.step("the snoozed one is under Snoozed", async () => {
    await page.getByLabel("Snoozed").selectOption({ label: "Only snoozed" });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(rowOf(page, snoozed.number)).toContainText("Snoozed until");
  });

  await test.step("each order's timeline says what was done, and by whom", async () => {
    await expect(await timelineOf(page, assigned.id)).toContainText(`Exception assigned to ${manager.email} by ${manager.email}`);
    await expect(await timelineOf(page, resolved.id)).toContainText(`Exception resolved by ${manager.email}: stuck order — Picker was off sick; picked now.`);
    await expect(await timelineOf(page, snoozed.id)).toContainText(`Exception snoozed by ${manager.email} until`);
    for (const o of [bulkA, bulkB]) await expect(await timelineOf(page, o.id)).toContainText("Both picked in the afternoon wave.");
  });
});

test("ops send an order no warehouse could take to the warehouse they choose, and its timeline says so", async ({ page, request }) => {
  const account = uniqueName("held");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const [warehouse] = (await expectStatus(await partner.get("/v1/warehouses"), 200)).data as Json[];
  // A SKU with no stock anywhere: routing finds no warehouse and the order waits on hold.
  const sku = uniqueName("NOSTOCK").toUpperCase();
  await expectStatus(await partner.post("/v1/sandbox/inventory", { sku, warehouse_id: warehouse.id, on_hand: 0 }), 200);
  const held = await partner.placeOrder(uniqueName("held"), { warehouse_id: undefined, items: [{ sku, quantity: 1 }] });
  expect(held.status).toBe("on_hold");

  await signIn(page, await createDashboardUser("ops"));
  await page.goto(`/exceptions?account=${await accountIdOf(account)}&kind=no_eligible_warehouse`);
  const row = rowOf(page, held.order_number as string);
  await row.getByText("Send to a warehouse…").click();
  await row.getByLabel("Warehouse", { exact: true }).selectOption({ label: warehouse.name as string });
  await row.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Routed, backordered at its warehouse." })).toBeVisible();
  await expect(rowOf(page, held.order_number as string)).toHaveCount(0);
  await expect(await timelineOf(page, held.id as string)).toContainText(`Sent to ${warehouse.name as string} by`);
});

test("GET /api/dashboard/exceptions needs a session, answers the queue's filters as JSON, and a bad filter with the 400 envelope", async ({ page, playwright, baseURL }) => {
  const account = uniqueName("triage-api");
  const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { accept: "application/json" } });
  const partner = new Partner(anonymous, await issueKey({ account, env: "sandbox" }));
  const { orders, accountId } = await fiveStuckOrders(partner, account);

  const signedOut = await anonymous.get("/api/dashboard/exceptions");
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.json()).toEqual({ error: { code: "unauthorized", message: "Sign in again." } });
  await anonymous.dispose();

  await signIn(page, await createDashboardUser("support"));
  const answer = await page.request.get(`/api/dashboard/exceptions?kind=stuck_order&account=${accountId}&env=sandbox`);
  expect(answer.status()).toBe(200);
  const body = (await answer.json()) as { data: Json[]; counts: Record<string, number> };
  expect(body.counts).toEqual({ stuck_order: 5 });
  expect(body.data.map((r) => r.order_id).sort()).toEqual(orders.map((o) => o.id).sort());
  expect(body.data[0]).toMatchObject({
    kind: "stuck_order",
    stage: "not_picked",
    account_id: accountId,
    environment: "sandbox",
    assigned_to: null,
    snoozed_until: null,
    status: "open",
    age_seconds: expect.any(Number),
    opened_at: expect.any(String),
    order_number: expect.any(String),
    id: expect.stringMatching(/^exc_/),
  });

  const none = await page.request.get(`/api/dashboard/exceptions?account=${accountId}&assigned=me`);
  expect(((await none.json()) as { data: Json[] }).data).toEqual([]);

  for (const [query, field] of [
    ["env=mars", "env"],
    ["older_than=soon", "older_than"],
    ["stage=lost", "stage"],
    ["kind=DROP%20TABLE", "kind"],
  ] as const) {
    const bad = await page.request.get(`/api/dashboard/exceptions?${query}`);
    expect(bad.status(), query).toBe(400);
    expect(await bad.json(), query).toEqual({ error: { code: "invalid_parameter", message: expect.any(String), field } });
  }
});

test("the queue with rows, its forms open, has no axe violations at 1360 px and no horizontal overflow at 390 px", async ({ page, request }) => {
  const account = uniqueName("triage-a11y");
  const partner = new Partner(request, await issueKey({ account, env: "sandbox" }));
  const { orders, accountId } = await fiveStuckOrders(partner, account);
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await signIn(page, await createDashboardUser("ops"));
  await page.goto(`/exceptions?account=${accountId}`);
  const row = rowOf(page, orders[0].number);
  await row.getByText("Snooze…").click();
  await row.getByText("Resolve…").click();
  await page.getByRole("checkbox", { name: `Select Stuck order on order ${orders[1].number}` }).check();
  // Assigned to someone who is not a user: refused, and said under the bar (with the page's announcement).
  await page.getByLabel("Assign to", { exact: true }).fill("nobody-here@hub.test");
  await page.getByRole("button", { name: "Assign selected" }).click();
  await expect(page.getByRole("region", { name: "Bulk actions" }).getByRole("alert")).toHaveText("No active dashboard user has the e-mail nobody-here@hub.test.");
  await expect(rowOf(page, orders[1].number)).toContainText("Unassigned");
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/exceptions?account=${accountId}&kind=stuck_order`);
  await expect(rowOf(page, orders[0].number)).toBeVisible();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  // The filters are reachable from the keyboard: the order-number search first, Apply after the last filter.
  await page.getByLabel("Order number").focus();
  await page.keyboard.type(orders[2].number);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${orders[2].number}`));
  await expect(page.getByRole("table", { name: "Open exceptions" }).getByRole("row")).toHaveCount(2);
  expect(errors).toEqual([]);
});
