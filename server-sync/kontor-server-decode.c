/* kontor-server-decode.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "kontor-server-decode.h"
#include "kontor-sync-op.h"

gboolean
kontor_server_json_depth_ok (const char *data,
                             gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > KONTOR_SERVER_MAX_JSON_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

JsonObject *
kontor_server_parse_object (const char  *data,
                            gsize        len,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (len == 0 || !g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The request body must be a UTF-8 JSON object"));
      return NULL;
    }
  if (!kontor_server_json_depth_ok (data, len))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The request body nests too deeply"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The request body must be a JSON object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

GPtrArray *
kontor_server_decode_push (JsonObject  *body,
                           gint64      *replica_id,
                           GError     **error)
{
  g_autoptr(GPtrArray) ops = NULL;
  JsonNode *ops_node = json_object_get_member (body, "ops");
  JsonNode *id_node = json_object_get_member (body, "replica_id");
  JsonArray *array;
  gint64 id;

  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
      json_node_get_value_type (id_node) != G_TYPE_INT64 ||
      (id = json_node_get_int (id_node)) <= 0 || id > G_MAXUINT32 ||
      ops_node == NULL || !JSON_NODE_HOLDS_ARRAY (ops_node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Give “replica_id” and an array “ops”"));
      return NULL;
    }

  array = json_node_get_array (ops_node);
  if (json_array_get_length (array) > KONTOR_SERVER_MAX_OPS_PER_PUSH)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("At most %u ops per push"), KONTOR_SERVER_MAX_OPS_PER_PUSH);
      return NULL;
    }

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_sync_op_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(GError) local = NULL;
      KontorSyncOp *op = kontor_sync_op_from_json (json_array_get_element (array, i), &local);

      if (op == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("op %u: %s"), i,
                       local ? local->message : _("malformed"));
          return NULL;
        }
      g_ptr_array_add (ops, op);
      if (op->dot.replica != id)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       _("op %u: its dot belongs to replica %u, not %lld"),
                       i, op->dot.replica, (long long) id);
          return NULL;
        }
    }

  *replica_id = id;
  return g_steal_pointer (&ops);
}
