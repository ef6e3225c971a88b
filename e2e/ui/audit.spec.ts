import { expect, test, type Page } from "@playwright/test";
import { createDashboardUser, issueKey, uniqueName } from "../support/cli";
import { followNav, signIn } from "../support/ui";

/** Opens the routing page from the main navigation and switches it to the account. */
async function openRoutingFor(page: Page, account: string) {
  await followNav(page, "Routing");
  await expect(page.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();
  await page.getByLabel("Account", { exact: true }).selectOption({ label: account });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("heading", { level: 2, name: new RegExp(account) })).toBeVisible();
}

test("a rule created in the dashboard is in the audit log, linked to it, and in the CSV export; nobody signed out gets the export", async ({ page, playwright, baseURL }) => {
  const account = uniqueName("audit");
  await issueKey({ account, env: "sandbox" });
  const ops = await createDashboardUser("ops");
  await signIn(page, ops);
  const name = `Audited ${account}`;

  await test.step("ops creates a routing rule", async () => {
    await openRoutingFor(page, account);
    const create = page.getByRole("form", { name: "New routing rule" });
    await create.getByLabel("Rule name").fill(name);
    await create.getByLabel("Destination countries").fill("AU");
    await create.getByLabel("1st choice warehouse").selectOption({ label: "Sydney DC" });
    await create.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByRole("table", { name: "Routing rules" }).getByRole("row", { name: new RegExp(name) })).toBeVisible();
  });

  await test.step("the audit log shows who created it, with what, filtered by who and what", async () => {
    await followNav(page, "Audit log");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await page.getByLabel("Who").fill(ops.email);
    await page.getByLabel("What").selectOption({ label: "Routing rule" });
    await page.getByRole("button", { name: "Filter" }).click();
    const rows = page.getByRole("table", { name: "Audit log, newest first" }).getByRole("row").filter({ hasText: name });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(ops.email);
    await expect(rows).toContainText("created");
    await expect(rows).toContainText("AU");
    await rows.getByRole("link", { name: "Routing rule" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Routing" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Routing rules" }).getByRole("row", { name: new RegExp(name) })).toBeVisible();
  });

  await test.step("an impossible date range is refused on its field", async () => {
    await page.goto("/audit?from=2026-12-08&to=2026-12-01");
    await expect(page.getByRole("alert").filter({ hasText: "The end date is before the start date." })).toBeVisible();
    await expect(page.getByLabel("To (day, included)")).toHaveAttribute("aria-invalid", "true");
  });

  await test.step("the export is the filtered rows as CSV, for a signed-in user only", async () => {
    const csv = await page.request.get(`/audit/export?actor=${encodeURIComponent(ops.email)}&entity=routing_rule`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("occurred_at,actor,actor_role,source,entity_type,entity_id,action,account_id,environment,before,after");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${ops.email},ops,dashboard,routing_rule,`);
    expect(lines[1]).toContain(name);

    const anonymous = await playwright.request.newContext({ baseURL });
    const denied = await anonymous.get("/audit/export", { maxRedirects: 0 });
    expect([401, 302, 303, 307]).toContain(denied.status());
    expect(await denied.text()).not.toContain("occurred_at");
    await anonymous.dispose();
  });
});
