/* kontor-test-server.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "kontor-test-server.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("KONTOR_SERVER");

  if (path == NULL)
    g_error ("KONTOR_SERVER is not set (meson test sets it)");
  return path;
}

void
kontor_test_add_user (const char *data_dir,
                      const char *user,
                      const char *password)
{
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                        server_binary (), "--data-dir", data_dir, "admin", "user-add", user, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (p, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (p));
}

/* A server outlives no test: if the test dies, the kernel ends it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

KontorTestServer *
kontor_test_server_start (const char         *data_dir,
                          guint               port,
                          const char * const *extra_args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  KontorTestServer *s = g_new0 (KontorTestServer, 1);
  g_autofree char *db = g_build_filename (data_dir, "kontor-server.db", NULL);

  s->data_dir = g_strdup (data_dir);
  s->binary = g_strdup (server_binary ());

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    kontor_test_add_user (data_dir, "anna", "s3cret-pass");

  g_ptr_array_add (argv, g_strdup (s->binary));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (data_dir));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  /* the server's log goes to our stderr, where meson keeps it */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    s->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "kontor-server listening on "));
  s->url = g_strdup (line + strlen ("kontor-server listening on "));
  {
    const char *colon = strrchr (s->url, ':');
    s->port = colon ? (guint) g_ascii_strtoull (colon + 1, NULL, 10) : 0;
  }

  return s;
}

void
kontor_test_server_kill (KontorTestServer *server,
                         int               signum)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, signum);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
kontor_test_server_free (KontorTestServer *server)
{
  if (server == NULL)
    return;
  kontor_test_server_kill (server, SIGTERM);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->binary);
  g_free (server);
}

void
kontor_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        kontor_test_rm_rf (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

JsonNode *
kontor_test_parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, data, len, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}
