import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { evaluateStatus, type PoolStatus } from '@/lib/stages/status';
import { formatStatus } from './cli-status';

const plan = planSchema.parse(labPlan());
const pool: PoolStatus = {
  fqdn: 'pchat.lab.local',
  state: 'FailedOver',
  activeServers: ['FEDR01.lab.local'],
  inactiveServers: ['FE01.lab.local', 'FE02.lab.local'],
};

// No instance was read: only the pool block and the lines about it matter here.
const format = (p: PoolStatus) => formatStatus(evaluateStatus(plan, { instances: [], pool: p }));

describe('formatStatus', () => {
  it('prints the pool state and its servers after the verdict and reasons', () => {
    const text = format(pool);
    expect(text).toContain(
      '\n\npool pchat.lab.local\n  state             FailedOver\n  active servers    FEDR01.lab.local\n  inactive servers  FE01.lab.local, FE02.lab.local\n\n',
    );
    expect(text.split('\n')[1]).toBe(
      '  - The pool pchat.lab.local is failed over to the backup store SQLDR01\\PCHAT, without disaster recovery: run dr-failback once the primary data center is rebuilt.',
    );
  });

  it('prints an unknown pool with its error and a warning line, and servers as not read rather than none', () => {
    const text = format({
      ...pool,
      state: 'unknown',
      activeServers: [],
      inactiveServers: [],
      error: 'no module',
    });
    expect(text).toContain(
      '\n\npool pchat.lab.local\n  state             unknown\n  active servers    -\n  inactive servers  -\n  error             no module\n',
    );
    expect(text).toContain(
      '\n  warning: The state of the pool pchat.lab.local could not be read, so this verdict judges SQL Server only: no module\n',
    );
    expect(format({ ...pool, state: 'Normal', activeServers: [] })).toContain('\n  active servers    none\n');
  });
});
