/* kontor-record-page.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-format.h"
#include "kontor-record-page.h"
#include "kontor-timeline.h"

typedef struct
{
  KontorRecordPage *self;
  KontorField      *field;      /* owned by the schema */
  GtkWidget        *row;        /* the editing row */
  GtkWidget        *control;    /* switch of a boolean */
  GtkWidget        *error_row;
  GtkLabel         *error_label;
  char             *ref_id;     /* reference: the chosen id */
  GtkWidget        *ref_popover;
  GtkWidget        *ref_results;
  gboolean          loading;    /* setting values, not the user */
} FieldRow;

struct _KontorRecordPage
{
  AdwBin          parent_instance;

  GtkBox         *actions_box;
  GtkButton      *back_button;
  GtkButton      *create_button;
  GtkButton      *delete_button;
  GtkListBox     *fields_list;
  AdwHeaderBar   *header_bar;
  GtkImage       *kind_icon;
  GtkLabel       *kind_label;
  GtkBox         *linked_box;
  GtkListBox     *linked_list;
  GtkBox         *timeline_box;
  GtkListBox     *timeline_list;
  GtkLabel       *title_label;
  AdwWindowTitle *window_title;

  KontorStore    *store;
  char           *kind;
  char           *id;
  KontorKind     *kind_obj;
  KontorRecord   *record;
  GPtrArray      *rows;        /* FieldRow */
  gulong          changed_id;
  guint           n_timeline;
  guint           n_linked;
};

G_DEFINE_FINAL_TYPE (KontorRecordPage, kontor_record_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  PROP_RECORD_ID,
  N_PROPS
};

enum {
  RECORD_CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  KontorRecordPageActionFactory factory;
  gpointer                      user_data;
} ActionFactory;

static GArray *action_factories;

static void
field_row_free (FieldRow *fr)
{
  g_free (fr->ref_id);
  g_free (fr);
}

static FieldRow *
find_row (KontorRecordPage *self,
          const char       *name)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);

      if (g_str_equal (kontor_field_get_name (fr->field), name))
        return fr;
    }

  return NULL;
}

static void
set_row_error (FieldRow   *fr,
               const char *message)
{
  gtk_label_set_label (fr->error_label, message ? message : "");
  gtk_widget_set_visible (fr->error_row, message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (fr->row, "error");
  else
    gtk_widget_remove_css_class (fr->row, "error");
}

static void
clear_errors (KontorRecordPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    set_row_error (g_ptr_array_index (self->rows, i), NULL);
}

/* Shows the model's problems under their rows; TRUE if any was shown. */
static gboolean
show_problems (KontorRecordPage *self,
               GPtrArray        *problems,
               const GError     *error)
{
  gboolean shown = FALSE;

  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      KontorFieldProblem *p = g_ptr_array_index (problems, i);
      FieldRow *fr = p->field ? find_row (self, p->field) : NULL;

      if (fr != NULL)
        {
          set_row_error (fr, p->message);
          shown = TRUE;
        }
    }

  if (!shown && error != NULL && self->rows->len > 0)
    {
      /* not tied to one field: under the first row */
      set_row_error (g_ptr_array_index (self->rows, 0), error->message);
      shown = TRUE;
    }

  return shown;
}

/* ---------------------------------------------------------------------- */
/* Values in and out of the rows                                          */

static const char *
reference_title (KontorRecordPage  *self,
                 const char        *id,
                 char             **owned)
{
  g_autoptr(KontorRecord) target = NULL;

  *owned = NULL;
  if (id == NULL || *id == '\0')
    return NULL;

  target = kontor_store_get (self->store, id, NULL);
  if (target == NULL || kontor_record_get_deleted (target))
    return _("Missing record");

  *owned = g_strdup (kontor_record_get_title (target));
  return *owned && **owned ? *owned : _("Untitled");
}

