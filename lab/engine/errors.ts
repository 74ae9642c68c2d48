// One table of the SQL Server messages the lab raises: number -> severity, default state and text (sys.messages format).
import type { LabMessage } from './contract';

interface MessageDef {
  severity: number;
  state: number;
  text: string;
}

export const MESSAGES: Record<number, MessageDef> = {
  102: { severity: 15, state: 1, text: "Incorrect syntax near '%s'." },
  105: { severity: 15, state: 1, text: "Unclosed quotation mark after the character string '%s'." },
  113: { severity: 15, state: 1, text: "Missing end comment mark '*/'." },
  134: {
    severity: 15,
    state: 1,
    text: "The variable name '%s' has already been declared. Variable names must be unique within a query batch or stored procedure.",
  },
  137: { severity: 15, state: 2, text: 'Must declare the scalar variable "%s".' },
  156: { severity: 15, state: 1, text: "Incorrect syntax near the keyword '%s'." },
  195: { severity: 15, state: 10, text: "'%s' is not a recognized built-in function name." },
  107: {
    severity: 15,
    state: 1,
    text: "The column prefix '%s' does not match with a table name or alias name used in the query.",
  },
  141: {
    severity: 15,
    state: 1,
    text: 'A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.',
  },
  147: {
    severity: 15,
    state: 1,
    text: 'An aggregate may not appear in the WHERE clause unless it is in a subquery contained in a HAVING clause or a select list, and the column being aggregated is an outer reference.',
  },
  174: { severity: 15, state: 1, text: 'The %s function requires %d argument(s).' },
  263: { severity: 16, state: 1, text: 'Must specify table to select from.' },
  512: {
    severity: 16,
    state: 1,
    text: 'Subquery returned more than 1 value. This is not permitted when the subquery follows =, !=, <, <= , >, >= or when the subquery is used as an expression.',
  },
  4104: { severity: 16, state: 1, text: 'The multi-part identifier "%s" could not be bound.' },
  4145: {
    severity: 15,
    state: 1,
    text: "An expression of non-boolean type specified in a context where a condition is expected, near '%s'.",
  },
  10704: {
    severity: 15,
    state: 1,
    text: 'To rethrow an error, a THROW statement must be used inside a CATCH block. Insert the THROW statement inside a CATCH block, or add error parameters to the THROW statement.',
  },
  1422: {
    severity: 16,
    state: 2,
    text: 'The mirror server instance is not caught up to the recent changes to database "%s". Unable to fail over.',
  },
  1468: {
    severity: 16,
    state: 1,
    text: 'The operation cannot be performed on database "%s" because it is involved in a database mirroring session or an availability group. Some operations are not allowed on a database that is participating in a database mirroring session or in an availability group.',
  },
  1418: {
    severity: 16,
    state: 1,
    text: 'The server network address "%s" can not be reached or does not exist. Check the network address name and that the ports for the local and remote endpoints are operational.',
  },
  3014: { severity: 0, state: 1, text: '%s successfully processed %d pages in %s seconds (%s MB/sec).' },
  3119: {
    severity: 16,
    state: 1,
    text: 'Problems were identified while planning for the RESTORE statement. Previous messages provide details.',
  },
  3135: {
    severity: 16,
    state: 2,
    text: "The backup set in file '%s' was created by %s and cannot be used for this restore operation.",
  },
  3148: {
    severity: 16,
    state: 3,
    text: "This RESTORE statement is invalid in the current context. The 'Recover Data Only' option is only defined for secondary filegroups when the database is in an online state. When the database is in an offline state filegroups cannot be specified.",
  },
  3211: { severity: 0, state: 1, text: '%d percent processed.' },
  3262: { severity: 0, state: 1, text: 'The backup set on file %d is valid.' },
  4035: { severity: 0, state: 1, text: "Processed %d pages for database '%s', file '%s' on file %d." },
  4330: {
    severity: 16,
    state: 1,
    text: 'This backup set cannot be applied because it is on a recovery path that is inconsistent with the database. The recovery path is the sequence of data and log backups that have brought the database to a particular recovery point. Find a compatible backup to restore, or restore the rest of the database to match a recovery point within this backup set, which will restore the database to a different point in time.',
  },
  5069: { severity: 16, state: 1, text: 'ALTER DATABASE statement failed.' },
  5133: {
    severity: 16,
    state: 1,
    text: 'Directory lookup for the file "%s" failed with the operating system error %s.',
  },
  942: { severity: 14, state: 4, text: "Database '%s' cannot be opened because it is offline." },
  3108: {
    severity: 16,
    state: 1,
    text: 'To restore the master database, the server must be running in single-user mode. For information on starting in single-user mode, see "How to: Start an Instance of SQL Server (sqlservr.exe)" in Books Online.',
  },
  3147: { severity: 16, state: 1, text: 'Backup and restore operations are not allowed on database tempdb.' },
  3246: {
    severity: 16,
    state: 1,
    text: "The media family on device '%s' is incorrectly formed. SQL Server cannot process this media family.",
  },
  3906: {
    severity: 16,
    state: 1,
    text: 'Failed to update database "%s" because the database is read-only.',
  },
  262: { severity: 14, state: 1, text: "%s permission denied in database '%s'." },
  3110: { severity: 14, state: 1, text: "User does not have permission to RESTORE database '%s'." },
  213: {
    severity: 16,
    state: 1,
    text: 'Column name or number of supplied values does not match table definition.',
  },
  515: {
    severity: 16,
    state: 2,
    text: "Cannot insert the value NULL into column '%s', table '%s'; column does not allow nulls. INSERT fails.",
  },
  1087: { severity: 15, state: 2, text: 'Must declare the table variable "%s".' },
  155: { severity: 15, state: 1, text: "'%s' is not a recognized %s option." },
  2715: { severity: 16, state: 3, text: 'Column, parameter, or variable #%d: Cannot find data type %s.' },
  119: {
    severity: 15,
    state: 1,
    text: "Must pass parameter number %d and subsequent parameters as '@name = value'. After the form '@name = value' has been used, all subsequent parameters must be passed in the form '@name = value'.",
  },
  8144: { severity: 16, state: 2, text: 'Procedure or function %s has too many arguments specified.' },
  201: {
    severity: 16,
    state: 4,
    text: "Procedure or function '%s' expects parameter '%s', which was not supplied.",
  },
  207: { severity: 16, state: 1, text: "Invalid column name '%s'." },
  208: { severity: 16, state: 1, text: "Invalid object name '%s'." },
  209: { severity: 16, state: 1, text: "Ambiguous column name '%s'." },
  229: {
    severity: 14,
    state: 5,
    text: "The %s permission was denied on the object '%s', database '%s', schema '%s'.",
  },
  245: {
    severity: 16,
    state: 1,
    text: "Conversion failed when converting the %s value '%s' to data type %s.",
  },
  911: {
    severity: 16,
    state: 1,
    text: "Database '%s' does not exist. Make sure that the name is entered correctly.",
  },
  927: { severity: 14, state: 1, text: "Database '%s' cannot be opened. It is in the middle of a restore." },
  954: {
    severity: 14,
    state: 1,
    text: 'The database "%s" cannot be opened. It is acting as a mirror database.',
  },
  1416: { severity: 16, state: 31, text: 'Database "%s" is not configured for database mirroring.' },
  1404: {
    severity: 16,
    state: 1,
    text: 'The command failed because the database mirror is busy. Reissue the command later.',
  },
  2812: { severity: 16, state: 62, text: "Could not find stored procedure '%s'." },
  2732: {
    severity: 16,
    state: 1,
    text: 'Error number %d is invalid. The number must be from %d through %d and it cannot be 50000.',
  },
  3013: { severity: 16, state: 1, text: '%s is terminating abnormally.' },
  3101: {
    severity: 16,
    state: 1,
    text: 'Exclusive access could not be obtained because the database is in use.',
  },
  6102: { severity: 14, state: 1, text: 'User does not have permission to use the KILL statement.' },
  6104: { severity: 16, state: 1, text: 'Cannot use KILL to kill your own process.' },
  6106: { severity: 16, state: 2, text: 'Process ID %d is not an active process ID.' },
  6107: { severity: 14, state: 1, text: 'Only user processes can be killed.' },
  3104: {
    severity: 16,
    state: 1,
    text: "RESTORE cannot operate on database '%s' because it is configured for database mirroring or has joined an availability group. If you intend to restore the database, use ALTER DATABASE to remove mirroring or to remove the database from its availability group.",
  },
  3117: {
    severity: 16,
    state: 4,
    text: 'The log or differential backup cannot be restored because no files are ready to rollforward.',
  },
  3154: {
    severity: 16,
    state: 4,
    text: "The backup set holds a backup of a database other than the existing '%s' database.",
  },
  3159: {
    severity: 16,
    state: 1,
    text: 'The tail of the log for the database "%s" has not been backed up. Use BACKUP LOG WITH NORECOVERY to backup the log if it contains work you do not want to lose. Use the WITH REPLACE or WITH STOPAT clause of the RESTORE statement to just overwrite the contents of the log.',
  },
  3201: { severity: 16, state: 1, text: "Cannot open backup device '%s'. Operating system error %s." },
  3234: {
    severity: 16,
    state: 2,
    text: "Logical file '%s' is not part of database '%s'. Use RESTORE FILELISTONLY to list the logical file names.",
  },
  3241: {
    severity: 16,
    state: 0,
    text: "The media family on device '%s' is incorrectly formed. SQL Server cannot process this media family.",
  },
  4208: {
    severity: 16,
    state: 1,
    text: 'The statement BACKUP LOG is not allowed while the recovery model is SIMPLE. Use BACKUP DATABASE or change the recovery model using ALTER DATABASE.',
  },
  4214: {
    severity: 16,
    state: 1,
    text: 'BACKUP LOG cannot be performed because there is no current database backup.',
  },
  4305: {
    severity: 16,
    state: 1,
    text: 'The log in this backup set begins at LSN %s, which is too recent to apply to the database. An earlier log backup that includes LSN %s can be restored.',
  },
  4326: {
    severity: 16,
    state: 1,
    text: 'The log in this backup set terminates at LSN %s, which is too early to apply to the database. A more recent log backup that includes LSN %s can be restored.',
  },
  5011: {
    severity: 14,
    state: 5,
    text: "User does not have permission to alter database '%s', the database does not exist, or the database is not in a state that allows access checks.",
  },
  5701: { severity: 0, state: 1, text: "Changed database context to '%s'." },
  8114: { severity: 16, state: 1, text: 'Error converting data type %s to %s.' },
  8145: { severity: 16, state: 2, text: '%s is not a parameter for procedure %s.' },
  8162: {
    severity: 16,
    state: 2,
    text: 'The formal parameter "%s" was not declared as an OUTPUT parameter, but the actual parameter passed in requested output.',
  },
  8169: {
    severity: 16,
    state: 2,
    text: 'Conversion failed when converting from a character string to uniqueidentifier.',
  },
  8134: { severity: 16, state: 1, text: 'Divide by zero error encountered.' },
  14243: { severity: 0, state: 1, text: "Job '%s' started successfully." },
  14261: { severity: 16, state: 1, text: "The specified %s ('%s') already exists." },
  14262: { severity: 16, state: 1, text: "The specified %s ('%s') does not exist." },
  14420: {
    severity: 16,
    state: 1,
    text: 'The log shipping primary database %s.%s has backup threshold of %d minutes and has not performed a backup log operation for %d minutes. Check agent log and logshipping monitor information.',
  },
  14421: {
    severity: 16,
    state: 1,
    text: 'The log shipping secondary database %s.%s has restore threshold of %d minutes and is out of sync. No restore was performed for %d minutes. Restored latency is %d minutes. Check agent log and logshipping monitor information.',
  },
  14266: { severity: 16, state: 1, text: "The specified '%s' is invalid (valid values are: %s)." },
  14294: { severity: 16, state: 1, text: 'Supply either %s or %s to identify the job.' },
  15010: {
    severity: 16,
    state: 1,
    text: "The database '%s' does not exist. Supply a valid database name. To see available databases, use sys.databases.",
  },
  15247: { severity: 16, state: 1, text: 'User does not have permission to perform this action.' },
  18054: {
    severity: 16,
    state: 1,
    text: 'Error %d, severity %d, state %d was raised, but no message with that error number was found in sys.messages. If error is larger than 50000, make sure the user-defined message is added using sp_addmessage.',
  },
  18456: { severity: 14, state: 8, text: "Login failed for user '%s'." },
  22022: {
    severity: 16,
    state: 1,
    text: 'SQLServerAgent is not currently running so it cannot be notified of this action.',
  },
  // Log-shipping family (msdb procedures). Texts as SQL Server's sys.messages words them.
  32001: {
    severity: 16,
    state: 1,
    text: 'Log shipping is already configured for database %s (primary database).',
  },
  32010: { severity: 16, state: 1, text: 'Database %s does not exist as log shipping primary.' },
  32011: {
    severity: 16,
    state: 1,
    text: 'Primary Database %s has active log shipping secondary database(s). Drop the secondary database(s) first.',
  },
  32012: { severity: 16, state: 1, text: 'Secondary %s.%s already exists for primary %s.' },
  32013: { severity: 16, state: 1, text: 'A log shipping entry already exists for secondary database %s.' },
  32014: { severity: 16, state: 1, text: 'Database %s does not exist as log shipping secondary.' },
  32023: {
    severity: 16,
    state: 1,
    text: 'An entry for primary server %s, primary database %s does not exist on this secondary. Register the primary first.',
  },
  32024: {
    severity: 16,
    state: 1,
    text: 'An entry for primary server %s, primary database %s already exists.',
  },
  32019: { severity: 16, state: 1, text: 'The database %s is not in FULL or BULK_LOGGED recovery model.' },
  50000: { severity: 16, state: 1, text: '%s' },
};

