/* kontor-cli.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "kontor-account.h"
#include "kontor-cli.h"
#include "kontor-cli-io.h"
#include "kontor-demo.h"
#include "kontor-record-list.h"
#include "kontor-store.h"
#include "kontor-store-sync.h"
#include "kontor-sync-client.h"

typedef struct
{
  char     *db_path;
  gboolean  json;
  char    **where;
  char     *sort;
  int       limit;
  int       offset;
  char     *search;
  char     *kind;
  char     *label;
  char     *choices;
  char     *fields;
  gint64    seed;
  int       scale;
  char     *region;
  char     *currency;
  gboolean  quiet;
  char    **args;     /* command and its positional arguments */
} Options;

static void
options_clear (Options *o)
{
  g_free (o->db_path);
  g_strfreev (o->where);
  g_free (o->sort);
  g_free (o->search);
  g_free (o->kind);
  g_free (o->label);
  g_free (o->choices);
  g_free (o->fields);
  g_free (o->region);
  g_free (o->currency);
  g_strfreev (o->args);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static const char usage_text[] = N_(
  "Commands:\n"
  "  init [--region DE] [--currency EUR]   create a database\n"
  "  create KIND FIELD=VALUE…              create a record, print its id\n"
  "  get ID                                show a record\n"
  "  update ID FIELD=VALUE…                change fields (FIELD= clears one)\n"
  "  delete ID                             delete a record (it can be restored)\n"
  "  restore ID                            undo a delete\n"
  "  list KIND [--where COND]… [--sort F,-G] [--limit N] [--offset N]\n"
  "            [--search TEXT] [--fields F,G]\n"
  "                                        COND: f=v f!=v f<v f<=v f>v f>=v\n"
  "                                        f~text 'f in a,b' f? (empty) f!? (set)\n"
  "  count KIND [--where COND]… [--search TEXT]\n"
  "  search TEXT [--kind KIND] [--limit N] prefix search, umlauts optional\n"
  "  links ID                              records that refer to ID\n"
  "  schema [KIND]                         show kinds and fields\n"
  "  schema add-field KIND NAME TYPE [--label L] [--choices a,b]\n"
  "                                        add a custom field\n"
  "  outbox                                local changes not yet sent\n"
  "  demo [--seed N] [--scale N]           add generated demo data\n"
  "  settings [KEY [VALUE]]                show or set default_region, default_currency\n"
  "\n"
  "Import and export (options after the command; “COMMAND --help” lists them):\n"
  "  import FILE… [--kind K] [--format csv|vcard|ics] [--encoding E]\n"
  "         [--date-order dmy|mdy|ymd] [--mapping COLUMN=FIELD]… [--skip-invalid]\n"
  "         [--dry-run] [--progress]      import files, print imported, skipped,\n"
  "                                        failed rows and the reason of each\n"
  "  import --profile PROFILE [--base DIR] [--dry-run]\n"
  "                                        related CSV files (docs/import-profiles.md)\n"
  "  export KIND [--format csv|vcard|vcard3|ics] [--where COND]… [--output FILE]\n"
  "  duplicates KIND [--threshold 0.8] [--limit N]\n"
  "                                        contacts or organizations entered twice\n"
  "  merge SURVIVOR OTHER [--keep FIELD=other|survivor]…\n"
  "                                        merge OTHER into SURVIVOR\n"
  "  merge --undo HISTORY_ID               undo a merge\n"
  "\n"
  "Sync:\n"
  "  login URL USER                        sign in (password on standard input)\n"
  "  logout                                sign out and forget the token\n"
  "  sync                                  send local changes, receive the others'\n"
  "  status                                replica id, changes not yet sent, conflicts\n"
  "  conflicts                             fields changed on two devices at once\n"
  "  resolve ID FIELD VALUE                keep VALUE (for a deleted record: FIELD\n"
  "                                        _deleted, VALUE yes to delete, no to restore)\n"
  "  rejected                              changes the server refused, with reasons\n");

static void
print_error (const char *message)
{
  g_printerr ("kontor-cli: %s\n", message);
}

static int
usage_error (const char *message)
{
  print_error (message);
  g_printerr (_("Run “kontor-cli --help” for the commands.\n"));
  return KONTOR_CLI_EXIT_USAGE;
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      KontorFieldProblem *p = g_ptr_array_index (problems, i);

      g_printerr ("  %s: %s\n", p->field, p->message);
    }
}

static int
fail (Options *o,
      GError  *error)
{
  print_error (error->message);
  return KONTOR_CLI_EXIT_ERROR;
}

