// The primary database's files, read from the primary as SSMS reads them before it scripts a restore that moves them:
// the Secondary page fills the plan with them, so the reviewed RESTORE names the real logical names.
import type { DatabaseFile, Server } from '@/lib/plan/schema';
import { databaseFilesSql } from '@/lib/sql/generate/initialise';
import type { SqlReader } from './status';

/** The database is not on the server: the plan names the wrong server or database, or Topology Builder has not run. */
export class DatabaseMissingError extends Error {
  constructor(
    readonly serverName: string,
    readonly database: string,
  ) {
    super(`${serverName} has no database ${database}: check the database name on the Topology page.`);
    this.name = 'DatabaseMissingError';
  }
}

/** Reads `database`'s data and log files on `server`; throws naming both when the database is not there. */
export async function readDatabaseFiles(
  sql: SqlReader,
  server: Server,
  database: string,
): Promise<DatabaseFile[]> {
  const rows = (await sql.read(server, databaseFilesSql(database)))[0] ?? [];
  if (rows.length === 0) throw new DatabaseMissingError(server.name, database);
  return rows.map((row) => ({
    logical: String(row.logical_name),
    type: row.type_desc === 'LOG' ? 'LOG' : 'ROWS',
    physicalName: String(row.physical_name),
  }));
}