static void
show_value (FieldRow *fr,
            JsonNode *value)
{
  KontorFieldType type = kontor_field_get_field_type (fr->field);

  fr->loading = TRUE;

  switch (type)
    {
    case KONTOR_FIELD_BOOLEAN:
      gtk_switch_set_active (GTK_SWITCH (fr->control),
                             value && JSON_NODE_HOLDS_VALUE (value) && json_node_get_boolean (value));
      break;

    case KONTOR_FIELD_CHOICE:
      {
        const char * const *choices = kontor_field_get_choices (fr->field);
        const char *current = value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;
        guint selected = 0;

        for (guint i = 0; choices && choices[i]; i++)
          if (g_strcmp0 (choices[i], current) == 0)
            selected = i + 1;
        adw_combo_row_set_selected (ADW_COMBO_ROW (fr->row), selected);
      }
      break;

    case KONTOR_FIELD_REFERENCE:
      {
        const char *id = value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;
        g_autofree char *owned = NULL;
        const char *title = reference_title (fr->self, id, &owned);

        g_free (fr->ref_id);
        fr->ref_id = g_strdup (id);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (fr->row), title ? title : _("None"));
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fr->row), id != NULL);
      }
      break;

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_INTEGER:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_MONEY:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      {
        /* the editable, parseable form (ISO dates, "1234.50 EUR") */
        g_autofree char *text = kontor_field_format (fr->field, value);

        gtk_editable_set_text (GTK_EDITABLE (fr->row), text);
      }
      break;
    }

  fr->loading = FALSE;
}

/* The value a row holds now as stored JSON; NULL with error if the text
 * does not parse. */
static JsonNode *
row_value (FieldRow  *fr,
           GError   **error)
{
  KontorRecordPage *self = fr->self;
  const KontorParseContext *ctx = kontor_store_get_parse_context (self->store);

  switch (kontor_field_get_field_type (fr->field))
    {
    case KONTOR_FIELD_BOOLEAN:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);

        json_node_set_boolean (node, gtk_switch_get_active (GTK_SWITCH (fr->control)));
        return node;
      }

    case KONTOR_FIELD_CHOICE:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (fr->row));
        const char * const *choices = kontor_field_get_choices (fr->field);

        if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || choices == NULL)
          return json_node_new (JSON_NODE_NULL);
        return kontor_field_parse_text (fr->field, choices[selected - 1], ctx, error);
      }

    case KONTOR_FIELD_REFERENCE:
      if (fr->ref_id == NULL)
        return json_node_new (JSON_NODE_NULL);
      return kontor_field_parse_text (fr->field, fr->ref_id, ctx, error);

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_INTEGER:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_MONEY:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      return kontor_field_parse_text (fr->field,
                                      gtk_editable_get_text (GTK_EDITABLE (fr->row)),
                                      ctx, error);
    }
}

/* The title of the form for a new record of @kind: a whole sentence per
 * built-in kind, so that translations can make the adjective agree with the
 * kind's gender; a custom kind gets a neutral title with its @kind_label. */
static char *
new_record_title (const char *kind,
                  const char *kind_label)
{
  static const struct { const char *kind; const char *title; } titles[] = {
    /* Translators: title of the form for a new record of this kind */
    { "contact", N_("New Contact") },
    /* Translators: title of the form for a new record of this kind */
    { "organization", N_("New Organization") },
    /* Translators: title of the form for a new record of this kind */
    { "lead", N_("New Lead") },
    /* Translators: title of the form for a new record of this kind */
    { "deal", N_("New Deal") },
    /* Translators: title of the form for a new record of this kind */
    { "activity", N_("New Activity") },
    /* Translators: title of the form for a new record of this kind */
    { "voice_note", N_("New Voice Note") },
    /* Translators: title of the form for a new record of this kind */
    { "pipeline", N_("New Pipeline") },
    /* Translators: title of the form for a new record of this kind */
    { "stage", N_("New Stage") },
    /* Translators: title of the form for a new record of this kind */
    { "product", N_("New Product") },
    /* Translators: title of the form for a new record of this kind ("user") */
    { "user", N_("New Sales Rep") },
    /* Translators: title of the form for a new record of this kind */
    { "team", N_("New Team") },
  };

  for (gsize i = 0; kind != NULL && i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (kind, titles[i].kind))
      return g_strdup (_(titles[i].title));

  /* Translators: title of the form for a new record of a custom kind;
   * %s is the kind's name, e.g. "New Record (Contract)" */
  return g_strdup_printf (_("New Record (%s)"), kind_label);
}