static int
fail_problems (GError    *error,
               GPtrArray *problems)
{
  if (problems != NULL && problems->len > 0)
    {
      print_error (_("the record was not saved:"));
      print_problems (problems);
    }
  else
    print_error (error->message);

  return KONTOR_CLI_EXIT_ERROR;
}

/* FIELD=VALUE arguments as a JSON object of strings (empty -> null); the
 * store parses each by its field's type. */
static JsonObject *
parse_assignments (char    **args,
                   GError  **error)
{
  g_autoptr(JsonObject) values = json_object_new ();

  for (guint i = 0; args[i]; i++)
    {
      const char *eq = strchr (args[i], '=');
      g_autofree char *name = NULL;

      if (eq == NULL || eq == args[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not FIELD=VALUE"), args[i]);
          return NULL;
        }
      name = g_strndup (args[i], eq - args[i]);
      if (json_object_has_member (values, name))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The field “%s” is given twice"), name);
          return NULL;
        }
      if (eq[1] == '\0')
        json_object_set_null_member (values, name);
      else
        json_object_set_string_member (values, name, eq + 1);
    }

  return g_steal_pointer (&values);
}

static void
print_record (KontorStore  *store,
              KontorRecord *record)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store),
                                             kontor_record_get_kind (record));
  const char * const *conflicts = kontor_record_get_conflicts (record);
  GPtrArray *fields;

  g_print ("%s %s%s\n", kontor_record_get_kind (record), kontor_record_get_id (record),
           kontor_record_get_deleted (record) ? _(" (deleted)") : "");
  g_print ("  %-20s %s\n", _("title"), kontor_record_get_title (record));

  if (kind == NULL)
    return;

  fields = kontor_kind_get_fields (kind);
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char *name = kontor_field_get_name (f);
      JsonNode *value = kontor_record_get_value (record, name);
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      text = kontor_field_format (f, value);
      g_print ("  %-20s %s%s\n", name, text,
               conflicts && g_strv_contains (conflicts, name) ? _("  [conflict]") : "");
    }
}

static void
output_record (Options      *o,
               KontorStore  *store,
               KontorRecord *record)
{
  if (o->json)
    {
      g_autoptr(JsonNode) node = kontor_record_to_json (record);
      print_json (node);
    }
  else
    print_record (store, record);
}

static void
output_records (Options     *o,
                KontorStore *store,
                GPtrArray   *records,
                const char  *kind_name)
{
  KontorKind *kind = kind_name ? kontor_schema_get_kind (kontor_store_get_schema (store),
                                                         kind_name) : NULL;
  g_auto(GStrv) columns = (o->fields && kind) ? g_strsplit (o->fields, ",", -1) : NULL;

  if (o->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < records->len; i++)
        json_array_add_element (array, kontor_record_to_json (g_ptr_array_index (records, i)));
      json_node_set_array (root, array);
      print_json (root);
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (records, i);

      g_print ("%s  ", kontor_record_get_id (r));
      if (kind_name == NULL)
        g_print ("%-12s ", kontor_record_get_kind (r));
      if (columns != NULL)
        {
          for (guint c = 0; columns[c]; c++)
            {
              KontorField *f = kontor_kind_get_field (kind, g_strstrip (columns[c]));
              g_autofree char *text = f ? kontor_field_format (f, kontor_record_get_value (r, columns[c]))
                                        : g_strdup ("?");
              g_print ("%s%s", c ? "\t" : "", text);
            }
          g_print ("\n");
        }
      else
        g_print ("%s\n", kontor_record_get_title (r));
    }
}

static gboolean
check_fields_option (Options      *o,
                     KontorStore  *store,
                     const char   *kind_name,
                     GError      **error)
{
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store), kind_name);
  g_auto(GStrv) columns = NULL;

  if (o->fields == NULL || kind == NULL)
    return TRUE;

  columns = g_strsplit (o->fields, ",", -1);
  for (guint i = 0; columns[i]; i++)
    if (kontor_kind_get_field (kind, g_strstrip (columns[i])) == NULL)
      {
        g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_UNKNOWN_FIELD,
                     _("%s: unknown field of a %s"), columns[i], kind_name);
        return FALSE;
      }

  return TRUE;
}

static KontorQuery *
build_query (Options     *o,
             const char  *kind,
             GError     **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new (kind);

  for (guint i = 0; o->where && o->where[i]; i++)
    if (!kontor_query_parse_condition (query, o->where[i], error))
      return NULL;
  if (o->sort != NULL)
    kontor_query_parse_sort (query, o->sort);
  if (o->search != NULL)
    kontor_query_set_search (query, o->search);

  return g_steal_pointer (&query);
}

