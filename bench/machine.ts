/** The machine a benchmark ran on: printed with the table and stored in the JSON, so figures are never quoted without it. */
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started (the machine may be shared). */
  loadAverageAtStart: number;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
    loadAverageAtStart: Number(loadavg()[0].toFixed(2)),
  };
}

/** One line for humans: `AMD EPYC, 2 cores, 24 GB, Node v20.20.2, Linux 6.x (load 1.2 at start)`. */
export function describeMachine(machine: MachineInfo): string {
  return (
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.os} (1-min load average ` +
    `${machine.loadAverageAtStart} at start)`
  );
}