static void
update_header (KontorRecordPage *self)
{
  const char *kind_label = _(kontor_kind_get_label (self->kind_obj));

  gtk_image_set_from_icon_name (self->kind_icon, kontor_timeline_kind_icon (self->kind));

  if (self->record != NULL)
    {
      const char *title = kontor_record_get_title (self->record);

      if (title == NULL || *title == '\0')
        title = _("Untitled");
      gtk_label_set_label (self->title_label, title);
      adw_window_title_set_title (self->window_title, title);
      adw_window_title_set_subtitle (self->window_title, kind_label);
      gtk_label_set_label (self->kind_label, kind_label);
    }
  else
    {
      g_autofree char *title = new_record_title (kontor_kind_get_name (self->kind_obj), kind_label);

      gtk_label_set_label (self->title_label, title);
      adw_window_title_set_title (self->window_title, title);
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_label_set_label (self->kind_label, _("Fill in what you know; fields marked * are required."));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->create_button), self->id == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_button), self->id != NULL);
}

/* ---------------------------------------------------------------------- */
/* Saving                                                                 */

static gboolean
save_field (FieldRow *fr)
{
  KontorRecordPage *self = fr->self;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) updated = NULL;

  if (self->id == NULL || fr->loading)
    return FALSE;

  value = row_value (fr, &error);
  if (value == NULL)
    {
      set_row_error (fr, error->message);
      return FALSE;
    }

  json_object_set_member (changes, kontor_field_get_name (fr->field), g_steal_pointer (&value));
  updated = kontor_store_update (self->store, self->id, changes, &problems, &error);
  if (updated == NULL)
    {
      if (!show_problems (self, problems, error))
        set_row_error (fr, error->message);
      return FALSE;
    }

  set_row_error (fr, NULL);
  g_set_object (&self->record, updated);
  /* shows the normalised value (E.164 phone, lower-case domain) */
  show_value (fr, kontor_record_get_value (self->record, kontor_field_get_name (fr->field)));
  update_header (self);

  return TRUE;
}

static void
on_entry_apply (AdwEntryRow *row,
                FieldRow    *fr)
{
  save_field (fr);
}

static void
on_entry_changed (GtkEditable *editable,
                  FieldRow    *fr)
{
  /* the message stays until the text changes */
  if (!fr->loading && gtk_widget_get_visible (fr->error_row))
    set_row_error (fr, NULL);
}

static void
revert_row (FieldRow *fr)
{
  KontorRecordPage *self = fr->self;

  set_row_error (fr, NULL);
  if (self->record != NULL)
    show_value (fr, kontor_record_get_value (self->record, kontor_field_get_name (fr->field)));
  else
    show_value (fr, NULL);
}

static gboolean
on_entry_key_pressed (GtkEventControllerKey *keys,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      FieldRow              *fr)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  revert_row (fr);
  return TRUE;
}

static void
on_switch_active (GObject    *sw,
                  GParamSpec *pspec,
                  FieldRow   *fr)
{
  save_field (fr);
}

static void
on_combo_selected (GObject    *combo,
                   GParamSpec *pspec,
                   FieldRow   *fr)
{
  save_field (fr);
}

KontorRecord *
kontor_record_page_create (KontorRecordPage *self)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) record = NULL;
  gboolean bad = FALSE;

  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);
  g_return_val_if_fail (self->id == NULL, NULL);

  clear_errors (self);

  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);
      g_autoptr(GError) local = NULL;
      g_autoptr(JsonNode) value = row_value (fr, &local);

      if (value == NULL)
        {
          set_row_error (fr, local->message);
          bad = TRUE;
        }
      else if (!JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (values, kontor_field_get_name (fr->field), g_steal_pointer (&value));
    }

  if (bad)
    return NULL;

  record = kontor_store_create (self->store, self->kind, NULL, values, &problems, &error);
  if (record == NULL)
    {
      show_problems (self, problems, error);
      return NULL;
    }

  g_signal_emit (self, signals[RECORD_CREATED], 0, record);

  return g_steal_pointer (&record);
}

static void
on_create_clicked (KontorRecordPage *self)
{
  g_autoptr(KontorRecord) record = kontor_record_page_create (self);
}