static void
print_schema_kind (KontorKind *kind)
{
  GPtrArray *fields = kontor_kind_get_fields (kind);

  g_print ("%s (%s)\n", kontor_kind_get_name (kind), _(kontor_kind_get_label (kind)));
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char * const *choices = kontor_field_get_choices (f);
      const char * const *refs = kontor_field_get_ref_kinds (f);
      g_autoptr(GString) extra = g_string_new (NULL);

      if (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED))
        g_string_append (extra, _(" required"));
      if (kontor_field_has_flag (f, KONTOR_FIELD_FLAG_CUSTOM))
        g_string_append (extra, _(" custom"));
      if (choices != NULL)
        {
          g_autofree char *j = g_strjoinv ("|", (char **) choices);
          g_string_append_printf (extra, " [%s]", j);
        }
      if (refs != NULL)
        {
          g_autofree char *j = g_strjoinv ("|", (char **) refs);
          g_string_append_printf (extra, " -> %s", j);
        }
      g_print ("  %-20s %-13s %s%s\n", kontor_field_get_name (f),
               kontor_field_type_to_string (kontor_field_get_field_type (f)),
               _(kontor_field_get_label (f)), extra->str);
    }
}

static JsonNode *
schema_kind_to_json (KontorKind *kind)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GPtrArray *fields = kontor_kind_get_fields (kind);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, kontor_kind_get_name (kind));
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, kontor_kind_get_label (kind));
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      const char * const *choices = kontor_field_get_choices (f);
      const char * const *refs = kontor_field_get_ref_kinds (f);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, kontor_field_get_name (f));
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, kontor_field_type_to_string (kontor_field_get_field_type (f)));
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, kontor_field_get_label (f));
      json_builder_set_member_name (b, "required");
      json_builder_add_boolean_value (b, kontor_field_has_flag (f, KONTOR_FIELD_FLAG_REQUIRED));
      json_builder_set_member_name (b, "custom");
      json_builder_add_boolean_value (b, kontor_field_has_flag (f, KONTOR_FIELD_FLAG_CUSTOM));
      if (choices != NULL)
        {
          json_builder_set_member_name (b, "choices");
          json_builder_begin_array (b);
          for (guint c = 0; choices[c]; c++)
            json_builder_add_string_value (b, choices[c]);
          json_builder_end_array (b);
        }
      if (refs != NULL)
        {
          json_builder_set_member_name (b, "refers_to");
          json_builder_begin_array (b);
          for (guint c = 0; refs[c]; c++)
            json_builder_add_string_value (b, refs[c]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static int
cmd_schema (Options     *o,
            KontorStore *store,
            char       **args)
{
  KontorSchema *schema = kontor_store_get_schema (store);
  g_autoptr(GError) error = NULL;

  if (args[0] != NULL && g_str_equal (args[0], "add-field"))
    {
      g_auto(GStrv) choices = NULL;
      KontorField *field;

      if (g_strv_length (args) != 4)
        return usage_error (_("usage: schema add-field KIND NAME TYPE [--label L] [--choices a,b]"));
      if (o->choices != NULL)
        {
          choices = g_strsplit (o->choices, ",", -1);
          for (guint i = 0; choices[i]; i++)
            g_strstrip (choices[i]);
        }
      field = kontor_store_add_custom_field (store, args[1], args[2], o->label, args[3],
                                             (const char * const *) choices, &error);
      if (field == NULL)
        return fail (o, error);
      if (!o->quiet)
        g_print (_("Added field “%s” (%s) to %s\n"), args[2], args[3], args[1]);
      return KONTOR_CLI_EXIT_OK;
    }

  if (args[0] != NULL)
    {
      KontorKind *kind = kontor_schema_require_kind (schema, args[0], &error);

      if (kind == NULL)
        return fail (o, error);
      if (o->json)
        {
          g_autoptr(JsonNode) node = schema_kind_to_json (kind);
          print_json (node);
        }
      else
        print_schema_kind (kind);
      return KONTOR_CLI_EXIT_OK;
    }

  {
    GPtrArray *kinds = kontor_schema_list_kinds (schema);
    g_autoptr(JsonArray) array = json_array_new ();

    for (guint i = 0; i < kinds->len; i++)
      {
        if (o->json)
          json_array_add_element (array, schema_kind_to_json (g_ptr_array_index (kinds, i)));
        else
          {
            print_schema_kind (g_ptr_array_index (kinds, i));
            g_print ("\n");
          }
      }
    if (o->json)
      {
        g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
        json_node_set_array (root, array);
        print_json (root);
      }
  }

  return KONTOR_CLI_EXIT_OK;
}

static void
demo_progress (guint    done,
               guint    total,
               gpointer user_data)
{
  Options *o = user_data;

  if (!o->quiet)
    g_printerr ("\r%s %u/%u", _("Generating demo data:"), done, total);
}

static char *
read_secret_line (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    if (line->len < 4096)
      g_string_append_c (line, (char) c);
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static GError *
not_signed_in_error (void)
{
  return g_error_new_literal (KONTOR_SYNC_CLIENT_ERROR, KONTOR_SYNC_CLIENT_ERROR_UNAUTHORIZED,
                              _("not signed in; run “kontor-cli login URL USER” first"));
}

/* The account's token from the keyring. Builds before the keyring kept the
 * token in the database's meta table ("sync_token"); the first command
 * that needs the token moves it into the keyring and clears the meta entry.
 * Without a keyring that entry stays put and the command fails with the
 * keyring's error: the token is never read from or written to the database
 * as a fallback. */
static char *
token_for (KontorAccount  *account,
           KontorStore    *store,
           GError        **error)
{
  char *token;

  if (!kontor_account_migrate_legacy_token_sync (account, store, NULL, error))
    return NULL;
  token = kontor_account_lookup_token_sync (account, NULL, error);
  if (token == NULL && (error == NULL || *error == NULL))
    g_propagate_error (error, not_signed_in_error ());
  return token;
}

static void
wipe_token (char *token)
{
  if (token != NULL)
    memset (token, 0, strlen (token));
}

static KontorSyncClient *
client_for (KontorStore  *store,
            GError      **error)
{
  g_autoptr(KontorAccount) account = kontor_account_load (store);
  g_autofree char *token = NULL;
  KontorSyncClient *client;

  if (account == NULL)
    {
      g_propagate_error (error, not_signed_in_error ());
      return NULL;
    }
  token = token_for (account, store, error);
  if (token == NULL)
    return NULL;
  client = kontor_sync_client_new (kontor_account_get_server_url (account));
  kontor_sync_client_set_token (client, token);
  wipe_token (token);
  return client;
}

static int
run_sync_command (Options     *o,
                  KontorStore *store,
                  const char  *cmd,
                  char       **args,
                  gboolean    *handled)
{
  guint n_args = g_strv_length (args);
  g_autoptr(GError) error = NULL;

  *handled = TRUE;

  if (g_str_equal (cmd, "login"))
    {
      g_autoptr(KontorSyncClient) client = NULL;
      g_autoptr(KontorAccount) account = NULL;
      g_autoptr(KontorAccount) previous = NULL;
      g_autofree char *password = NULL;

      if (n_args != 2)
        return usage_error (_("usage: login URL USER (password on standard input)"));
      password = read_secret_line ();
      client = kontor_sync_client_new (args[0]);
      if (!kontor_sync_client_login (client, args[1], password, NULL, &error))
        {
          memset (password, 0, strlen (password));
          return fail (o, error);
        }
      memset (password, 0, strlen (password));

      account = kontor_account_new (kontor_sync_client_get_url (client), args[1],
                                    kontor_store_get_database_id (store));
      /* The keyring first: without one the server session is ended again
       * and the database is left as it was. A token an older build left in
       * the database is stale now; moving it into the keyring scrubs it
       * from the file, and the new token then takes its place. */
      if (!kontor_account_migrate_legacy_token_sync (account, store, NULL, &error) ||
          !kontor_account_store_token_sync (account, kontor_sync_client_get_token (client), NULL,
                                            &error))
        {
          kontor_sync_client_logout (client, NULL, NULL);
          return fail (o, error);
        }

      /* signing in as someone else (or elsewhere) forgets the old token */
      previous = kontor_account_load (store);
      if (previous != NULL &&
          (g_strcmp0 (kontor_account_get_server_url (previous),
                      kontor_account_get_server_url (account)) != 0 ||
           g_strcmp0 (kontor_account_get_user (previous), kontor_account_get_user (account)) != 0))
        {
          g_autoptr(GError) clear_error = NULL;

          if (!kontor_account_clear_token_sync (previous, NULL, &clear_error))
            g_debug ("could not forget the previous token: %s", clear_error->message);
        }

      if (!kontor_account_save (account, store, &error) ||
          !kontor_sync_client_register (client, store, NULL, &error))
        return fail (o, error);
      if (!o->quiet)
        g_print (_("Signed in to %s as %s (replica %u)\n"), kontor_sync_client_get_url (client),
                 args[1], kontor_store_get_replica_id (store));
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "logout"))
    {
      g_autoptr(KontorAccount) account = kontor_account_load (store);
      g_autoptr(KontorSyncClient) client = NULL;
      g_autofree char *legacy = kontor_store_get_setting (store, "sync_token");
      gboolean keyring = TRUE;

      if (account == NULL)
        {
          g_propagate_error (&error, not_signed_in_error ());
          return fail (o, error);
        }
      client = client_for (store, &error);
      /* Without a keyring an older build's token cannot move there, but
       * signing out must still take it out of the database. */
      if (client == NULL && legacy != NULL && *legacy != '\0' &&
          error->domain == G_IO_ERROR)
        {
          g_clear_error (&error);
          keyring = FALSE;
          client = kontor_sync_client_new (kontor_account_get_server_url (account));
          kontor_sync_client_set_token (client, legacy);
          if (!kontor_store_set_setting (store, "sync_token", NULL, &error))
            return fail (o, error);
        }
      wipe_token (legacy);
      if (client == NULL)
        return fail (o, error);
      /* forget the token even when the server is away */
      if (!kontor_sync_client_logout (client, NULL, &error) && !o->quiet)
        g_printerr (_("kontor-cli: the server did not confirm: %s\n"), error->message);
      g_clear_error (&error);
      if (keyring && !kontor_account_clear_token_sync (account, NULL, &error))
        return fail (o, error);
      if (!o->quiet)
        g_print (_("Signed out\n"));
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "sync"))
    {
      g_autoptr(KontorSyncClient) client = client_for (store, &error);
      KontorSyncStats stats = { 0 };

      if (client == NULL)
        return fail (o, error);
      if (!kontor_sync_client_sync (client, store, &stats, NULL, &error))
        return fail (o, error);
      if (o->json)
        g_print ("{\"pushed\":%u,\"duplicates\":%u,\"rejected\":%u,\"pulled\":%u,"
                 "\"outbox\":%u}\n", stats.pushed, stats.duplicates, stats.rejected, stats.pulled,
                 kontor_store_outbox_count (store));
      else if (!o->quiet)
        /* Translators: the plural is chosen by the number of changes sent (the
         * first %u); the second is the number received, the third how many the
         * server refused */
        g_print (g_dngettext (GETTEXT_PACKAGE, "Sent %u change, received %u; %u refused\n",
                              "Sent %u changes, received %u; %u refused\n", stats.pushed),
                 stats.pushed, stats.pulled, stats.rejected);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "status"))
    {
      g_autoptr(GPtrArray) conflicts = kontor_store_list_conflicts (store, &error);
      g_autoptr(GPtrArray) rejected = NULL;
      g_autoptr(KontorAccount) account = kontor_account_load (store);
      const char *signed_in = "no";
      guint32 replica = kontor_store_get_replica_id (store);

      if (conflicts == NULL || (rejected = kontor_store_list_rejected (store, &error)) == NULL)
        return fail (o, error);
      /* Whether the keyring holds a token, never the token itself. No
       * keyring is no reason for status to fail. */
      if (account != NULL)
        {
          g_autoptr(GError) keyring_error = NULL;
          g_autofree char *legacy = kontor_store_get_setting (store, "sync_token");
          g_autofree char *token = kontor_account_lookup_token_sync (account, NULL,
                                                                     &keyring_error);

          if (token != NULL || (legacy != NULL && *legacy != '\0'))
            signed_in = "yes";
          else if (keyring_error != NULL)
            signed_in = "unknown";
          wipe_token (token);
          wipe_token (legacy);
        }
      g_print ("server=%s\nuser=%s\nsigned_in=%s\nreplica=%s%u\nlast_seq=%" G_GINT64_FORMAT "\n"
               "unsent=%u\nconflicts=%u\nrejected=%u\n",
               account ? kontor_account_get_server_url (account) : "",
               account ? kontor_account_get_user (account) : "", signed_in,
               replica == KONTOR_REPLICA_UNREGISTERED ? "unregistered:" : "",
               replica == KONTOR_REPLICA_UNREGISTERED ? 0 : replica,
               kontor_store_get_last_seq (store), kontor_store_outbox_count (store),
               conflicts->len, rejected->len);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "conflicts"))
    {
      g_autoptr(GPtrArray) records = kontor_store_list_conflicts (store, &error);
      g_autoptr(JsonBuilder) b = json_builder_new ();

      if (records == NULL)
        return fail (o, error);
      json_builder_begin_array (b);
      for (guint i = 0; i < records->len; i++)
        {
          KontorRecord *r = g_ptr_array_index (records, i);
          const char * const *fields = kontor_record_get_conflicts (r);

          for (guint f = 0; fields && fields[f]; f++)
            {
              g_autoptr(GPtrArray) values = kontor_store_get_conflict_values (store,
                                                                              kontor_record_get_id (r),
                                                                              fields[f], &error);
              if (values == NULL)
                return fail (o, error);
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "id");
              json_builder_add_string_value (b, kontor_record_get_id (r));
              json_builder_set_member_name (b, "kind");
              json_builder_add_string_value (b, kontor_record_get_kind (r));
              json_builder_set_member_name (b, "title");
              json_builder_add_string_value (b, kontor_record_get_title (r));
              json_builder_set_member_name (b, "field");
              json_builder_add_string_value (b, fields[f]);
              json_builder_set_member_name (b, "values");
              json_builder_begin_array (b);
              for (guint v = 0; v < values->len; v++)
                json_builder_add_value (b, json_node_copy (g_ptr_array_index (values, v)));
              json_builder_end_array (b);
              json_builder_end_object (b);

              if (!o->json)
                {
                  g_print ("%s  %s  %s:", kontor_record_get_id (r), kontor_record_get_title (r),
                           fields[f]);
                  for (guint v = 0; v < values->len; v++)
                    {
                      g_autofree char *text = json_to_string (g_ptr_array_index (values, v), FALSE);
                      g_print ("%s %s", v ? " |" : "", text);
                    }
                  g_print ("\n");
                }
            }
        }
      json_builder_end_array (b);
      if (o->json)
        {
          g_autoptr(JsonNode) root = json_builder_get_root (b);
          print_json (root);
        }
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "resolve"))
    {
      g_autoptr(KontorRecord) record = NULL;
      g_autoptr(KontorRecord) current = NULL;
      g_autoptr(JsonNode) value = NULL;

      if (n_args != 3)
        return usage_error (_("usage: resolve ID FIELD VALUE"));
      current = kontor_store_get (store, args[0], &error);
      if (current == NULL)
        return fail (o, error);
      if (g_str_equal (args[1], "_deleted"))
        {
          KontorField *f = kontor_field_new ("_deleted", NULL, KONTOR_FIELD_BOOLEAN, 0);

          value = kontor_field_parse_text (f, args[2], NULL, &error);
          kontor_field_unref (f);
        }
      else
        {
          KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (store),
                                                     kontor_record_get_kind (current));
          KontorField *f = kind ? kontor_kind_get_field (kind, args[1]) : NULL;

          if (f == NULL)
            {
              g_autofree char *msg = g_strdup_printf (_("%s: unknown field of a %s"), args[1],
                                                      kontor_record_get_kind (current));
              print_error (msg);
              return KONTOR_CLI_EXIT_ERROR;
            }
          value = kontor_field_parse_text (f, args[2], kontor_store_get_parse_context (store),
                                           &error);
        }
      if (value == NULL)
        {
          g_autofree char *msg = g_strdup_printf ("%s: %s", args[1], error->message);
          print_error (msg);
          return KONTOR_CLI_EXIT_ERROR;
        }
      record = kontor_store_resolve (store, args[0], args[1], value, &error);
      if (record == NULL)
        return fail (o, error);
      output_record (o, store, record);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "rejected"))
    {
      g_autoptr(GPtrArray) list = kontor_store_list_rejected (store, &error);

      if (list == NULL)
        return fail (o, error);
      for (guint i = 0; i < list->len; i++)
        {
          KontorRejected *r = g_ptr_array_index (list, i);
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *fields = NULL;

          json_node_set_object (node, r->fields);
          fields = json_to_string (node, FALSE);
          g_print ("%" G_GINT64_FORMAT "\t%s %s\t%s\t%s\n", r->id, r->kind, r->record, r->reason,
                   fields);
        }
      return KONTOR_CLI_EXIT_OK;
    }

  *handled = FALSE;
  return KONTOR_CLI_EXIT_OK;
}