/** Formats a message template the way RAISERROR does (printf subset: %s %ls %d %i %u %x %X %o, width, precision, %%). */
export function formatMessage(template: string, args: readonly unknown[]): string {
  let argIndex = 0;
  return template.replace(
    /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?(h|l|I64)?([sdiuoxXc%])/g,
    (whole, flags: string, width: string | undefined, prec: string | undefined, _size, conv: string) => {
      if (conv === '%') return '%';
      let w = width;
      if (w === '*') w = String(args[argIndex++] ?? '');
      let p = prec;
      if (p === '*') p = String(args[argIndex++] ?? '');
      const arg = args[argIndex++];
      let text: string;
      if (arg === undefined) return '(null)';
      if (arg === null) text = '(null)';
      else if (conv === 's' || conv === 'c') text = String(arg);
      else {
        const n = typeof arg === 'bigint' ? arg : BigInt(Math.trunc(Number(arg)) || 0);
        if (conv === 'x') text = n.toString(16);
        else if (conv === 'X') text = n.toString(16).toUpperCase();
        else if (conv === 'o') text = n.toString(8);
        else text = n.toString();
      }
      if (p !== undefined && conv === 's') text = text.slice(0, Number(p));
      const widthN = w ? Number(w) : 0;
      if (text.length < widthN) {
        const pad = flags.includes('0') && !flags.includes('-') && conv !== 's' ? '0' : ' ';
        text = flags.includes('-') ? text.padEnd(widthN) : text.padStart(widthN, pad);
      }
      return text;
    },
  );
}

