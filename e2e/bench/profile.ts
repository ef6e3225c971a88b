/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by package (or our own
 * code) and by function. `npx tsx e2e/bench/profile.ts <file.cpuprofile> [top]`
 */
import { readFileSync } from "node:fs";

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** Which package a script belongs to: node_modules/<pkg>, next's compiled vendor bundles, or our code. */
function owner(url: string): string {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:")) return "node internals";
  const compiled = /next\/dist\/compiled\/([^/]+)/.exec(url);
  if (compiled) return `next (compiled ${compiled[1]})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes("/.next/server/")) return "app bundle (.next/server)";
  return url.replace(/^file:\/\//, "");
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, "").replace(/^.*node_modules\//, "").replace(/^.*\/\.next\//, ".next/");
}

export function summarizeProfile(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => ["(idle)", "(program)"].includes(byId.get(id)?.callFrame.functionName ?? "")).reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, t] of self) {
    const frame = byId.get(id)!.callFrame;
    if (["(idle)", "(program)"].includes(frame.functionName)) continue;
    const o = frame.functionName === "(garbage collector)" ? "(garbage collector)" : owner(frame.url);
    byOwner.set(o, (byOwner.get(o) ?? 0) + t);
    const name = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + t);
  }
  const pct = (t: number) => ((t / Math.max(1, busy)) * 100).toFixed(1);
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, t]) => `| ${pct(t)} % | ${(t / 1000).toFixed(0)} ms | \`${k.replace(/\|/g, "\\|")}\` |`);
  return [
    `Profile ${file.split("/").pop()}: ${(total / 1e6).toFixed(1)}s sampled, ${(busy / 1e6).toFixed(1)}s on the CPU (${((busy / Math.max(1, total)) * 100).toFixed(0)} %).`,
    "",
    "| share of busy | self | package |",
    "|---:|---:|---|",
    ...rows(byOwner, 15),
    "",
    "| share of busy | self | function |",
    "|---:|---:|---|",
    ...rows(byFunction, top),
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  console.log(summarizeProfile(file, Number(top || 30)));
}
