import type { MessageRecord, RunRecord, StepRecord } from '@/lib/store/run-store';

export interface RunReportInput {
  run: RunRecord;
  planName: string;
  steps: StepRecord[];
  messages: MessageRecord[];
}

const fence = (text: string, lang: string) => {
  // A fence longer than any backtick run inside keeps the script intact in Markdown.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${text.endsWith('\n') ? text : `${text}\n`}${ticks}`;
};

function messageLine(m: MessageRecord): string {
  if (m.kind === 'error' && m.number) return `- **Msg ${m.number}, Level ${m.severity}, State ${m.state}, Line ${m.line}** (${m.server}): ${m.text}`;
  if (m.kind === 'error') return `- **error** (${m.server}): ${m.text}`;
  return `- ${m.kind}: ${m.text}`;
}

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A run as Markdown for a change-management ticket: who, what, where, every step with its script hash and messages. */
export function runReportMarkdown({ run, planName, steps, messages }: RunReportInput): string {
  const lines: string[] = [
    `# pchat-hadr run report: ${run.stage}`,
    '',
    `| | |`,
    `|---|---|`,
    `| Plan | ${planName} (version ${run.planVersion}) |`,
    `| Stage | ${run.stage} |`,
    `| Outcome | **${run.status}** |`,
    `| Applied by | ${run.actor} |`,
    `| Started | ${run.startedAt} |`,
    `| Ended | ${run.endedAt ?? '—'} |`,
    `| Reviewed artifact hash | \`${run.artifactHash}\` |`,
    `| Run id | \`${run.id}\` |`,
    '',
    run.summary ? `${run.summary}\n` : '',
    '## Steps',
    '',
    '| # | Server | Step | Outcome | Duration |',
    '|---|---|---|---|---|',
    ...steps.map((s, i) => `| ${i + 1} | ${s.target} | ${s.title.replace(/\|/g, '\\|')} | ${s.status} | ${duration(s.durationMs)} |`),
    '',
  ];
  const findings = messages.filter((m) => m.kind === 'finding');
  if (findings.length > 0) {
    lines.push('## Findings', '');
    for (const f of findings) {
      const finding = JSON.parse(f.text) as { severity: string; server: string; what: string; fix: string };
      lines.push(`- **${finding.severity}** ${finding.server}: ${finding.what}${finding.fix ? ` Fix: ${finding.fix}` : ''}`);
    }
    lines.push('');
  }
  for (const [i, step] of steps.entries()) {
    lines.push(`## ${i + 1}. ${step.title}`, '', `Server: ${step.target} · outcome: **${step.status}** · hash \`${step.hash}\``, '');
    lines.push(fence(step.text, step.language === 'powershell' ? 'powershell' : 'sql'), '');
    const own = messages.filter((m) => m.stepId === step.id && m.kind !== 'result');
    if (own.length > 0) lines.push('Messages:', '', ...own.map(messageLine), '');
    if (step.detail && step.status !== 'succeeded') lines.push(`Outcome detail: ${step.detail}`, '');
  }
  return lines.join('\n');
}
