import { describe, expect, it } from 'vitest';
import { emptyPlan, labPlan } from '@/lib/plan/defaults';
import { draftPrimary, passwordPrincipal, readPrimaryFilesSchema } from './read-files';

describe('draftPrimary', () => {
  it('gives the primary store and database of a draft whose topology is filled in', () => {
    const found = draftPrimary(labPlan());
    expect(found).toMatchObject({
      ok: true,
      database: 'mgc',
      server: { name: 'SQL01\\PCHAT', connect: { host: '127.0.0.1', port: 14331 }, auth: { mode: 'sql' } },
    });
  });

  it('refuses an empty plan, naming the primary field the Topology page still needs', () => {
    const found = draftPrimary(emptyPlan());
    expect(found.ok).toBe(false);
    if (!found.ok) {
      expect(found.field).toBe('servers.primary.name');
      expect(found.message).toMatch(/SQL Server name is required/);
    }
  });

  it('takes the plan default database when the draft has none, and refuses a bad one', () => {
    const { database: _omit, ...withoutDatabase } = labPlan();
    expect(draftPrimary(withoutDatabase)).toMatchObject({ ok: true, database: 'mgc' });
    expect(draftPrimary({ ...labPlan(), database: 'a/b' })).toMatchObject({ ok: false, field: 'database' });
  });

  it('survives drafts that are not objects', () => {
    for (const draft of [null, undefined, 'plan', 42, { servers: null }])
      expect(draftPrimary(draft)).toMatchObject({ ok: false, field: 'servers.primary' });
  });
});

describe('passwordPrincipal', () => {
  it('names the login that needs a password, and none for integrated authentication', () => {
    expect(passwordPrincipal({ mode: 'sql', login: 'sa' })).toBe('sa');
    expect(passwordPrincipal({ mode: 'windows-ntlm', domain: 'CONTOSO', user: 'dba' })).toBe('CONTOSO\\dba');
    expect(passwordPrincipal({ mode: 'windows-integrated' })).toBeUndefined();
  });
});

describe('readPrimaryFilesSchema', () => {
  it('takes a plan id and an optional password, refusing an empty one', () => {
    expect(readPrimaryFilesSchema.safeParse({ planId: 'p1' }).success).toBe(true);
    expect(readPrimaryFilesSchema.safeParse({ planId: 'p1', password: 'x' }).success).toBe(true);
    expect(readPrimaryFilesSchema.safeParse({ planId: 'p1', password: '' }).success).toBe(false);
    expect(readPrimaryFilesSchema.safeParse({ planId: '' }).success).toBe(false);
  });
});
