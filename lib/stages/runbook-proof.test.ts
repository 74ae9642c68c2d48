import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import type { SqlRow } from '@/lib/sql/execute';
import { proveRunbook, survivalSentence, survivingData } from './runbook-proof';

const plan = planSchema.parse(labPlan());

const principal = (name: string): SqlRow => ({
  name,
  state_desc: 'ONLINE',
  mirroring_role_desc: 'PRINCIPAL',
  mirroring_state_desc: 'SYNCHRONIZED',
});

function readings(over: { rows?: SqlRow[]; state?: string; active?: string[]; survived?: SqlRow } = {}) {
  const results = new Map<string, SqlRow[][]>([
    ['mirrored-state', [over.rows ?? [principal('mgc'), principal('mgccomp')]]],
    [
      'surviving-data',
      [
        [
          over.survived ?? {
            restored_file: 'D:\\LSCopy\\mgc_20261126171500.trn',
            last_lsn: 34000000021000000n,
            backup_taken: new Date('2026-11-26T17:15:00Z'),
            backed_up_on: 'SQL01\\PCHAT',
          },
        ],
      ],
    ],
  ]);
  const outputs = new Map<string, string[]>([
    ['persistent-chat-state', [JSON.stringify([{ Identity: 'x', PoolState: over.state ?? 'FailedOver' }])]],
    [
      'active-servers',
      [JSON.stringify([{ Identity: 'x', ActiveServers: over.active ?? ['fedr01.lab.local'] }])],
    ],
  ]);
  return { results, outputs };
}

describe('the DR failover proof', () => {
  it('passes when the backup store is a synchronised principal, the pool FailedOver and the backup servers active', () => {
    const { results, outputs } = readings();
    const proof = proveRunbook(plan, 'dr-failover', results, outputs);
    expect(proof.ok).toBe(true);
    expect(proof.message).toContain('Data that survived: everything committed before 2026-11-26T17:15:00Z');
    expect(proof.message).toContain('mgccomp is not failed over');
  });

  it('names each thing that is not as the runbook left it', () => {
    const { results, outputs } = readings({
      rows: [{ ...principal('mgc'), mirroring_state_desc: 'SUSPENDED' }],
      state: 'Normal',
      active: ['FE01.lab.local'],
    });
    const proof = proveRunbook(plan, 'dr-failover', results, outputs);
    expect(proof.ok).toBe(false);
    expect(proof.message).toContain(
      'mgc on SQLDR01\\PCHAT is PRINCIPAL (SUSPENDED), not a synchronised principal.',
    );
    expect(proof.message).toContain('mgccomp does not exist on SQLDR01\\PCHAT.');
    expect(proof.message).toContain('reports the pool Normal, not FailedOver');
    expect(proof.message).toContain('The active servers are FE01.lab.local, not FEDR01.lab.local.');
  });

  it('says nothing was lost only when the tail was taken', () => {
    const data = survivingData(readings().results);
    expect(survivalSentence({ ...plan, dr: { ...plan.dr, primaryReachable: true } }, data)).toMatch(
      /^Nothing committed was lost: the last log restored is D:\\LSCopy\\mgc_20261126171500.trn \(LSN 34000000021000000/,
    );
    expect(survivalSentence(plan, data)).toMatch(
      /Anything committed on the primary data center after it is lost\.$/,
    );
    expect(survivalSentence(plan, undefined)).toBe('No restore of mgc is recorded on the backup store.');
  });
});

describe('the DR failback proof', () => {
  it('wants the pool Normal, the primary servers active and the primary store principal', () => {
    const { results, outputs } = readings({ state: 'Normal', active: ['FE02.lab.local', 'FE01.lab.local'] });
    expect(proveRunbook(plan, 'dr-failback', results, outputs)).toMatchObject({
      ok: true,
      message: /Next, set log shipping up again/,
    });
    const wrong = readings({ state: 'FailedOver', active: ['FE01.lab.local', 'FE02.lab.local'] });
    expect(proveRunbook(plan, 'dr-failback', wrong.results, wrong.outputs)).toMatchObject({
      ok: false,
      message: /reports the pool FailedOver, not Normal/,
    });
  });
});
