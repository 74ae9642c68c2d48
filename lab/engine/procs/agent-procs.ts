// msdb's SQL Server Agent procedures used by the log-shipping scripts and the wizard.
import type { LabValue } from '../contract';
import { deleteJob, findJob } from '../agent';
import { sqlError } from '../errors';
import { rows, sameText } from '../msdb';
import type { Row } from '../state';
import type { ProcCall, ProcDef } from '../tsql/host';
import { T } from '../tsql/values';
import { addScheduleRow, attach } from './log-shipping';
import { documentedParams, params } from './params';
import { runtimeOf } from './runtime';

const D = 'msdb.dbo.';

function agent(name: string, run: ProcDef['run'], list = documentedParams(D + name)): ProcDef {
  return { name, home: 'msdb', params: list, permission: 'agent', run };
}

/** Looks a job up by @job_id or @job_name, raising 14294 / 14262 as msdb does. */
function jobFrom(call: ProcCall): Row | undefined {
  const { inst } = runtimeOf(call);
  const id = call.arg('@job_id');
  const name = call.arg('@job_name');
  if (id === null && name === null) {
    call.raise(sqlError(14294, ['@job_id', '@job_name']));
    return undefined;
  }
  if (id !== null && name !== null) {
    call.raise(sqlError(14294, ['@job_id', '@job_name']));
    return undefined;
  }
  const job = findJob(inst, { id, name });
  if (!job) call.raise(sqlError(14262, [id !== null ? '@job_id' : '@job_name', String(id ?? name)]));
  return job;
}

const VALID_FREQ = [1, 4, 8, 16, 32, 64, 128];

function scheduleValues(call: ProcCall): Record<string, LabValue> | undefined {
  const freqType = Number(call.arg('@freq_type'));
  if (!VALID_FREQ.includes(freqType)) {
    call.raise(sqlError(14266, ['@freq_type', '1, 4, 8, 16, 32, 64, 128']));
    return undefined;
  }
  const subday = call.arg('@freq_subday_type');
  if (subday !== null && ![0, 1, 2, 4, 8].includes(Number(subday))) {
    call.raise(sqlError(14266, ['@freq_subday_type', '0x1, 0x2, 0x4, 0x8']));
    return undefined;
  }
  const { world } = runtimeOf(call);
  const now = world.clock.now();
  const today = now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
  return {
    enabled: call.arg('@enabled') ?? 1,
    freq_type: freqType,
    freq_interval: call.arg('@freq_interval') ?? 1,
    freq_subday_type: subday ?? 1,
    freq_subday_interval: call.arg('@freq_subday_interval') ?? 0,
    freq_relative_interval: call.arg('@freq_relative_interval') ?? 0,
    freq_recurrence_factor: call.arg('@freq_recurrence_factor') ?? 0,
    active_start_date: call.arg('@active_start_date') ?? today,
    active_end_date: call.arg('@active_end_date') ?? 99991231,
    active_start_time: call.arg('@active_start_time') ?? 0,
    active_end_time: call.arg('@active_end_time') ?? 235959,
  };
}

const addSchedule = agent('sp_add_schedule', (call) => {
  const values = scheduleValues(call);
  if (!values) return 1;
  const id = addScheduleRow(call, String(call.arg('@schedule_name')), values);
  const row = rows(runtimeOf(call).inst, 'sysschedules').find((r) => r.schedule_id === id)!;
  call.setOutput('@schedule_id', id);
  call.setOutput('@schedule_uid', row.schedule_uid ?? null);
  runtimeOf(call).world.changed();
  return 0;
});

const attachSchedule = agent('sp_attach_schedule', (call) => {
  const { inst, world } = runtimeOf(call);
  const job = jobFrom(call);
  if (!job) return 1;
  const sid = call.arg('@schedule_id');
  const sname = call.arg('@schedule_name');
  if (sid === null && sname === null) {
    call.raise(sqlError(14294, ['@schedule_id', '@schedule_name']));
    return 1;
  }
  const sched = rows(inst, 'sysschedules').find((s) =>
    sid !== null ? s.schedule_id === sid : sameText(s.name, sname),
  );
  if (!sched) {
    call.raise(sqlError(14262, [sid !== null ? '@schedule_id' : '@schedule_name', String(sid ?? sname)]));
    return 1;
  }
  if (
    rows(inst, 'sysjobschedules').some(
      (r) => r.schedule_id === sched.schedule_id && sameText(r.job_id, job.job_id),
    )
  )
    return 0;
  attach(call, String(job.job_id), Number(sched.schedule_id));
  world.changed();
  return 0;
});

