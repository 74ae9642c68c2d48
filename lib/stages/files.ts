import type { StageArtifacts, TargetArtifact } from './artifact';

/** `SQL01\PCHAT` -> `SQL01_PCHAT`: a server name as it can stand in a file name on any OS. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * A target's artifact as one file: T-SQL batches separated by `GO` lines, as SSMS and sqlcmd run them (the executor
 * itself never sends `GO`; it sends each batch on its own), or PowerShell commands one after another.
 */
export function targetFileText(target: TargetArtifact): string {
  if (target.language === 'tsql') {
    return target.batches.map((b) => (b.sql.endsWith('\n') ? b.sql : `${b.sql}\n`)).join('GO\n');
  }
  return target.commands.map((c) => (c.script.endsWith('\n') ? c.script : `${c.script}\n`)).join('');
}

/** File name of a target's artifact: `<stage>-<nn>-<role or host>-<server>.sql|.ps1`, ordered as applied. */
export function targetFileName(stage: string, index: number, target: TargetArtifact): string {
  const nn = String(index + 1).padStart(2, '0');
  if (target.language === 'tsql') {
    return `${stage}-${nn}-${target.target.role}-${fileSafe(target.target.serverName)}.sql`;
  }
  return `${stage}-${nn}-shell-${fileSafe(target.target.host)}.ps1`;
}

/** Every file of a stage, in apply order. */
export function stageFiles(artifacts: StageArtifacts): { name: string; text: string }[] {
  return artifacts.targets.map((target, i) => ({
    name: targetFileName(artifacts.stage, i, target),
    text: targetFileText(target),
  }));
}
