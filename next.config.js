// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and process-spawning modules must stay external to the server bundle.
  serverExternalPackages: ['better-sqlite3', 'mssql', 'tedious', 'node-powershell'],
  poweredByHeader: false,
};

module.exports = nextConfig;
