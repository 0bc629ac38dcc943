import { cpus } from 'node:os';
import { describeMachine, machineInfo } from '../../bench/machine';

describe('bench/machine', () => {
  it('reports this machine: cpu model, cores, node version, load', () => {
    const machine = machineInfo();
    expect(machine.cores).toBe(cpus().length);
    expect(machine.cpuModel).toBe(cpus()[0].model.trim());
    expect(machine.node).toBe(process.version);
    expect(machine.loadAverageAtStart).toBeGreaterThanOrEqual(0);
  });

  it('describes it in one line', () => {
    const line = describeMachine({
      cpuModel: 'AMD EPYC',
      cores: 2,
      memoryGb: 24,
      os: 'Linux 6.1',
      node: 'v20.20.2',
      loadAverageAtStart: 1.5,
    });
    expect(line).toBe('AMD EPYC, 2 cores, 24 GB, Node v20.20.2, Linux 6.1 (1-min load average 1.5 at start)');
  });
});
