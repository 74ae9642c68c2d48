// SQL Server Browser: the datagrams of [MC-SQLR], and tedious resolving `instanceName` through it.
import sql from 'mssql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowser, browserResponse, type BrowserEntry, type BrowserHandle } from './browser';
import { startTestInstance, SA_PASSWORD } from './tds-test-helpers';
import type { TdsServer } from './server';

const entries: BrowserEntry[] = [
  {
    address: '127.0.0.1',
    serverName: 'SQL01\\PCHAT',
    port: 14331,
    version: 'Microsoft SQL Server 2019 - 15.0.4322.2',
  },
];

describe('browserResponse', () => {
  it('answers CLNT_UCAST_EX with SVR_RESP listing the instances', () => {
    const r = browserResponse(Buffer.from([0x03]), entries) as Buffer;
    expect(r[0]).toBe(0x05);
    const text = r.subarray(3).toString('latin1');
    expect(r.readUInt16LE(1)).toBe(text.length);
    expect(text).toBe('ServerName;SQL01;InstanceName;PCHAT;IsClustered;No;Version;15.0.4322.2;tcp;14331;;');
  });

  it('answers CLNT_UCAST_INST for a known instance name only', () => {
    expect(browserResponse(Buffer.from('\x04pchat\0', 'latin1'), entries)?.subarray(3).toString()).toContain(
      'tcp;14331',
    );
    expect(browserResponse(Buffer.from('\x04OTHER\0', 'latin1'), entries)).toBeUndefined();
    expect(browserResponse(Buffer.from([0x0f, 0x01]), entries)).toBeUndefined();
  });
});

describe('tedious instanceName lookup through the lab browser', () => {
  let browser: BrowserHandle;
  let server: TdsServer;
  let port: number;
  beforeAll(async () => {
    ({ server, port } = await startTestInstance('SQL02\\PCHAT', { extraHosts: ['127.0.0.2'] }));
    browser = await startBrowser([
      { address: '127.0.0.2', serverName: 'SQL02\\PCHAT', port, version: '15.0.4322.2' },
    ]);
  });
  afterAll(async () => {
    await browser.stop();
    await server.stop();
  });

  it('resolves PCHAT on the address that stands for host SQL02', async (ctx) => {
    // UDP 1434 may be held by a running lab on this machine: then there is nothing to test here.
    if (browser.bound.length === 0) ctx.skip();
    const pool = new sql.ConnectionPool({
      server: '127.0.0.2',
      user: 'sa',
      password: SA_PASSWORD,
      options: { instanceName: 'PCHAT', encrypt: true, trustServerCertificate: true },
      pool: { max: 1 },
    });
    await pool.connect();
    try {
      const r = await pool.request().query('SELECT @@SERVERNAME AS name');
      expect(r.recordset).toEqual([{ name: 'SQL02\\PCHAT' }]);
    } finally {
      await pool.close();
    }
  });
});
