import { ChildFailedError } from '../../bench/child-process';
import { runTimed } from '../../bench/synth-rebuild';

describe('bench/synth-rebuild: runTimed', () => {
  it('reports the wall time, the CPU time of the processes it waited for (grandchildren too) and their stderr', async () => {
    // node runs a shell that runs node burning 300 ms of user CPU: the CPU of the grandchild must count.
    const burn = `node -e "while (process.cpuUsage().user < 300000) {} console.error('burnt')"`;
    const run = await runTimed('sh', ['-c', burn], __dirname, {});
    expect(run.stderr).toContain('burnt');
    expect(run.ms).toBeGreaterThanOrEqual(300);
    expect(run.cpuMs).toBeGreaterThanOrEqual(290);
  });

  it('fails with ChildFailedError when the command fails', async () => {
    await expect(runTimed('sh', ['-c', 'echo broken >&2; exit 3'], __dirname, {})).rejects.toThrow(ChildFailedError);
  });
});