static void
on_delete_clicked (KontorRecordPage *self)
{
  if (self->id != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.delete-record", "s", self->id);
}

/* ---------------------------------------------------------------------- */
/* References                                                             */

static void
on_ref_result_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         FieldRow      *fr)
{
  const char *id = g_object_get_data (G_OBJECT (row), "kontor-record-id");
  g_autoptr(JsonNode) node = NULL;

  if (id != NULL)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, id);
    }
  else
    node = json_node_new (JSON_NODE_NULL);

  show_value (fr, node);
  gtk_popover_popdown (GTK_POPOVER (fr->ref_popover));
  save_field (fr);
}

static void
on_ref_search_changed (GtkSearchEntry *entry,
                       FieldRow       *fr)
{
  KontorRecordPage *self = fr->self;
  const char * const *kinds = kontor_field_get_ref_kinds (fr->field);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  GtkListBox *list = GTK_LIST_BOX (fr->ref_results);
  GtkWidget *child;
  GtkWidget *none;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  none = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("None"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (none), TRUE);
  gtk_list_box_append (list, none);

  for (guint k = 0; kinds == NULL ? k < 1 : kinds[k] != NULL; k++)
    {
      g_autoptr(GPtrArray) found = kontor_store_search (self->store, text,
                                                        kinds ? kinds[k] : NULL, 8, NULL);

      for (guint i = 0; found && i < found->len; i++)
        gtk_list_box_append (list, kontor_timeline_generic_row_new (self->store,
                                                                    g_ptr_array_index (found, i)));
    }
}

static GtkWidget *
make_reference_button (FieldRow *fr)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_search_entry_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *results = gtk_list_box_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-edit-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Choose"));

  gtk_widget_set_size_request (box, 280, -1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (results), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (results, "boxed-list");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), results);
  g_object_set (entry, "placeholder-text", _("Search…"), NULL);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);

  fr->ref_popover = popover;
  fr->ref_results = results;
  g_signal_connect (entry, "search-changed", G_CALLBACK (on_ref_search_changed), fr);
  g_signal_connect (results, "row-activated", G_CALLBACK (on_ref_result_activated), fr);

  return button;
}

/* ---------------------------------------------------------------------- */
/* Building the form                                                      */

static void
add_field_row (KontorRecordPage *self,
               KontorField      *field)
{
  FieldRow *fr = g_new0 (FieldRow, 1);
  KontorFieldType type = kontor_field_get_field_type (field);
  g_autofree char *title = NULL;
  GtkWidget *error_label;

  fr->self = self;
  fr->field = field;

  if (kontor_field_has_flag (field, KONTOR_FIELD_FLAG_REQUIRED))
    /* Translators: the label of a required field */
    title = g_strdup_printf (_("%s *"), _(kontor_field_get_label (field)));
  else
    title = g_strdup (_(kontor_field_get_label (field)));

  switch (type)
    {
    case KONTOR_FIELD_BOOLEAN:
      fr->row = adw_action_row_new ();
      fr->control = gtk_switch_new ();
      gtk_widget_set_valign (fr->control, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (fr->row), fr->control);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (fr->row), fr->control);
      g_signal_connect (fr->control, "notify::active", G_CALLBACK (on_switch_active), fr);
      break;

    case KONTOR_FIELD_CHOICE:
      {
        g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
        const char * const *choices = kontor_field_get_choices (field);

        gtk_string_list_append (model, "—");
        for (guint i = 0; choices && choices[i]; i++)
          gtk_string_list_append (model, kontor_format_choice (choices[i]));
        fr->row = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (fr->row), G_LIST_MODEL (model));
        g_signal_connect (fr->row, "notify::selected", G_CALLBACK (on_combo_selected), fr);
      }
      break;

    case KONTOR_FIELD_REFERENCE:
      fr->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (fr->row), make_reference_button (fr));
      adw_action_row_add_suffix (ADW_ACTION_ROW (fr->row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data (G_OBJECT (fr->row), "kontor-field-row", fr);
      break;

    case KONTOR_FIELD_TEXT:
    case KONTOR_FIELD_LONG_TEXT:
    case KONTOR_FIELD_INTEGER:
    case KONTOR_FIELD_DECIMAL:
    case KONTOR_FIELD_MONEY:
    case KONTOR_FIELD_DATE:
    case KONTOR_FIELD_DATETIME:
    case KONTOR_FIELD_MULTI_CHOICE:
    case KONTOR_FIELD_EMAIL:
    case KONTOR_FIELD_PHONE:
    case KONTOR_FIELD_URL:
    case KONTOR_FIELD_BLOB:
    case KONTOR_N_FIELD_TYPES:
    default:
      fr->row = adw_entry_row_new ();
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (fr->row), self->id != NULL);
      if (type == KONTOR_FIELD_EMAIL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (fr->row), GTK_INPUT_PURPOSE_EMAIL);
      else if (type == KONTOR_FIELD_PHONE)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (fr->row), GTK_INPUT_PURPOSE_PHONE);
      else if (type == KONTOR_FIELD_URL)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (fr->row), GTK_INPUT_PURPOSE_URL);
      else if (type == KONTOR_FIELD_INTEGER)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (fr->row), GTK_INPUT_PURPOSE_NUMBER);
      g_signal_connect (fr->row, "apply", G_CALLBACK (on_entry_apply), fr);
      g_signal_connect (fr->row, "changed", G_CALLBACK (on_entry_changed), fr);
      {
        /* Escape gives the field its stored value back */
        GtkEventController *keys = gtk_event_controller_key_new ();

        gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
        g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key_pressed), fr);
        gtk_widget_add_controller (fr->row, keys);
      }
      break;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fr->row), title);
  gtk_widget_set_name (fr->row, kontor_field_get_name (field));
  gtk_list_box_append (self->fields_list, fr->row);

  error_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_set_margin_start (error_label, 12);
  gtk_widget_set_margin_end (error_label, 12);
  gtk_widget_set_margin_top (error_label, 6);
  gtk_widget_set_margin_bottom (error_label, 6);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_add_css_class (error_label, "caption");
  fr->error_label = GTK_LABEL (error_label);
  fr->error_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (fr->error_row), error_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (fr->error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (fr->error_row), FALSE);
  gtk_widget_set_visible (fr->error_row, FALSE);
  gtk_list_box_append (self->fields_list, fr->error_row);

  /* the error is read with the field by screen readers */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (fr->row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, error_label, NULL, -1);

  g_ptr_array_add (self->rows, fr);
}