const updateJob = agent('sp_update_job', (call) => {
  const { world } = runtimeOf(call);
  const job = jobFrom(call);
  if (!job) return 1;
  if (call.supplied.has('@enabled')) job.enabled = Number(call.arg('@enabled')) ? 1 : 0;
  if (call.supplied.has('@new_name') && call.arg('@new_name') !== null) job.name = call.arg('@new_name');
  if (call.supplied.has('@description')) job.description = call.arg('@description');
  if (call.supplied.has('@start_step_id')) job.start_step_id = call.arg('@start_step_id');
  job.date_modified = world.clock.now();
  job.version_number = Number(job.version_number ?? 1) + 1;
  world.changed();
  return 0;
});

const addJobSchedule = agent('sp_add_jobschedule', (call) => {
  const { world } = runtimeOf(call);
  const job = jobFrom(call);
  if (!job) return 1;
  const values = scheduleValues(call);
  if (!values) return 1;
  const id = addScheduleRow(call, String(call.arg('@name')), values);
  attach(call, String(job.job_id), id);
  call.setOutput('@schedule_id', id);
  call.setOutput(
    '@schedule_uid',
    rows(runtimeOf(call).inst, 'sysschedules').find((r) => r.schedule_id === id)?.schedule_uid ?? null,
  );
  world.changed();
  return 0;
});

const jobIdentity = params([
  ['@job_name', 'sysname'],
  ['@job_id', 'uniqueidentifier'],
]);

const startJob = agent(
  'sp_start_job',
  (call) => {
    const { inst, world } = runtimeOf(call);
    const job = jobFrom(call);
    if (!job) return 1;
    if (!inst.agentRunning) {
      call.raise(sqlError(22022));
      return 1;
    }
    if (world.isJobRunning(inst, String(job.job_id))) {
      const e = sqlError(22022);
      call.raise(
        Object.assign(e, {
          message: `SQLServerAgent Error: Request to run job ${String(job.name)} (from User ${call.session.login}) refused because the job is already running from a request by User ${call.session.login}.`,
        }),
      );
      return 1;
    }
    world.startJob(inst, String(job.job_id), `User ${call.session.login}`);
    call.raise(sqlError(14243, [String(job.name)]));
    return 0;
  },
  params([
    ...jobIdentity.map(
      (p) =>
        [p.name, p.type.name === 'uniqueidentifier' ? 'uniqueidentifier' : 'sysname'] as [string, string],
    ),
    ['@error_flag', 'int', { default: 1 }],
    ['@server_name', 'sysname'],
    ['@step_name', 'sysname'],
    ['@output_flag', 'tinyint', { default: 1 }],
  ]),
);

const deleteJobProc = agent(
  'sp_delete_job',
  (call) => {
    const { inst, world } = runtimeOf(call);
    const job = jobFrom(call);
    if (!job) return 1;
    deleteJob(inst, String(job.job_id), call.arg('@delete_unused_schedule') !== 0);
    world.changed();
    return 0;
  },
  params([
    ['@job_id', 'uniqueidentifier'],
    ['@job_name', 'sysname'],
    ['@originating_server', 'sysname'],
    ['@delete_history', 'bit', { default: 1 }],
    ['@delete_unused_schedule', 'bit', { default: 1 }],
  ]),
);

