import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * A CPU quota for one process, through the kernel's cpu cgroup controller (v1 `cpu.cfs_quota_us`, or v2 `cpu.max`).
 *
 * Why the benchmark needs it: on two cores shared by the load generator, PostgreSQL and Node, one uncapped app
 * process already keeps the machine busy, so a second process has no core to add and "does it scale out?" cannot
 * be answered. Capping every app process to the same fraction of a core leaves the rest of the machine idle enough
 * that a second process can only be held back by the app itself (a lock, a shared counter, a serialised queue).
 */
export class CpuCap {
  private constructor(
    private readonly dir: string,
    private readonly root: string,
    private readonly pids: number[] = [],
  ) {}

  /** Where a new cgroup with a cpu quota can be made, or null (no controller, or no permission). */
  private static base(): { root: string; version: 1 | 2 } | null {
    const v1 = "/sys/fs/cgroup/cpu";
    if (existsSync(path.join(v1, "cpu.cfs_quota_us"))) return { root: v1, version: 1 };
    const v2 = "/sys/fs/cgroup";
    const controllers = path.join(v2, "cgroup.controllers");
    if (existsSync(controllers) && readFileSync(controllers, "utf8").split(/\s+/).includes("cpu")) return { root: v2, version: 2 };
    return null;
  }

  /** Caps the processes at `percent` of one core each (one cgroup per process), or returns null when this machine cannot. */
  static create(name: string, percent: number): CpuCap | null {
    const base = CpuCap.base();
    if (!base) return null;
    const dir = path.join(base.root, `hub-bench-${name}`);
    try {
      if (!existsSync(dir)) mkdirSync(dir);
      const periodUs = 100_000;
      const quotaUs = Math.round((percent / 100) * periodUs);
      if (base.version === 1) {
        writeFileSync(path.join(dir, "cpu.cfs_period_us"), String(periodUs));
        writeFileSync(path.join(dir, "cpu.cfs_quota_us"), String(quotaUs));
      } else {
        writeFileSync(path.join(dir, "cpu.max"), `${quotaUs} ${periodUs}`);
      }
      return new CpuCap(dir, base.root);
    } catch {
      return null;
    }
  }

  /** Moves a process (all its threads, and the children it starts later) under the cap. */
  add(pid: number): void {
    writeFileSync(path.join(this.dir, "cgroup.procs"), String(pid));
    this.pids.push(pid);
  }

  /** Gives the processes their whole CPU back and removes the cgroup. */
  remove(): void {
    for (const pid of this.pids) {
      try {
        writeFileSync(path.join(this.root, "cgroup.procs"), String(pid));
      } catch {
        // the process has ended
      }
    }
    try {
      rmdirSync(this.dir);
    } catch {
      // still in use by a process that is ending: the kernel frees it with the last one
    }
  }
}