static void
build_form (KontorRecordPage *self)
{
  GPtrArray *fields = kontor_kind_get_fields (self->kind_obj);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_list))) != NULL)
    gtk_list_box_remove (self->fields_list, child);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *field = g_ptr_array_index (fields, i);

      /* files are attached by the features that own them (voice notes) */
      if (kontor_field_get_field_type (field) == KONTOR_FIELD_BLOB)
        continue;
      add_field_row (self, field);
    }
}

static void
fill_form (KontorRecordPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      FieldRow *fr = g_ptr_array_index (self->rows, i);
      JsonNode *value = self->record
                        ? kontor_record_get_value (self->record, kontor_field_get_name (fr->field))
                        : NULL;

      show_value (fr, value);
    }
}

/* ---------------------------------------------------------------------- */
/* Timeline and linked records                                            */

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  KontorRecord *ra = *(KontorRecord **) a;
  KontorRecord *rb = *(KontorRecord **) b;
  gint64 ta = kontor_format_record_time (ra);
  gint64 tb = kontor_format_record_time (rb);

  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

static int
compare_kind_title (gconstpointer a,
                    gconstpointer b)
{
  KontorRecord *ra = *(KontorRecord **) a;
  KontorRecord *rb = *(KontorRecord **) b;
  int c = g_strcmp0 (kontor_record_get_kind (ra), kontor_record_get_kind (rb));

  return c != 0 ? c : g_utf8_collate (kontor_record_get_title (ra) ? kontor_record_get_title (ra) : "",
                                      kontor_record_get_title (rb) ? kontor_record_get_title (rb) : "");
}