static int
run_command (Options     *o,
             KontorStore *store)
{
  const char *cmd = o->args[0];
  char **args = o->args + 1;
  guint n_args = g_strv_length (args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  {
    gboolean handled;
    int rc = run_sync_command (o, store, cmd, args, &handled);

    if (handled)
      return rc;
  }

  if (g_str_equal (cmd, "init"))
    {
      if (o->region && !kontor_store_set_setting (store, "default_region", o->region, &error))
        return fail (o, error);
      if (o->currency && !kontor_store_set_setting (store, "default_currency", o->currency, &error))
        return fail (o, error);
      if (!o->quiet)
        g_print (_("Database ready: %s\n"), kontor_store_get_path (store));
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "create"))
    {
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(KontorRecord) record = NULL;

      if (n_args < 1)
        return usage_error (_("usage: create KIND FIELD=VALUE…"));
      values = parse_assignments (args + 1, &error);
      if (values == NULL)
        return usage_error (error->message);
      record = kontor_store_create (store, args[0], NULL, values, &problems, &error);
      if (record == NULL)
        return fail_problems (error, problems);
      if (o->json)
        output_record (o, store, record);
      else
        g_print ("%s\n", kontor_record_get_id (record));
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "get") || g_str_equal (cmd, "restore"))
    {
      g_autoptr(KontorRecord) record = NULL;

      if (n_args != 1)
        return usage_error (g_str_equal (cmd, "get") ? _("usage: get ID") : _("usage: restore ID"));
      if (g_str_equal (cmd, "get"))
        record = kontor_store_get (store, args[0], &error);
      else
        record = kontor_store_restore (store, args[0], &error);
      if (record == NULL)
        return fail (o, error);
      output_record (o, store, record);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "update"))
    {
      g_autoptr(JsonObject) values = NULL;
      g_autoptr(KontorRecord) record = NULL;

      if (n_args < 2)
        return usage_error (_("usage: update ID FIELD=VALUE…"));
      values = parse_assignments (args + 1, &error);
      if (values == NULL)
        return usage_error (error->message);
      record = kontor_store_update (store, args[0], values, &problems, &error);
      if (record == NULL)
        return fail_problems (error, problems);
      output_record (o, store, record);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "delete"))
    {
      if (n_args != 1)
        return usage_error (_("usage: delete ID"));
      if (!kontor_store_delete (store, args[0], &error))
        return fail (o, error);
      if (!o->quiet)
        g_print (_("Deleted %s (undo with “kontor-cli restore %s”)\n"), args[0], args[0]);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "list") || g_str_equal (cmd, "count"))
    {
      g_autoptr(KontorQuery) query = NULL;
      g_autoptr(GPtrArray) records = NULL;
      guint total = 0;

      if (n_args != 1)
        return usage_error (g_str_equal (cmd, "list") ? _("usage: list KIND [options]")
                                                       : _("usage: count KIND [options]"));
      if (kontor_schema_require_kind (kontor_store_get_schema (store), args[0], &error) == NULL ||
          !check_fields_option (o, store, args[0], &error))
        return fail (o, error);
      query = build_query (o, args[0], &error);
      if (query == NULL)
        return usage_error (error->message);
      if (!kontor_store_count (store, query, &total, &error))
        return fail (o, error);
      if (g_str_equal (cmd, "count"))
        {
          g_print ("%u\n", total);
          return KONTOR_CLI_EXIT_OK;
        }
      records = kontor_store_query (store, query, o->offset, o->limit, &error);
      if (records == NULL)
        return fail (o, error);
      output_records (o, store, records, args[0]);
      if (!o->json && !o->quiet && records->len < total)
        g_printerr (_("(%u of %u shown)\n"), records->len, total);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "search"))
    {
      g_autoptr(GPtrArray) records = NULL;
      g_autofree char *text = NULL;

      if (n_args < 1)
        return usage_error (_("usage: search TEXT [--kind KIND]"));
      if (o->kind && kontor_schema_require_kind (kontor_store_get_schema (store), o->kind,
                                                 &error) == NULL)
        return fail (o, error);
      text = g_strjoinv (" ", args);
      records = kontor_store_search (store, text, o->kind, o->limit ? o->limit : 50, &error);
      if (records == NULL)
        return fail (o, error);
      output_records (o, store, records, NULL);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "links"))
    {
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(KontorRecord) record = NULL;

      if (n_args != 1)
        return usage_error (_("usage: links ID"));
      record = kontor_store_get (store, args[0], &error);
      if (record == NULL)
        return fail (o, error);
      records = kontor_store_list_linked (store, args[0], &error);
      if (records == NULL)
        return fail (o, error);
      output_records (o, store, records, NULL);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "schema"))
    return cmd_schema (o, store, args);

  if (g_str_equal (cmd, "outbox"))
    {
      g_autoptr(GPtrArray) entries = kontor_store_outbox_list (store, o->limit, &error);
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      if (entries == NULL)
        return fail (o, error);
      if (!o->json)
        {
          guint n_outbox = kontor_store_outbox_count (store);

          g_print (g_dngettext (GETTEXT_PACKAGE, "%u change not yet sent\n",
                                "%u changes not yet sent\n", n_outbox), n_outbox);
          for (guint i = 0; i < entries->len; i++)
            {
              g_autofree char *line = json_to_string (g_ptr_array_index (entries, i), FALSE);
              g_print ("%s\n", line);
            }
          return KONTOR_CLI_EXIT_OK;
        }
      for (guint i = 0; i < entries->len; i++)
        json_array_add_element (array, json_node_ref (g_ptr_array_index (entries, i)));
      json_node_set_array (root, array);
      print_json (root);
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "demo"))
    {
      KontorDemoOptions opts;

      if (o->scale < 1)
        return usage_error (_("--scale must be 1 or more"));
      kontor_demo_options_init_default (&opts, o->scale);
      opts.seed = o->seed;
      if (!kontor_demo_generate (store, &opts, demo_progress, o, &error))
        {
          g_printerr ("\n");
          return fail (o, error);
        }
      if (!o->quiet)
        g_printerr ("\n");
      return KONTOR_CLI_EXIT_OK;
    }

  if (g_str_equal (cmd, "settings"))
    {
      static const char * const keys[] = { "default_region", "default_currency", NULL };

      if (n_args == 0)
        {
          for (guint i = 0; keys[i]; i++)
            {
              g_autofree char *v = kontor_store_get_setting (store, keys[i]);
              g_print ("%s=%s\n", keys[i], v ? v : "");
            }
          return KONTOR_CLI_EXIT_OK;
        }
      if (!g_strv_contains (keys, args[0]) || n_args > 2)
        return usage_error (_("usage: settings [default_region|default_currency [VALUE]]"));
      if (n_args == 2 && !kontor_store_set_setting (store, args[0], args[1], &error))
        return fail (o, error);
      {
        g_autofree char *v = kontor_store_get_setting (store, args[0]);
        g_print ("%s=%s\n", args[0], v ? v : "");
      }
      return KONTOR_CLI_EXIT_OK;
    }

  {
    gboolean handled;
    int rc = kontor_cli_io_command (store, cmd, args, o->json, o->quiet, &handled);

    if (handled)
      return rc;
  }

  {
    g_autofree char *msg = g_strdup_printf (_("unknown command “%s”"), cmd);
    return usage_error (msg);
  }
}

