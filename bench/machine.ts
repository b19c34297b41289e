/** A one-line description of the machine and runtime, printed with every benchmark result. */
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";

/** Cores, CPU model, memory, Node version and the load average when the benchmark started. */
export function describeMachine(): string {
  const model = cpuModel() ?? cpus()[0]?.model ?? "unknown CPU";
  const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `${cpus().length} cores, ${model}, ${memory}, Node ${process.version} (${process.platform}-${process.arch}), load average ${load}`;
}

function cpuModel(): string | undefined {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":")[1]?.trim();
  } catch {
    return undefined;
  }
}