/** A T-SQL error on its way to the client. `abortBatch` follows SQL Server: compile and conversion errors end the batch. */
export class SqlError extends Error {
  constructor(
    readonly number: number,
    readonly severity: number,
    readonly state: number,
    message: string,
    readonly abortBatch = false,
    public line = 0,
    public procName?: string,
  ) {
    super(message);
  }

  toMessage(defaultLine: number): LabMessage {
    return {
      number: this.number,
      state: this.state,
      class: this.severity,
      message: this.message,
      // Parameter-binding errors of a procedure report Line 0, as SQL Server does.
      line: this.procName && this.line === 0 ? 0 : this.line || defaultLine,
      ...(this.procName ? { procName: this.procName } : {}),
    };
  }
}

/** Builds the error for a catalogued message number with its arguments. */
export function sqlError(
  number: number,
  args: readonly unknown[] = [],
  opts: { state?: number; abortBatch?: boolean; line?: number; procName?: string } = {},
): SqlError {
  const def = MESSAGES[number];
  if (!def) throw new Error(`message ${number} missing from the lab's table`);
  return new SqlError(
    number,
    def.severity,
    opts.state ?? def.state,
    formatMessage(def.text, args),
    opts.abortBatch ?? false,
    opts.line ?? 0,
    opts.procName,
  );
}

/** Compile-time errors (syntax, undeclared variables) stop the whole batch before it runs. */
export function syntaxError(near: string, line: number, keyword = false): SqlError {
  return sqlError(keyword ? 156 : 102, [near], { abortBatch: true, line });
}
