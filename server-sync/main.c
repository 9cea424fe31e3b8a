/* main.c: kontor-server
 *
 *   kontor-server [--data-dir DIR] [--address A] [--port N] [--tls-cert F --tls-key F]
 *   kontor-server admin [--data-dir DIR] user-add NAME | user-passwd NAME | user-list
 *                       | replica-list | replica-retire ID | audit [--limit N]
 *                       | purge [--horizon SECONDS] | blobs-gc [--min-age SECONDS]
 *
 * Passwords for user-add and user-passwd are read from standard input (one
 * line), so they never show up in a process list or shell history.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "kontor-server.h"
#include "kontor-server-blobs.h"
#include "kontor-server-sqlite.h"

static char *
read_password (GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (line->len > 1024)
        break;
      g_string_append_c (line, (char) c);
    }
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (line->len < 8)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The password (read from standard input) must have at least 8 characters"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static int
run_admin (KontorServerStorage  *storage,
           const char           *data_dir,
           char                **args,
           int                   limit,
           gint64                horizon,
           gint64                min_age)
{
  g_autoptr(GError) error = NULL;
  const char *cmd = args[0];
  guint n = g_strv_length (args);

  if (cmd == NULL)
    {
      g_printerr ("kontor-server admin: user-add NAME | user-passwd NAME | user-list | "
                  "replica-list | replica-retire ID | audit | purge [--horizon S] | "
                  "blobs-gc [--min-age S]\n");
      return 2;
    }

  if ((g_str_equal (cmd, "user-add") || g_str_equal (cmd, "user-passwd")) && n == 2)
    {
      g_autofree char *password = read_password (&error);
      g_autofree char *hash = NULL;

      if (password == NULL || (hash = kontor_server_hash_password (password, &error)) == NULL)
        goto fail;
      sodium_memzero (password, strlen (password));
      if (!kontor_server_storage_begin (storage, &error))
        goto fail;
      if (g_str_equal (cmd, "user-add") ?
          !kontor_server_storage_user_add (storage, args[1], hash, NULL, &error) :
          !kontor_server_storage_user_set_password (storage, args[1], hash, &error))
        {
          kontor_server_storage_rollback (storage);
          goto fail;
        }
      /* a new password ends every session of the old one */
      if (g_str_equal (cmd, "user-passwd"))
        {
          gint64 uid;
          g_autofree char *h = NULL;

          if (!kontor_server_storage_user_lookup (storage, args[1], &uid, &h, &error) ||
              !kontor_server_storage_token_revoke_user (storage, uid, &error))
            {
              kontor_server_storage_rollback (storage);
              goto fail;
            }
        }
      if (!kontor_server_storage_commit (storage, &error))
        goto fail;
      g_print (g_str_equal (cmd, "user-add") ? _("User %s added\n") : _("Password of %s changed\n"),
               args[1]);
      return 0;
    }

  if (g_str_equal (cmd, "user-list") && n == 1)
    {
      g_auto(GStrv) users = kontor_server_storage_user_list (storage, &error);

      if (users == NULL)
        goto fail;
      for (guint i = 0; users[i]; i++)
        g_print ("%s\n", users[i]);
      return 0;
    }

  if (g_str_equal (cmd, "replica-list") && n == 1)
    {
      g_autoptr(GPtrArray) list = kontor_server_storage_replica_list (storage, &error);

      if (list == NULL)
        goto fail;
      for (guint i = 0; i < list->len; i++)
        {
          KontorReplicaInfo *r = g_ptr_array_index (list, i);
          g_autoptr(GDateTime) seen = g_date_time_new_from_unix_utc (r->last_seen);
          g_autofree char *when = g_date_time_format_iso8601 (seen);

          g_print ("%u\tuser=%" G_GINT64_FORMAT "\t%s\tapplied_upto=%" G_GUINT64_FORMAT
                   "\tlast_seen=%s%s\n", r->replica_id, r->user_id, r->name, r->applied_upto,
                   when, r->retired ? "\tretired" : "");
        }
      return 0;
    }

  if (g_str_equal (cmd, "replica-retire") && n == 2)
    {
      guint64 id;

      if (!g_ascii_string_to_unsigned (args[1], 10, 1, G_MAXUINT32, &id, &error) ||
          !kontor_server_storage_begin (storage, &error))
        goto fail;
      if (!kontor_server_storage_replica_retire (storage, (guint32) id, &error))
        {
          kontor_server_storage_rollback (storage);
          goto fail;
        }
      if (!kontor_server_storage_commit (storage, &error))
        goto fail;
      g_print (_("Replica %u retired\n"), (guint32) id);
      return 0;
    }

  if (g_str_equal (cmd, "purge") && n == 1)
    {
      guint purged = 0;

      if (!kontor_server_purge_tombstones (storage, horizon, &purged, &error))
        goto fail;
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u deleted record removed\n",
                            "%u deleted records removed\n", purged), purged);
      return 0;
    }

  if (g_str_equal (cmd, "blobs-gc") && n == 1)
    {
      guint n_blobs = 0;
      guint n_partial = 0;

      if (!kontor_server_blobs_gc (storage, data_dir, min_age, &n_blobs, &n_partial, &error))
        goto fail;
      g_autofree char *files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                             "%u unreferenced file",
                                                             "%u unreferenced files",
                                                             n_blobs), n_blobs);
      g_autofree char *uploads = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u stale partial upload",
                                                               "%u stale partial uploads",
                                                               n_partial), n_partial);

      /* Translators: the first %s is "N unreferenced files", the second
       * "N stale partial uploads" */
      g_print (_("%s and %s removed\n"), files, uploads);
      return 0;
    }

  if (g_str_equal (cmd, "prune-retired") && n == 1)
    {
      guint rewritten = 0;

      if (!kontor_server_prune_retired (storage, &rewritten, &error))
        goto fail;
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u record rewritten without retired replicas\n",
                            "%u records rewritten without retired replicas\n", rewritten),
               rewritten);
      return 0;
    }

  if (g_str_equal (cmd, "audit") && n == 1)
    {
      g_autoptr(GPtrArray) lines = kontor_server_storage_audit_list (storage, limit, &error);

      if (lines == NULL)
        goto fail;
      for (guint i = 0; i < lines->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (lines, i));
      return 0;
    }

  g_printerr (_("kontor-server admin: unknown command or wrong arguments: %s\n"), cmd);
  return 2;