int
kontor_cli_run (int    argc,
                char **argv)
{
  g_auto(Options) o = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorStore) store = NULL;
  g_auto(GStrv) arguments = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o.db_path, N_("Database file (default: the app's)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print JSON for scripts"), NULL },
    { "where", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &o.where, N_("Filter condition (repeatable)"), N_("COND") },
    { "sort", 's', 0, G_OPTION_ARG_STRING, &o.sort, N_("Sort fields, -field for descending"), N_("F,-G") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &o.limit, N_("At most N records"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_INT, &o.offset, N_("Skip N records"), N_("N") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &o.search, N_("Full-text restriction"), N_("TEXT") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &o.kind, N_("Only this kind"), N_("KIND") },
    { "label", 0, 0, G_OPTION_ARG_STRING, &o.label, N_("Label of a new field"), N_("LABEL") },
    { "choices", 0, 0, G_OPTION_ARG_STRING, &o.choices, N_("Choices of a new field"), N_("A,B") },
    { "fields", 'f', 0, G_OPTION_ARG_STRING, &o.fields, N_("Columns to list"), N_("F,G") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Demo data seed"), N_("N") },
    { "scale", 0, 0, G_OPTION_ARG_INT, &o.scale, N_("Demo data size"), N_("N") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &o.region, N_("Default phone region (init)"), N_("CC") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &o.currency, N_("Default currency (init)"), N_("CUR") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, N_("Less output"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.args, NULL, N_("COMMAND [ARGS…]") },
    { NULL }
  };

  o.seed = 1;
  o.scale = 1;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Kontor CRM on the command line."));
  g_option_context_set_description (context, _(usage_text));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  arguments = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    arguments[i] = g_strdup (argv[i]);

  /* import, export, duplicates and merge read their own options: for
   * them, option parsing here stops at the command word */
  g_option_context_set_strict_posix (context,
                                     kontor_cli_io_owns_command_line (arguments, entries));

  if (!g_option_context_parse_strv (context, &arguments, &error))
    return usage_error (error->message);

  if (o.args == NULL || o.args[0] == NULL)
    return usage_error (_("no command given"));

  if (o.limit < 0 || o.offset < 0)
    return usage_error (_("--limit and --offset must not be negative"));

  if (o.db_path == NULL)
    o.db_path = kontor_store_default_path ();

  if (!g_str_equal (o.args[0], "init") && !g_file_test (o.db_path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *msg = g_strdup_printf (_("no database at %s; create one with "
                                                "“kontor-cli --db %s init”"),
                                              o.db_path, o.db_path);
      print_error (msg);
      return KONTOR_CLI_EXIT_ERROR;
    }

  store = kontor_store_open (o.db_path, &error);
  if (store == NULL)
    return fail (&o, error);

  return run_command (&o, store);
}
