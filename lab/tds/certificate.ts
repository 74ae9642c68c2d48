// The lab's self-signed TLS certificate, made once with the openssl CLI (Node 20 cannot create X.509) and cached.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Certificate {
  cert: string;
  key: string;
}

/** Loads `dir/lab-cert.pem` and `dir/lab-key.pem`, creating them with `openssl req -x509` when missing. */
export function loadOrCreateCertificate(dir: string): Certificate {
  const certPath = path.join(dir, 'lab-cert.pem');
  const keyPath = path.join(dir, 'lab-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '3650',
        '-subj',
        '/CN=pchat-hadr lab SQL Server',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  }
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
