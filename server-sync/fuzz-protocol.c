/* fuzz-protocol.c: libFuzzer target for what clients send to kontor-server
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kontor-server-decode.h"
#include "kontor-sync-op.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  gint64 replica_id;

  body = kontor_server_parse_object ((const char *) data, size, NULL);
  if (body == NULL)
    return 0;

  ops = kontor_server_decode_push (body, &replica_id, NULL);
  for (guint i = 0; ops && i < ops->len; i++)
    {
      KontorSyncOp *op = g_ptr_array_index (ops, i);
      g_autoptr(KontorSyncRecord) rec = kontor_sync_op_to_record (op, NULL);
      g_autofree char *hash = kontor_sync_op_hash (op);

      if (rec != NULL)
        {
          g_autoptr(KontorSyncRecord) merged = kontor_sync_record_new ();
          g_autoptr(GPtrArray) conflicts = kontor_sync_record_merge (merged, rec);
          g_autofree char *text = kontor_sync_record_to_string (merged);
        }
    }

  /* the changes feed and state documents go through the same decoder */
  {
    g_autoptr(KontorSyncRecord) rec = kontor_sync_record_from_json (json_object_get_member (body, "state"),
                                                                   NULL);
  }
  return 0;
}
