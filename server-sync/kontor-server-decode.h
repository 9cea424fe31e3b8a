/* kontor-server-decode.h: checking what clients send, before anything else
 *
 * No I/O and no storage: the libFuzzer target feeds these directly.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KONTOR_SERVER_MAX_JSON_DEPTH 64
#define KONTOR_SERVER_MAX_OPS_PER_PUSH 5000

/* FALSE when the JSON text nests deeper than KONTOR_SERVER_MAX_JSON_DEPTH
 * (json-glib parses recursively). */
gboolean   kontor_server_json_depth_ok  (const char  *data,
                                         gsize        len);
/* Parses a UTF-8 JSON object body; G_IO_ERROR_INVALID_DATA with a message
 * when it is not one. */
JsonObject *kontor_server_parse_object  (const char  *data,
                                         gsize        len,
                                         GError     **error);
/* Decodes a push body into KontorSyncOps, all or nothing: any malformed op
 * (G_IO_ERROR_INVALID_DATA), an op of another replica
 * (G_IO_ERROR_PERMISSION_DENIED) or too many ops
 * (G_IO_ERROR_MESSAGE_TOO_LARGE) fails the whole request. */
GPtrArray *kontor_server_decode_push    (JsonObject  *body,
                                         gint64      *replica_id,
                                         GError     **error);

G_END_DECLS