const helpJob = agent(
  'sp_help_job',
  (call) => {
    const { inst, world } = runtimeOf(call);
    let jobs = rows(inst, 'sysjobs');
    if (call.arg('@job_id') !== null || call.arg('@job_name') !== null) {
      const j = jobFrom(call);
      if (!j) return 1;
      jobs = [j];
    }
    if (call.arg('@enabled') !== null)
      jobs = jobs.filter((j) => Number(j.enabled) === Number(call.arg('@enabled')));
    const out = jobs.map((j) => {
      const last = rows(inst, 'sysjobhistory')
        .filter((h) => sameText(h.job_id, j.job_id) && h.step_id === 0)
        .slice(-1)[0];
      const js = rows(inst, 'sysjobschedules').filter((r) => sameText(r.job_id, j.job_id));
      const next = js
        .filter((r) => typeof r.next_run_ms === 'number')
        .sort((a, b) => Number(a.next_run_ms) - Number(b.next_run_ms))[0];
      const running = world.isJobRunning(inst, String(j.job_id));
      return [
        j.job_id,
        inst.serverName,
        j.name,
        j.enabled,
        j.description,
        j.start_step_id,
        'Log Shipping',
        j.owner_login ?? 'sa',
        j.date_created,
        j.date_modified,
        j.version_number,
        last?.run_date ?? 0,
        last?.run_time ?? 0,
        last ? last.run_status : 5,
        next?.next_run_date ?? 0,
        next?.next_run_time ?? 0,
        next?.schedule_id ?? 0,
        running ? 1 : 4,
        running ? '1 (step 1)' : '0 (unknown)',
        0,
        1,
        js.length,
        1,
        1,
      ];
    });
    call.resultSet(
      [
        { name: 'job_id', type: T.guid },
        { name: 'originating_server', type: T.sysname },
        { name: 'name', type: T.sysname },
        { name: 'enabled', type: T.tinyint },
        { name: 'description', type: T.nvarchar(512) },
        { name: 'start_step_id', type: T.int },
        { name: 'category', type: T.sysname },
        { name: 'owner', type: T.sysname },
        { name: 'date_created', type: T.datetime },
        { name: 'date_modified', type: T.datetime },
        { name: 'version_number', type: T.int },
        { name: 'last_run_date', type: T.int },
        { name: 'last_run_time', type: T.int },
        { name: 'last_run_outcome', type: T.int },
        { name: 'next_run_date', type: T.int },
        { name: 'next_run_time', type: T.int },
        { name: 'next_run_schedule_id', type: T.int },
        { name: 'current_execution_status', type: T.int },
        { name: 'current_execution_step', type: T.sysname },
        { name: 'current_retry_attempt', type: T.int },
        { name: 'has_step', type: T.int },
        { name: 'has_schedule', type: T.int },
        { name: 'has_target', type: T.int },
        { name: 'type', type: T.int },
      ],
      out,
    );
    return 0;
  },
  params([
    ['@job_id', 'uniqueidentifier'],
    ['@job_name', 'sysname'],
    ['@job_aspect', 'varchar(9)'],
    ['@job_type', 'varchar(12)'],
    ['@owner_login_name', 'sysname'],
    ['@subsystem', 'nvarchar(40)'],
    ['@category_name', 'sysname'],
    ['@enabled', 'tinyint'],
    ['@execution_status', 'int'],
  ]),
);

const helpJobHistory = agent(
  'sp_help_jobhistory',
  (call) => {
    const { inst } = runtimeOf(call);
    let hist = rows(inst, 'sysjobhistory');
    if (call.arg('@job_id') !== null || call.arg('@job_name') !== null) {
      const j = jobFrom(call);
      if (!j) return 1;
      hist = hist.filter((h) => sameText(h.job_id, j.job_id));
    }
    const jobs = rows(inst, 'sysjobs');
    call.resultSet(
      [
        { name: 'instance_id', type: T.int },
        { name: 'job_id', type: T.guid },
        { name: 'job_name', type: T.sysname },
        { name: 'step_id', type: T.int },
        { name: 'step_name', type: T.sysname },
        { name: 'sql_message_id', type: T.int },
        { name: 'sql_severity', type: T.int },
        { name: 'message', type: T.nvarchar(4000) },
        { name: 'run_status', type: T.int },
        { name: 'run_date', type: T.int },
        { name: 'run_time', type: T.int },
        { name: 'run_duration', type: T.int },
        { name: 'server', type: T.sysname },
      ],
      [...hist]
        .reverse()
        .map((h) => [
          h.instance_id,
          h.job_id,
          jobs.find((j) => sameText(j.job_id, h.job_id))?.name ?? null,
          h.step_id,
          h.step_name,
          h.sql_message_id,
          h.sql_severity,
          h.message,
          h.run_status,
          h.run_date,
          h.run_time,
          h.run_duration,
          h.server,
        ]),
    );
    return 0;
  },
  params([
    ['@job_id', 'uniqueidentifier'],
    ['@job_name', 'sysname'],
    ['@step_id', 'int'],
    ['@mode', 'varchar(7)', { default: 'SUMMARY' }],
  ]),
);

export const AGENT_PROCS: ProcDef[] = [
  addSchedule,
  attachSchedule,
  updateJob,
  addJobSchedule,
  startJob,
  deleteJobProc,
  helpJob,
  helpJobHistory,
];
