// Container health check (Dockerfile HEALTHCHECK): GET /api/health of the gateway's admin API,
// found in the config file ($ONEBOT_CONFIG, default /config/onebot11.json) with its token.
// Uses node itself: the slim image has no curl. Exit 0 healthy, 1 otherwise, with the reason.
import { readFile } from 'node:fs/promises';
import { parseConfig } from '@onebot-gateway/core';

const configPath = process.env.ONEBOT_CONFIG || '/config/onebot11.json';

function probeHost(host) {
  // A wildcard address is reached on loopback from inside the container (the Host guard serves loopback).
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

try {
  const { admin } = parseConfig(await readFile(configPath, 'utf8'), { fileName: configPath }).gateway;
  if (!admin.enable) {
    console.log('admin API disabled (gateway.admin.enable: false): nothing to check');
    process.exit(0);
  }
  const response = await fetch(`http://${probeHost(admin.host)}:${admin.port}/api/health`, {
    headers: admin.token === '' ? {} : { authorization: `Bearer ${admin.token}` },
    signal: AbortSignal.timeout(4000),
  });
  const body = await response.text();
  console.log(`${response.status} ${body}`);
  process.exit(response.status === 200 ? 0 : 1);
} catch (error) {
  console.log(`unhealthy: ${error.message}`);
  process.exit(1);
}
