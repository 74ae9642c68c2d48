// master's extended and system procedures the wizard may use: xp_fileexist, xp_fixeddrives, xp_create_subdir,
// xp_dirtree, sp_executesql.
import fs from 'node:fs';
import { SqlError } from '../errors';
import { OS_ERRORS, mapPath } from '../paths';
import { Interpreter } from '../tsql/evaluate';
import type { ProcDef } from '../tsql/host';
import { T } from '../tsql/values';
import { params } from './params';
import { runtimeOf } from './runtime';

const fileExist: ProcDef = {
  name: 'xp_fileexist',
  home: 'sys',
  params: params([
    ['@filename', 'nvarchar(4000)', { required: true }],
    ['@file_exists', 'int', { output: true }],
  ]),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const m = mapPath(world.pathContext(), inst.machine, String(call.arg('@filename') ?? ''), 'read');
    let file = 0;
    let dir = 0;
    let parent = 0;
    if (m.ok) {
      try {
        const st = fs.statSync(m.hostPath);
        file = st.isFile() ? 1 : 0;
        dir = st.isDirectory() ? 1 : 0;
      } catch {
        // absent
      }
      try {
        parent = fs.statSync(m.hostPath.replace(/[\\/][^\\/]*$/, '')).isDirectory() ? 1 : 0;
      } catch {
        parent = 0;
      }
    }
    if (call.supplied.has('@file_exists')) call.setOutput('@file_exists', file);
    else
      call.resultSet(
        [
          { name: 'File Exists', type: T.int },
          { name: 'File is a Directory', type: T.int },
          { name: 'Parent Directory Exists', type: T.int },
        ],
        [[file, dir, parent]],
      );
    return 0;
  },
};

const fixedDrives: ProcDef = {
  name: 'xp_fixeddrives',
  home: 'sys',
  params: [],
  run: (call) => {
    call.resultSet(
      [
        { name: 'drive', type: T.varchar(1) },
        { name: 'MB free', type: T.int },
      ],
      [
        ['C', 61440],
        ['D', 409600],
      ],
    );
    return 0;
  },
};

const createSubdir: ProcDef = {
  name: 'xp_create_subdir',
  home: 'sys',
  permission: 'ls',
  params: params([['@path', 'nvarchar(4000)', { required: true }]]),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const p = String(call.arg('@path') ?? '');
    const m = mapPath(world.pathContext(), inst.machine, p, 'write');
    if (!m.ok) {
      call.raise(
        new SqlError(
          22048,
          16,
          1,
          `xp_create_subdir() returned error ${m.osError}, '${OS_ERRORS[m.osError] ?? 'Unknown error.'}'`,
        ),
      );
      return 1;
    }
    fs.mkdirSync(m.hostPath, { recursive: true });
    return 0;
  },
};

const dirTree: ProcDef = {
  name: 'xp_dirtree',
  home: 'sys',
  params: params([
    ['@directory', 'nvarchar(4000)', { required: true }],
    ['@depth', 'int', { default: 0 }],
    ['@file', 'int', { default: 0 }],
  ]),
  run: (call) => {
    const { inst, world } = runtimeOf(call);
    const m = mapPath(world.pathContext(), inst.machine, String(call.arg('@directory') ?? ''), 'read');
    const withFiles = Number(call.arg('@file')) !== 0;
    let entries: fs.Dirent[] = [];
    if (m.ok) {
      try {
        entries = fs.readdirSync(m.hostPath, { withFileTypes: true });
      } catch {
        entries = [];
      }
    }
    const list = entries
      .filter((e) => withFiles || e.isDirectory())
      .sort((a, b) => a.name.localeCompare(b.name));
    call.resultSet(
      withFiles
        ? [
            { name: 'subdirectory', type: T.nvarchar(512) },
            { name: 'depth', type: T.int },
            { name: 'file', type: T.int },
          ]
        : [
            { name: 'subdirectory', type: T.nvarchar(512) },
            { name: 'depth', type: T.int },
          ],
      list.map((e) => (withFiles ? [e.name, 1, e.isFile() ? 1 : 0] : [e.name, 1])),
    );
    return 0;
  },
};

export const SYSTEM_PROCS: ProcDef[] = [
  fileExist,
  fixedDrives,
  createSubdir,
  dirTree,
  Interpreter.executesqlProc(),
];