static void
fill_links (KontorRecordPage *self)
{
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GPtrArray) timeline = g_ptr_array_new ();
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list))) != NULL)
    gtk_list_box_remove (self->timeline_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->linked_list))) != NULL)
    gtk_list_box_remove (self->linked_list, child);
  self->n_timeline = self->n_linked = 0;

  if (self->id != NULL)
    linked = kontor_store_list_linked (self->store, self->id, NULL);

  for (guint i = 0; linked && i < linked->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (linked, i);

      g_ptr_array_add (kontor_timeline_kind_is_timeline (kontor_record_get_kind (r))
                       ? timeline : others, r);
    }
  g_ptr_array_sort (timeline, compare_newest_first);
  g_ptr_array_sort (others, compare_kind_title);

  for (guint i = 0; i < timeline->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (timeline, i);
      KontorTimelineRowFactory factory = kontor_timeline_lookup_row_factory (kontor_record_get_kind (r));
      GtkWidget *row = factory ? factory (self->store, r) : NULL;

      if (row == NULL)
        row = kontor_timeline_generic_row_new (self->store, r);
      gtk_list_box_append (self->timeline_list, row);
      self->n_timeline++;
    }

  for (guint i = 0; i < others->len; i++)
    {
      gtk_list_box_append (self->linked_list,
                           kontor_timeline_generic_row_new (self->store, g_ptr_array_index (others, i)));
      self->n_linked++;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->timeline_box), self->id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->linked_box), self->n_linked > 0);
}

static void
on_row_activated (KontorRecordPage *self,
                  GtkListBoxRow    *row)
{
  const char *id = g_object_get_data (G_OBJECT (row), "kontor-record-id");
  const char *kind = g_object_get_data (G_OBJECT (row), "kontor-record-kind");
  FieldRow *fr = g_object_get_data (G_OBJECT (row), "kontor-field-row");

  if (fr != NULL && fr->ref_id != NULL)
    {
      g_autoptr(KontorRecord) target = kontor_store_get (self->store, fr->ref_id, NULL);

      if (target != NULL && !kontor_record_get_deleted (target))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.show-record", "(ss)",
                                    kontor_record_get_kind (target), fr->ref_id);
      return;
    }

  if (id != NULL && kind != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-record", "(ss)", kind, id);
}

static void
on_store_changed (KontorStore      *store,
                  const char       *kind,
                  KontorRecordPage *self)
{
  g_autoptr(KontorRecord) fresh = NULL;

  if (self->id == NULL)
    return;

  if (g_strcmp0 (kind, self->kind) == 0)
    {
      fresh = kontor_store_get (self->store, self->id, NULL);
      if (fresh != NULL && !kontor_record_get_deleted (fresh))
        {
          g_set_object (&self->record, fresh);
          update_header (self);
        }
    }

  fill_links (self);
}

void
kontor_record_page_reload (KontorRecordPage *self)
{
  g_return_if_fail (KONTOR_IS_RECORD_PAGE (self));

  if (self->id != NULL)
    {
      g_autoptr(KontorRecord) fresh = kontor_store_get (self->store, self->id, NULL);

      if (fresh != NULL)
        g_set_object (&self->record, fresh);
    }

  update_header (self);
  fill_form (self);
  fill_links (self);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kontor_record_page_constructed (GObject *object)
{
  KontorRecordPage *self = KONTOR_RECORD_PAGE (object);

  G_OBJECT_CLASS (kontor_record_page_parent_class)->constructed (object);

  g_return_if_fail (self->store != NULL);

  if (self->id != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->record = kontor_store_get (self->store, self->id, &error);
      if (self->record != NULL && self->kind == NULL)
        self->kind = g_strdup (kontor_record_get_kind (self->record));
      if (self->record == NULL)
        g_warning ("Cannot show record %s: %s", self->id, error->message);
    }

  self->kind_obj = kontor_schema_get_kind (kontor_store_get_schema (self->store),
                                           self->kind ? self->kind : "contact");
  g_return_if_fail (self->kind_obj != NULL);

  build_form (self);
  update_header (self);
  fill_form (self);
  fill_links (self);

  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (on_store_changed), self);

  if (self->record != NULL && action_factories != NULL)
    for (guint i = 0; i < action_factories->len; i++)
      {
        ActionFactory *af = &g_array_index (action_factories, ActionFactory, i);
        GtkWidget *widget = af->factory (self, af->user_data);

        if (widget != NULL)
          kontor_record_page_add_action (self, widget);
      }
}

static void
kontor_record_page_dispose (GObject *object)
{
  KontorRecordPage *self = KONTOR_RECORD_PAGE (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_RECORD_PAGE);

  g_clear_object (&self->record);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_record_page_parent_class)->dispose (object);
}

static void
kontor_record_page_finalize (GObject *object)
{
  KontorRecordPage *self = KONTOR_RECORD_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->id, g_free);

  G_OBJECT_CLASS (kontor_record_page_parent_class)->finalize (object);
}

