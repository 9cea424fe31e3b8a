// client.js: the three bench/sync steps with PouchDB replicate.
//
//   node client.js load  URL DOCS.json
//   node client.js round URL DOCS.json ROUND BATCH_SIZE BATCHES_LIMIT N_PUSH N_PULL
//
// DOCS.json holds one JSON document a line: {"id", "kind", "fields"}.
// "load" writes them to the server (setup); "round" times (a) an initial
// replication into an empty in-memory replica, (b) the push of N_PUSH
// offline edits (one field each, different documents), (c) the pull of
// N_PULL edits made elsewhere (written to the server through HTTP). The
// documents edited are chosen from the ids in sorted order exactly as
// bench-sync picks them for Kontor. Prints one JSON object on stdout.
//
// Copyright 2026 The Kontor authors
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const fs = require('fs');
const PouchDB = require('pouchdb').plugin(require('pouchdb-adapter-memory'));

function readDocs (path) {
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  const docs = [];
  for (const line of lines) {
    if (line.length === 0)
      continue;
    const d = JSON.parse(line);
    docs.push({ _id: d.id, kind: d.kind, fields: d.fields });
  }
  return docs;
}

// The same choice as pick_edits () in bench-sync.c.
const EDITABLE = new Set(['organization', 'contact', 'lead', 'deal', 'activity']);

function pickEdits (docs, nPush, nPull) {
  const ids = docs.filter((d) => EDITABLE.has(d.kind)).map((d) => d._id);
  const sorted = ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const step = Math.max(1, Math.floor(sorted.length / (nPush + nPull)));
  const push = [];
  const pull = [];
  for (let i = 0; i < nPush + nPull && i * step < sorted.length; i++)
    (i < nPush ? push : pull).push(sorted[i * step]);
  return { push, pull };
}

// The free-text field an edit changes (as edit_field () in bench-sync.c).
function editField (kind) {
  return kind === 'activity' ? 'body' : 'notes';
}

function now () {
  return Number(process.hrtime.bigint()) / 1e9;
}

async function load (url, docsPath) {
  const remote = new PouchDB(url);
  const docs = readDocs(docsPath);
  const t0 = now();
  for (let i = 0; i < docs.length; i += 1000) {
    const res = await remote.bulkDocs(docs.slice(i, i + 1000));
    for (const r of res)
      if (r.error)
        throw new Error(`load: ${r.id}: ${r.error}`);
  }
  const seconds = now() - t0;
  process.stdout.write(JSON.stringify({ loaded: docs.length, seconds }) + '\n');
}

async function round (url, docsPath, roundNo, batchSize, batchesLimit, nPush, nPull) {
  const opts = { batch_size: batchSize, batches_limit: batchesLimit };
  const docs = readDocs(docsPath);
  const picks = pickEdits(docs, nPush, nPull);
  const remote = new PouchDB(url);
  const local = new PouchDB(`replica-${roundNo}`, { adapter: 'memory' });
  const out = { round: roundNo, batch_size: batchSize, batches_limit: batchesLimit };
  let t0, info;

  // (a) initial sync into an empty replica
  t0 = now();
  info = await local.replicate.from(remote, opts);
  out.initial_seconds = now() - t0;
  out.initial_docs = info.docs_written;

  // (b) offline edits (not timed), then the push
  {
    const got = await local.allDocs({ keys: picks.push, include_docs: true });
    const edited = got.rows.map((r) => {
      const doc = r.doc;
      doc.fields[editField(doc.kind)] = `bench push edit ${roundNo}`;
      return doc;
    });
    await local.bulkDocs(edited);
  }
  t0 = now();
  info = await local.replicate.to(remote, opts);
  out.push_seconds = now() - t0;
  out.push_docs = info.docs_written;
  // catch up (not timed): the feed now holds our own edits
  await local.replicate.from(remote, opts);

  // (c) edits made elsewhere (straight on the server), then the pull
  {
    const got = await remote.allDocs({ keys: picks.pull, include_docs: true });
    const edited = got.rows.map((r) => {
      const doc = r.doc;
      doc.fields[editField(doc.kind)] = `bench pull edit ${roundNo}`;
      return doc;
    });
    await remote.bulkDocs(edited);
  }
  t0 = now();
  info = await local.replicate.from(remote, opts);
  out.pull_seconds = now() - t0;
  out.pull_docs = info.docs_written;

  out.client_peak_kb = process.resourceUsage().maxRSS;
  await local.destroy();
  process.stdout.write(JSON.stringify(out) + '\n');
}

async function main () {
  const [mode, url, docsPath, ...rest] = process.argv.slice(2);
  if (mode === 'load')
    await load(url, docsPath);
  else if (mode === 'round')
    await round(url, docsPath, Number(rest[0]), Number(rest[1]), Number(rest[2]),
                Number(rest[3]), Number(rest[4]));
  else
    throw new Error('usage: client.js load|round URL DOCS.json …');
}

main().catch((e) => {
  process.stderr.write(`client.js: ${e.stack || e}\n`);
  process.exit(1);
});
