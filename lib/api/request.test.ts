import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { DRAIN_BYTES, findUnstorable, MAX_BODY_BYTES, parseBody, parseQuery, readBodyBytes, unstorable } from "./request";
import { isoDate, isoDateTime, z } from "./zod";

const post = (body: BodyInit, type = "application/json") => new Request("http://hub.test/v1/x", { method: "POST", headers: { "content-type": type }, body });

async function refusal(promise: Promise<unknown>): Promise<Pick<ApiError, "code" | "field" | "message">> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  const { code, field, message } = error as ApiError;
  return { code, field, message };
}

describe("unstorable strings", () => {
  it("are those with NUL or half a surrogate pair; whole pairs, other controls and U+FFFD itself are not its business", () => {
    expect(unstorable("a\u0000b")).toMatch(/NUL/);
    expect(unstorable("\ud800")).toMatch(/unpaired/);
    expect(unstorable("x\udc00")).toMatch(/unpaired/);
    expect(unstorable("\ud83d\ude00 ok")).toBeNull();
    expect(unstorable("tab\tand \ufffd")).toBeNull();
  });

  it("are found anywhere in a JSON value with their path, keys named by their parent, the first in document order", () => {
    expect(findUnstorable({ a: [1, { b: "ok" }, { c: "\ud800" }], d: "\u0000" })).toEqual({ field: "a[2].c", message: expect.stringContaining("a[2].c must not contain") });
    expect(findUnstorable({ ship_to: { ["bad\u0000"]: 1 } })).toEqual({ field: "ship_to", message: expect.stringContaining("Field names in ship_to") });
    expect(findUnstorable(["\u0000"])).toMatchObject({ field: "[0]" });
    expect(findUnstorable("\u0000")).toMatchObject({ field: undefined, message: expect.stringContaining("The body") });
    expect(findUnstorable({ a: [null, 1, true, "fine"] })).toBeNull();
  });

  it("a body nested a hundred thousand levels deep is walked without overflowing the stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorable(deep)).toMatchObject({ field: expect.stringMatching(/^(\[0\]){100000}$/) });
  });
});

describe("JSON bodies", () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()).optional() });

  it("a \\u escape of NUL or of half a pair → 422 validation_error naming the field; valid escapes pass", async () => {
    expect(await refusal(parseBody(post('{"name":"a\\u0000"}'), schema))).toMatchObject({ code: "validation_error", field: "name" });
    expect(await refusal(parseBody(post('{"name":"ok","tags":["x","\\udfff"]}'), schema))).toMatchObject({ code: "validation_error", field: "tags[1]" });
    expect(await parseBody(post('{"name":"\\u00e9\\ud83d\\ude00"}'), schema)).toEqual({ name: "é😀" });
  });

  it("bytes that are not UTF-8 (an encoded surrogate, a stray byte, a cut sequence) → 400 invalid_json", async () => {
    for (const bad of [[0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82]]) {
      const bytes = new Uint8Array([...Buffer.from('{"name":"'), ...bad, ...Buffer.from('"}')]);
      expect(await refusal(parseBody(post(bytes), schema))).toMatchObject({ code: "invalid_json" });
    }
  });
});

describe("query parameters", () => {
  const schema = z.object({ sku: z.string().optional(), q: z.string().optional() });
  const query = (search: string) => parseQuery(new URL(`http://hub.test/v1/x?${search}`), schema);
  const refused = (search: string) => {
    try {
      query(search);
    } catch (error) {
      return { code: (error as ApiError).code, field: (error as ApiError).field };
    }
    return null;
  };

  it("are decoded as URLSearchParams decodes them", () => {
    expect(query("sku=A+B&q=100%")).toEqual({ sku: "A B", q: "100%" });
    expect(query("sku=%E2%82%AC%2B&&q=")).toEqual({ sku: "€+", q: "" });
    expect(query("sku")).toEqual({ sku: "" });
  });

  it("but NUL and escapes that are not UTF-8 are refused naming the parameter, where URLSearchParams would answer U+FFFD", () => {
    // %EF%BF%BD is U+FFFD itself: what Next leaves of such escapes before a route sees the query.
    for (const search of ["sku=%00", "sku=a%00", "sku=%FF", "sku=%ED%A0%80", "sku=%C0%80", "sku=%E2%82", "sku=%EF%BF%BD"]) {
      expect(refused(search), search).toEqual({ code: "invalid_parameter", field: "sku" });
    }
    expect(refused("%FF=1")).toEqual({ code: "invalid_parameter", field: "%FF" });
  });
});

describe("dates", () => {
  it("instants from 0001-01-01 to 9999-12-31 UTC, whatever the offset; no year 0, no year 10000", () => {
    for (const ok of ["0001-01-01T00:00:00Z", "2026-07-02T09:15:00+10:00", "9999-12-31T23:59:59.999Z", "0001-01-01T00:30:00-01:00"]) {
      expect(isoDateTime.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ["0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00", "9999-12-31T23:59:59-01:00"]) {
      const result = isoDateTime.safeParse(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0].message).toContain("between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
    }
    expect(isoDate.safeParse("0001-01-01").success).toBe(true);
    expect(isoDate.safeParse("0000-06-30").success).toBe(false);
  });
});

describe("the one body reader", () => {
  const CHUNK = 64 * 1024;
  /** A chunked upload of `total` bytes that counts what was pulled from it. */
  function upload(total: number) {
    const pulled = { bytes: 0 };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.bytes >= total) return controller.close();
        pulled.bytes += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
      },
    });
    const request = new Request("http://hub.test/x", { method: "POST", headers: { "transfer-encoding": "chunked" }, body, duplex: "half" } as RequestInit);
    return { request, pulled };
  }

  it("stops a 50 MB chunked body at the caller's limit: 413, never read whole (past the limit, at most DRAIN_BYTES are thrown away)", async () => {
    const limit = 10 * 1024 * 1024;
    const { request, pulled } = upload(50 * 1024 * 1024);
    expect(await refusal(readBodyBytes(request, limit))).toMatchObject({ code: "payload_too_large", message: `Request bodies are limited to ${limit} bytes.` });
    expect(pulled.bytes).toBeLessThanOrEqual(limit + DRAIN_BYTES + 3 * CHUNK);
  });

  it("the limit is the caller's: 2 MiB passes a 10 MiB reader and is refused by the API's 1 MiB default", async () => {
    expect((await readBodyBytes(upload(2 * 1024 * 1024).request, 10 * 1024 * 1024)).byteLength).toBe(2 * 1024 * 1024);
    expect(await refusal(readBodyBytes(upload(2 * 1024 * 1024).request))).toMatchObject({ code: "payload_too_large", message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.` });
  });
});