static void
kontor_record_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KontorRecordPage *self = KONTOR_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_RECORD_ID:
      g_value_set_string (value, self->id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KontorRecordPage *self = KONTOR_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    case PROP_RECORD_ID:
      self->id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_page_class_init (KontorRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_record_page_constructed;
  object_class->dispose = kontor_record_page_dispose;
  object_class->finalize = kontor_record_page_finalize;
  object_class->get_property = kontor_record_page_get_property;
  object_class->set_property = kontor_record_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD_ID] =
    g_param_spec_string ("record-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECORD_CREATED] =
    g_signal_new ("record-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KONTOR_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, actions_box);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, fields_list);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, header_bar);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, linked_box);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, linked_list);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, timeline_box);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordPage, window_title);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_delete_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
kontor_record_page_init (KontorRecordPage *self)
{
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) field_row_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->timeline_list,
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("Nothing linked yet"),
                                              "margin-top", 12, "margin-bottom", 12,
                                              "css-classes", (const char * const[]) { "dim-label", NULL },
                                              NULL));
}

GtkWidget *
kontor_record_page_new (KontorStore *store,
                        const char  *kind,
                        const char  *id)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL || id != NULL, NULL);

  return g_object_new (KONTOR_TYPE_RECORD_PAGE, "store", store, "kind", kind,
                       "record-id", id, NULL);
}

KontorStore *
kontor_record_page_get_store (KontorRecordPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);
  return self->store;
}

const char *
kontor_record_page_get_kind (KontorRecordPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);
  return self->kind;
}

KontorRecord *
kontor_record_page_get_record (KontorRecordPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);
  return self->record;
}

void
kontor_record_page_set_folded (KontorRecordPage *self,
                               gboolean          folded)
{
  g_return_if_fail (KONTOR_IS_RECORD_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), folded);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, folded);
}

void
kontor_record_page_add_action (KontorRecordPage *self,
                               GtkWidget        *widget)
{
  g_return_if_fail (KONTOR_IS_RECORD_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (GTK_IS_BUTTON (widget))
    gtk_widget_add_css_class (widget, "pill");
  gtk_box_append (self->actions_box, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_box), TRUE);
}

void
kontor_record_page_register_action_factory (KontorRecordPageActionFactory factory,
                                            gpointer                      user_data)
{
  ActionFactory af = { factory, user_data };

  g_return_if_fail (factory != NULL);

  if (action_factories == NULL)
    action_factories = g_array_new (FALSE, FALSE, sizeof (ActionFactory));
  g_array_append_val (action_factories, af);
}

GtkWidget *
kontor_record_page_get_field_row (KontorRecordPage *self,
                                  const char       *field)
{
  FieldRow *fr;

  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);

  fr = find_row (self, field);
  return fr ? fr->row : NULL;
}

const char *
kontor_record_page_get_field_error (KontorRecordPage *self,
                                    const char       *field)
{
  FieldRow *fr;

  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), NULL);

  fr = find_row (self, field);
  if (fr == NULL || !gtk_widget_get_visible (fr->error_row))
    return NULL;

  return gtk_label_get_label (fr->error_label);
}

gboolean
kontor_record_page_apply_field (KontorRecordPage *self,
                                const char       *field)
{
  FieldRow *fr;

  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), FALSE);

  fr = find_row (self, field);
  return fr != NULL && save_field (fr);
}

gboolean
kontor_record_page_revert_field (KontorRecordPage *self,
                                 const char       *field)
{
  FieldRow *fr;

  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), FALSE);

  fr = find_row (self, field);
  if (fr == NULL)
    return FALSE;
  revert_row (fr);
  return TRUE;
}

void
kontor_record_page_focus_form (KontorRecordPage *self)
{
  g_return_if_fail (KONTOR_IS_RECORD_PAGE (self));

  if (self->rows->len > 0)
    gtk_widget_grab_focus (((FieldRow *) g_ptr_array_index (self->rows, 0))->row);
}

guint
kontor_record_page_get_n_timeline_rows (KontorRecordPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), 0);
  return self->n_timeline;
}

guint
kontor_record_page_get_n_linked_rows (KontorRecordPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_PAGE (self), 0);
  return self->n_linked;
}
