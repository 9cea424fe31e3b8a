/* kontor-server-sqlite.h: the embedded SQLite storage of kontor-server
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-server-storage.h"

G_BEGIN_DECLS

#define KONTOR_TYPE_SERVER_SQLITE (kontor_server_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (KontorServerSqlite, kontor_server_sqlite, KONTOR, SERVER_SQLITE, GObject)

/* Opens (creating) DATA_DIR/kontor-server.db. */
KontorServerSqlite *kontor_server_sqlite_open (const char  *data_dir,
                                               GError     **error);

G_END_DECLS
