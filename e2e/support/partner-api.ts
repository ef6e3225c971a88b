import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";

export type Json = Record<string, unknown>;

/** A partner as the API sees it: one key, every call authorized with it. */
export class Partner {
  constructor(
    readonly request: APIRequestContext,
    readonly key: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, ...extra };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<APIResponse> {
    return this.request.get(path, { headers: this.headers(headers) });
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<APIResponse> {
    return this.request.post(path, { headers: this.headers(headers), ...(body === undefined ? {} : { data: body }) });
  }

  /**
   * Places one order of a WIDGET-BLUE-M at the account's first warehouse, numbered after `reference`, and returns it
   * as created (201): the order a browser journey starts from. `fields` adds or overrides order fields.
   */
  async placeOrder(reference: string, fields: Record<string, unknown> = {}): Promise<Json> {
    const [warehouse] = (await expectStatus(await this.get("/v1/warehouses"), 200)).data as Json[];
    return expectStatus(
      await this.post("/v1/orders", {
        order_number: `SO-${reference}`.toUpperCase(),
        reference,
        warehouse_id: warehouse.id,
        ship_to: { name: "Grace Hopper", address1: "1 Cobol Way", city: "Hobart", state: "TAS", postcode: "7000", country: "AU" },
        items: [{ sku: "WIDGET-BLUE-M", quantity: 1 }],
        ...fields,
      }),
      201,
    );
  }

  /**
   * Sends bytes exactly as given (malformed JSON, wrong content type, oversized bodies). As a Buffer: Playwright
   * would JSON-encode a string sent with a JSON content type.
   */
  raw(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string> = {}): Promise<APIResponse> {
    const data = typeof body === "string" ? Buffer.from(body) : body;
    return this.request.fetch(path, { method, headers: this.headers(headers), ...(data === undefined ? {} : { data }) });
  }
}

/** Reads JSON after checking the status, printing the body when the status is not the one expected. */
export async function expectStatus(response: APIResponse, status: number): Promise<Json> {
  const text = await response.text();
  expect(response.status(), `${response.url()} answered ${response.status()}: ${text.slice(0, 500)}`).toBe(status);
  return text ? (JSON.parse(text) as Json) : {};
}

/**
 * The error envelope exactly: status, code, field (or no field), a human message, and the request id that is
 * also in the X-Request-Id header.
 */
export async function expectError(response: APIResponse, status: number, code: string, field?: string): Promise<Json> {
  const body = await expectStatus(response, status);
  const requestId = response.headers()["x-request-id"];
  expect(requestId, "every response carries X-Request-Id").toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(body).toEqual({
    error: expect.objectContaining({ code, message: expect.any(String), request_id: requestId }),
  });
  const error = body.error as Json;
  if (field === undefined) expect(error, "no field for this error").not.toHaveProperty("field");
  else expect(error.field).toBe(field);
  expect((error.message as string).length).toBeGreaterThan(0);
  return error;
}

/** Polls until check() returns a value (not undefined), for state that settles asynchronously. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
