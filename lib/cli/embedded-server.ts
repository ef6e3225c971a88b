import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";

/** What the running app writes to DATA_DIR/server.json so CLI commands can reach its embedded database. */
export type EmbeddedServerInfo = { pid: number; host: string; port: number; startedAt: string };

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
/** A client that holds the database but says nothing for this long is cut off, so a hung command cannot stall the app. */
const IDLE_MS = 30_000;
/** And no client holds it longer than this at all: commands take seconds; anything longer is not a command. */
const MAX_HOLD_MS = 5 * 60_000;

export function serverInfoPath(dataDir: string): string {
  return path.join(dataDir, "server.json");
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The server.json of DATA_DIR when it names a process that is still alive; null when absent or stale. */
export function readLiveServerInfo(dataDir: string): EmbeddedServerInfo | null {
  let info: EmbeddedServerInfo;
  try {
    info = JSON.parse(readFileSync(serverInfoPath(dataDir), "utf8")) as EmbeddedServerInfo;
  } catch {
    return null;
  }
  if (!Number.isInteger(info.pid) || !Number.isInteger(info.port) || !isProcessAlive(info.pid)) return null;
  return info;
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, "utf8");
  const message = Buffer.alloc(5 + body.length);
  message.write("Q", 0, "ascii");
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}

/**
 * Holds PGlite's transaction lock until released. Every query the app makes, inside a transaction or not, takes
 * that lock, so while a command-line client holds it the app waits, and no statement of one can land inside the
 * other's transaction (PGlite is a single session: interleaving would mix the two).
 */
function acquireDatabase(pglite: PGlite): Promise<() => void> {
  return new Promise((acquired) => {
    void pglite._runExclusiveTransaction(() => new Promise<void>((release) => acquired(release)));
  });
}

/**
 * Serves the app's PGlite over the PostgreSQL wire protocol on 127.0.0.1, one client at a time, each client
 * holding the database for the length of its connection (CLI commands are short). When a client leaves, an
 * open transaction is rolled back and its prepared statements dropped, so the next client (or the app) starts clean.
 */
export class EmbeddedDatabaseServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly pglite: PGlite,
    private readonly options: { host?: string; port: number },
  ) {}

  async start(): Promise<{ host: string; port: number }> {
    await this.pglite.waitReady;
    const host = this.options.host ?? "127.0.0.1";
    const server = createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("embedded database server has no TCP address");
    return { host, port: address.port };
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let started = false;
    let closed = false;
    let release: (() => void) | undefined;
    let holdTimer: NodeJS.Timeout | undefined;
    let chain: Promise<void> = acquireDatabase(this.pglite).then((r) => {
      if (closed) return r();
      release = r;
      holdTimer = setTimeout(() => socket.destroy(), MAX_HOLD_MS);
    });
    const idle = () => socket.destroy();
    let timer = setTimeout(idle, IDLE_MS);

    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      clearTimeout(holdTimer);
      this.sockets.delete(socket);
      chain = chain
        .then(async () => {
          if (!release) return;
          if (this.pglite.isInTransaction()) await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(simpleQuery("ROLLBACK")));
          await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(simpleQuery("DEALLOCATE ALL")));
        })
        .catch(() => undefined)
        .finally(() => release?.());
    };

    const handle = async (message: Buffer) => {
      if (closed || !release) return;
      const out = await this.pglite.runExclusive(() => this.pglite.execProtocolRaw(new Uint8Array(message)));
      if (out.length && socket.writable) socket.write(out);
    };

    socket.on("data", (chunk) => {
      clearTimeout(timer);
      timer = setTimeout(idle, IDLE_MS);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          // The first message has no type byte: SSLRequest, CancelRequest or the StartupMessage.
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          const code = buffer.readInt32BE(4);
          if (buffer.length < length) return;
          const message = Buffer.from(buffer.subarray(0, length));
          buffer = buffer.subarray(length);
          if (code === SSL_REQUEST) {
            socket.write("N");
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.end();
            return;
          }
          started = true;
          chain = chain.then(() => handle(message)).catch(() => void socket.destroy());
          continue;
        }
        if (buffer.length < 5) return;
        const length = 1 + buffer.readInt32BE(1);
        if (buffer.length < length) return;
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        if (message[0] === 0x58 /* Terminate */) {
          socket.end();
          return;
        }
        chain = chain.then(() => handle(message)).catch(() => void socket.destroy());
      }
    });
    socket.on("close", finish);
    socket.on("error", finish);
  }
}

/** Starts the server and records it in DATA_DIR/server.json; the record is removed when the process exits. */
export async function startEmbeddedServer(pglite: PGlite, dataDir: string, options: { host?: string; port: number }) {
  const server = new EmbeddedDatabaseServer(pglite, options);
  const { host, port } = await server.start();
  const file = serverInfoPath(dataDir);
  const info: EmbeddedServerInfo = { pid: process.pid, host, port, startedAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
  process.once("exit", () => {
    try {
      const current = JSON.parse(readFileSync(file, "utf8")) as EmbeddedServerInfo;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  });
  return { server, info };
}