fail:
  g_printerr ("kontor-server admin: %s\n", error->message);
  return 1;
}

static gboolean
purge_daily (gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!kontor_server_purge_tombstones (data, 90 * 24 * 3600, NULL, &error))
    g_warning ("purging tombstones failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
log_writer_init (void)
{
  /* operators read stderr: one line per event with a timestamp */
  g_log_writer_default_set_use_stderr (TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorServerSqlite) storage = NULL;
  g_autoptr(KontorServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *address = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_auto(GStrv) rest = NULL;
  int port = 8421;
  int limit = 50;
  gint64 token_lifetime = 0;
  gint64 horizon = 90 * 24 * 3600;
  gint64 min_age = 24 * 3600;
  gint64 max_blob_size = 0;
  KontorServerConfig config;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Data folder (default: ./kontor-data)"), N_("DIR") },
    { "address", 'a', 0, G_OPTION_ARG_STRING, &address, N_("Address to listen on (default 127.0.0.1)"), N_("IP") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port (0: any free port; default 8421)"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("TLS private key (PEM)"), N_("FILE") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT64, &token_lifetime, N_("Seconds a sign-in lasts (default 30 days)"), N_("S") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Lines of audit to show"), N_("N") },
    { "horizon", 0, 0, G_OPTION_ARG_INT64, &horizon, N_("purge: seconds a replica may be away (default 90 days)"), N_("S") },
    { "min-age", 0, 0, G_OPTION_ARG_INT64, &min_age, N_("blobs-gc: seconds an unreferenced file is kept (default 1 day)"), N_("S") },
    { "max-blob-size", 0, 0, G_OPTION_ARG_INT64, &max_blob_size, N_("Largest file to accept, in bytes (default 200 MiB)"), N_("BYTES") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("[admin COMMAND …]") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  log_writer_init ();

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("The Kontor sync server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("kontor-server: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("kontor-server: %s\n", _("--port must be 0 to 65535"));
      return 2;
    }

  if (sodium_init () < 0)
    {
      g_printerr ("kontor-server: libsodium failed to start\n");
      return 1;
    }

  storage = kontor_server_sqlite_open (data_dir ? data_dir : "kontor-data", &error);
  if (storage == NULL)
    {
      g_printerr ("kontor-server: %s\n", error->message);
      return 1;
    }

  if (rest != NULL && rest[0] != NULL)
    {
      if (!g_str_equal (rest[0], "admin"))
        {
          g_printerr (_("kontor-server: unknown argument “%s”\n"), rest[0]);
          return 2;
        }
      return run_admin (KONTOR_SERVER_STORAGE (storage), data_dir ? data_dir : "kontor-data",
                        rest + 1, limit, horizon, min_age);
    }

  kontor_server_config_init (&config);
  if (address)
    config.address = address;
  config.port = port;
  config.tls_cert = tls_cert;
  config.tls_key = tls_key;
  if (token_lifetime > 0)
    config.token_lifetime = token_lifetime;
  config.data_dir = data_dir ? data_dir : "kontor-data";
  if (max_blob_size > 0)
    config.max_blob = max_blob_size;

  server = kontor_server_new (KONTOR_SERVER_STORAGE (storage), &config, &error);
  if (server == NULL || !kontor_server_listen (server, &error))
    {
      g_printerr ("kontor-server: %s\n", error->message);
      return 1;
    }

  /* tests and scripts read this line to learn the port */
  g_print ("kontor-server listening on %s\n", kontor_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_timeout_add_seconds (24 * 3600, purge_daily, storage);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  g_message ("shutting down");
  return 0;
}
