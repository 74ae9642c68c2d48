/** A message from SQL Server as the operator sees it: PRINT/INFO (class <= 10) or an error. */
export interface ServerMessage {
  kind: 'info' | 'error';
  serverName: string;
  number: number;
  state: number;
  severity: number;
  line: number;
  procName?: string;
  message: string;
}

/** `10 percent processed.` -> 10: BACKUP and RESTORE report progress this way when asked `WITH STATS`. */
export function statsPercent(message: string): number | undefined {
  const match = /^(\d{1,3}) percent processed\.$/.exec(message.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  return value <= 100 ? value : undefined;
}

/** `Msg 3201, Level 16, State 1, Line 1` + text: how SSMS prints a server message, so a DBA recognises it. */
export function formatServerMessage(m: ServerMessage): string {
  if (m.kind === 'info' && m.number === 0) return m.message;
  const proc = m.procName ? `, Procedure ${m.procName}` : '';
  return `Msg ${m.number}, Level ${m.severity}, State ${m.state}${proc}, Line ${m.line}\n${m.message}`;
}
