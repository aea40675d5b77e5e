#!/usr/bin/env node
// GraphQL-over-HTTP conformance audit (graphql-http `serverAudits`) against a
// running server.
//
//   node audit.mjs http://127.0.0.1:PORT/graphql
//
// Prints one line per audit (ok / warn / notice / error, id, name); failures
// also get the reason and the request/response that caused it. The audits run
// one at a time so each request can be attributed to its audit.
//
// graphql-http sets the status from the audit name: failing "MUST" audits are
// "error", failing "SHOULD" audits are "warn", failing "MAY" audits are
// "notice". Exit code: 1 if any MUST audit failed (or an audit could not run
// at all, e.g. connection refused), 0 otherwise; 2 on bad usage.

import { serverAudits } from 'graphql-http';

const REQUEST_TIMEOUT_MS = 15_000;
const BODY_EXCERPT = 300;

function usage(msg) {
  if (msg) console.error(`audit.mjs: ${msg}`);
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql');
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') usage();
let url;
try {
  url = new URL(args[0]);
} catch {
  usage(`not a URL: ${args[0]}`);
}
if (url.protocol !== 'http:' && url.protocol !== 'https:') {
  usage(`not an http(s) URL: ${args[0]}`);
}
url = url.toString();

// Exchanges (request + response) made by the audit currently running.
let exchanges = [];

function headersToObject(h) {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...h };
}

async function recordingFetch(input, init = {}) {
  const exchange = {
    method: (init.method || 'GET').toUpperCase(),
    url: String(input),
    headers: headersToObject(init.headers),
    body: init.body === undefined ? undefined : String(init.body),
  };
  exchanges.push(exchange);
  const res = await fetch(input, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  // Read a copy of the body ourselves: the audit may consume the original
  // before failing, leaving nothing to show in the report.
  exchange.status = res.status;
  exchange.contentType = res.headers.get('content-type');
  try {
    exchange.responseBody = await res.clone().text();
  } catch (err) {
    exchange.responseBody = `(could not read body: ${err?.message ?? err})`;
  }
  return res;
}

function excerpt(s, n = BODY_EXCERPT) {
  if (s === undefined) return '(none)';
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty)';
  return flat.length > n ? `${flat.slice(0, n)}… (${s.length} chars)` : flat;
}

function describeExchange(x) {
  const lines = [];
  const target = x.url === url ? '' : ` ${x.url}`;
  lines.push(`request:  ${x.method}${target || ' <url>'}`);
  const hdrs = Object.entries(x.headers);
  lines.push(
    `          headers: ${hdrs.length ? hdrs.map(([k, v]) => `${k}: ${v}`).join('; ') : '(none set by audit)'}`,
  );
  if (x.body !== undefined) lines.push(`          body: ${excerpt(x.body)}`);
  if (x.status !== undefined) {
    lines.push(`response: ${x.status} content-type: ${x.contentType ?? '(none)'}`);
    lines.push(`          body: ${excerpt(x.responseBody)}`);
  } else {
    lines.push('response: (none)');
  }
  return lines;
}

const audits = serverAudits({ url, fetchFn: recordingFetch });
const counts = { ok: 0, warn: 0, notice: 0, error: 0, fatal: 0 };
const failures = [];

console.log(`graphql-http server audit of ${url} (${audits.length} audits)`);
for (const { id, name, fn } of audits) {
  exchanges = [];
  let result;
  try {
    result = await fn();
  } catch (err) {
    // graphql-http only throws for non-assertion (fatal) problems, e.g. the
    // server is unreachable or the request timed out.
    const cause = err?.cause ? ` (${err.cause.code ?? err.cause.message ?? err.cause})` : '';
    result = { id, name, status: 'fatal', reason: `audit could not run: ${err?.message ?? err}${cause}` };
  }
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  console.log(`${result.status.padEnd(6)} ${result.id.padEnd(4)} ${result.name}`);
  if (result.status !== 'ok') {
    const detail = [`reason:   ${result.reason}`, ...exchanges.flatMap(describeExchange)];
    for (const line of detail) console.log(`         ${line}`);
    failures.push(result);
  }
}

const mustFailures = counts.error + counts.fatal;
console.log(
  `graphql-http audit: ${counts.ok} ok, ${counts.warn + counts.notice} warnings (SHOULD/MAY: ` +
    `${counts.warn} SHOULD, ${counts.notice} MAY), ${counts.error} MUST failures` +
    (counts.fatal ? `, ${counts.fatal} audits could not run` : ''),
);
process.exit(mustFailures > 0 ? 1 : 0);
