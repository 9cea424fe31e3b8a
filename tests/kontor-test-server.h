/* kontor-test-server.h: a real kontor-server process for tests
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *data_dir;
  char        *url;
  char        *binary;
  guint        port;
} KontorTestServer;

/* Starts kontor-server (path from $KONTOR_SERVER) on 127.0.0.1 and a free
 * port (or port, when not 0) with a user "anna"/"s3cret-pass" created
 * through the admin command. */
KontorTestServer *kontor_test_server_start   (const char       *data_dir,
                                              guint             port,
                                              const char * const *extra_args);
void              kontor_test_server_kill    (KontorTestServer *server,
                                              int               signum);
void              kontor_test_server_free    (KontorTestServer *server);
void              kontor_test_add_user       (const char       *data_dir,
                                              const char       *user,
                                              const char       *password);
/* Parses a response body (not NUL-terminated) as JSON; NULL if it is not. */
JsonNode         *kontor_test_parse_bytes    (GBytes           *bytes);
/* Removes a directory tree of test files. */
void              kontor_test_rm_rf          (const char       *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KontorTestServer, kontor_test_server_free)

G_END_DECLS
