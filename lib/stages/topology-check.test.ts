import { describe, expect, it } from 'vitest';
import { labPlan } from '@/lib/plan/defaults';
import { planSchema } from '@/lib/plan/schema';
import { compareTopology } from './topology-check';

const plan = planSchema.parse(labPlan());
const pool = {
  Identity: 'PersistentChatServer:pchat.lab.local',
  PoolFqdn: 'pchat.lab.local',
  PersistentChatDatabase: 'PersistentChatStore:SQL01.lab.local',
  MirrorPersistentChatDatabase: 'PersistentChatStore:SQL02.lab.local',
  BackupPersistentChatDatabase: 'PersistentChatStore:SQLDR01.lab.local',
  BackupMirrorPersistentChatDatabase: 'PersistentChatStore:SQLDR02.lab.local',
};
const stores = ['SQL01', 'SQL02', 'SQLDR01', 'SQLDR02'].map((h) => ({
  Identity: `PersistentChatStore:${h}.lab.local`,
  SqlInstanceName: 'PCHAT',
}));
const outputs = (p: object) =>
  new Map([
    ['persistent-chat-pool', [JSON.stringify([p])]],
    ['persistent-chat-stores', [JSON.stringify(stores)]],
  ]);

describe('compareTopology', () => {
  it('matches the plan when the published stores hold the same servers in the same roles', () => {
    const { found, comparisons } = compareTopology(plan, outputs(pool));
    expect(found).toBe(true);
    expect(comparisons.map((c) => [c.role, c.published, c.matches])).toEqual([
      ['primary', 'SQL01\\PCHAT', true],
      ['primaryMirror', 'SQL02\\PCHAT', true],
      ['backup', 'SQLDR01\\PCHAT', true],
      ['backupMirror', 'SQLDR02\\PCHAT', true],
    ]);
  });

  it('names the roles whose published store differs from the plan', () => {
    const swapped = {
      ...pool,
      BackupPersistentChatDatabase: pool.BackupMirrorPersistentChatDatabase,
      BackupMirrorPersistentChatDatabase: pool.BackupPersistentChatDatabase,
    };
    const wrong = compareTopology(plan, outputs(swapped)).comparisons.filter((c) => !c.matches);
    expect(wrong.map((c) => [c.role, c.planned, c.published])).toEqual([
      ['backup', 'SQLDR01\\PCHAT', 'SQLDR02\\PCHAT'],
      ['backupMirror', 'SQLDR02\\PCHAT', 'SQLDR01\\PCHAT'],
    ]);
  });

  it('says when the pool is not in the topology', () => {
    expect(compareTopology(plan, outputs({ ...pool, PoolFqdn: 'other.lab.local' })).found).toBe(false);
  });
});
