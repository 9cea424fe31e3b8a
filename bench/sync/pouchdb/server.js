// server.js: express-pouchdb on 127.0.0.1 (random port), in-memory adapter.
//
// Prints "pouchdb-server listening on http://127.0.0.1:PORT" on stdout once
// it accepts connections. Ends on SIGTERM or when stdin closes (the
// benchmark died).
//
// Copyright 2026 The Kontor authors
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const express = require('express');
const PouchDB = require('pouchdb').plugin(require('pouchdb-adapter-memory'));

const MemPouch = PouchDB.defaults({ adapter: 'memory' });
const app = express();

app.use('/', require('express-pouchdb')(MemPouch, {
  mode: 'minimumForPouchDB',
  inMemoryConfig: true,
  logPath: '/dev/null',
}));

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`pouchdb-server listening on http://127.0.0.1:${server.address().port}\n`);
});

function stop () {
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
