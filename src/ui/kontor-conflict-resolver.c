/* kontor-conflict-resolver.c: both values of a conflict, side by side
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-conflict-resolver.h"
#include "kontor-format.h"
#include "kontor-store-sync.h"
#include "kontor-sync-record.h"

/* One conflicting field of the record on show. */
typedef struct
{
  char        *name;
  KontorField *field;     /* NULL for "_deleted" */
  GPtrArray   *values;    /* JsonNode, provisional winner first */
  GPtrArray   *buttons;   /* GtkToggleButton, one per value */
  AdwEntryRow *other;     /* another value, typed (not for "_deleted") */
} FieldChoice;

struct _KontorConflictResolver
{
  AdwWindow          parent_instance;

  AdwWindowTitle    *detail_title;
  GtkBox            *fields_box;
  GtkLabel          *hint_label;
  AdwLeaflet        *leaflet;
  GtkListBox        *list_box;
  GtkStack          *list_stack;
  GtkButton         *open_button;
  GtkButton         *resolve_button;
  AdwToastOverlay   *toast_overlay;

  KontorStore       *store;
  gulong             changed_id;
  guint              reload_id;
  GPtrArray         *records;    /* KontorRecord with conflicts */
  KontorRecord      *current;
  GPtrArray         *choices;    /* FieldChoice */
  gboolean           updating;   /* toggling buttons ourselves */
};

G_DEFINE_FINAL_TYPE (KontorConflictResolver, kontor_conflict_resolver, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
field_choice_free (FieldChoice *choice)
{
  g_free (choice->name);
  g_clear_pointer (&choice->field, kontor_field_unref);
  g_clear_pointer (&choice->values, g_ptr_array_unref);
  g_clear_pointer (&choice->buttons, g_ptr_array_unref);
  g_free (choice);
}

static KontorKind *
kind_of (KontorConflictResolver *self,
         const char             *kind)
{
  return kontor_schema_get_kind (kontor_store_get_schema (self->store), kind);
}

static char *
field_label (KontorConflictResolver *self,
             const char             *kind,
             const char             *name)
{
  KontorKind *k = kind_of (self, kind);
  KontorField *field = k ? kontor_kind_get_field (k, name) : NULL;

  if (g_str_equal (name, KONTOR_SYNC_FIELD_DELETED))
    return g_strdup (_("Deleted or kept"));
  if (field != NULL && kontor_field_get_label (field) != NULL)
    return g_strdup (_(kontor_field_get_label (field)));
  return g_strdup (name);
}

static char *
format_value (FieldChoice *choice,
              JsonNode    *value)
{
  g_autofree char *text = NULL;

  if (choice->field == NULL)
    {
      gboolean deleted = value && JSON_NODE_HOLDS_VALUE (value) &&
                         json_node_get_value_type (value) == G_TYPE_BOOLEAN &&
                         json_node_get_boolean (value);
      return g_strdup (deleted ? _("Deleted") : _("Kept"));
    }

  /* as the record page shows it: choices translated, the locale's dates */
  text = value ? kontor_format_value (choice->field, value) : NULL;
  if (text == NULL || *text == '\0')
    return g_strdup (_("(empty)"));
  return g_steal_pointer (&text);
}

/* Who wrote a version: this device, the server, or another device. */
static char *
describe_dot (KontorConflictResolver *self,
              const KontorDot        *dot)
{
  if (dot->replica == kontor_store_get_replica_id (self->store))
    return g_strdup (_("Yours · this device"));
  if (dot->replica == 0)
    return g_strdup (_("Theirs · the server"));
  /* Translators: %u is the number the server gave another device */
  return g_strdup_printf (_("Theirs · device %u"), dot->replica);
}

/* ---------------------------------------------------------------------- */
/* The detail                                                             */

static gboolean
choice_is_made (FieldChoice *choice)
{
  for (guint i = 0; i < choice->buttons->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (choice->buttons, i)))
      return TRUE;
  return choice->other != NULL &&
         *gtk_editable_get_text (GTK_EDITABLE (choice->other)) != '\0';
}

static void
update_resolve_button (KontorConflictResolver *self)
{
  gboolean ready = self->current != NULL && self->choices->len > 0;

  for (guint i = 0; ready && i < self->choices->len; i++)
    ready = choice_is_made (g_ptr_array_index (self->choices, i));
  gtk_widget_set_sensitive (GTK_WIDGET (self->resolve_button), ready);
}

/* The chosen value stands out: accent colours and a check mark. */
static void
style_choices (FieldChoice *choice)
{
  for (guint i = 0; i < choice->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (choice->buttons, i);
      gboolean active = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));

      if (active)
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (button), "check"), active);
    }
}

static void
on_choice_toggled (GtkToggleButton        *button,
                   KontorConflictResolver *self)
{
  FieldChoice *choice = g_object_get_data (G_OBJECT (button), "choice");

  if (self->updating)
    return;

  self->updating = TRUE;
  if (gtk_toggle_button_get_active (button))
    {
      for (guint i = 0; i < choice->buttons->len; i++)
        if (g_ptr_array_index (choice->buttons, i) != button)
          gtk_toggle_button_set_active (g_ptr_array_index (choice->buttons, i), FALSE);
      if (choice->other != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (choice->other), "");
          gtk_widget_remove_css_class (GTK_WIDGET (choice->other), "error");
        }
    }
  self->updating = FALSE;
  style_choices (choice);
  update_resolve_button (self);
}

static void
on_other_changed (AdwEntryRow            *row,
                  KontorConflictResolver *self)
{
  FieldChoice *choice = g_object_get_data (G_OBJECT (row), "choice");

  if (self->updating)
    return;

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (*gtk_editable_get_text (GTK_EDITABLE (row)) != '\0')
    {
      self->updating = TRUE;
      for (guint i = 0; i < choice->buttons->len; i++)
        gtk_toggle_button_set_active (g_ptr_array_index (choice->buttons, i), FALSE);
      self->updating = FALSE;
      style_choices (choice);
    }
  update_resolve_button (self);
}

static GtkWidget *
build_choice_button (KontorConflictResolver *self,
                     FieldChoice            *choice,
                     const KontorFieldVersion *version)
{
  g_autofree char *who = describe_dot (self, &version->dot);
  g_autofree char *text = format_value (choice, version->value);
  g_autofree char *a11y = NULL;
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *caption = gtk_label_new (who);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *value = gtk_label_new (text);

  gtk_widget_set_hexpand (caption, TRUE);
  gtk_widget_set_visible (check, FALSE);
  gtk_box_append (GTK_BOX (top), caption);
  gtk_box_append (GTK_BOX (top), check);
  g_object_set_data (G_OBJECT (button), "check", check);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (value, "title-4");
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), value);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_hexpand (button, TRUE);
  /* Translators: the accessible label of one value of a conflict: who
   * wrote it, and the value */
  a11y = g_strdup_printf (_("%s: %s"), who, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data (G_OBJECT (button), "choice", choice);
  g_signal_connect (button, "toggled", G_CALLBACK (on_choice_toggled), self);
  return button;
}

static GtkWidget *
build_field (KontorConflictResolver *self,
             FieldChoice            *choice,
             const GPtrArray        *versions)
{
  g_autofree char *label = field_label (self, kontor_record_get_kind (self->current), choice->name);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (label);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);

  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  gtk_widget_set_valign (row, GTK_ALIGN_START);
  for (guint i = 0; i < versions->len; i++)
    {
      const KontorFieldVersion *v = g_ptr_array_index (versions, i);
      GtkWidget *button = build_choice_button (self, choice, v);

      g_ptr_array_add (choice->values, v->value ? json_node_copy (v->value)
                                                : json_node_new (JSON_NODE_NULL));
      g_ptr_array_add (choice->buttons, button);
      gtk_box_append (GTK_BOX (row), button);
    }
  gtk_box_append (GTK_BOX (box), row);

  if (choice->field != NULL)
    {
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *other = adw_entry_row_new ();

      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (other), _("Or Another Value"));
      g_object_set_data (G_OBJECT (other), "choice", choice);
      g_signal_connect (other, "changed", G_CALLBACK (on_other_changed), self);
      gtk_list_box_append (GTK_LIST_BOX (list), other);
      gtk_box_append (GTK_BOX (box), list);
      choice->other = ADW_ENTRY_ROW (other);
    }

  return box;
}

static void
clear_detail (KontorConflictResolver *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  g_ptr_array_set_size (self->choices, 0);
  g_clear_object (&self->current);
  adw_window_title_set_title (self->detail_title, "");
  adw_window_title_set_subtitle (self->detail_title, "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_button), FALSE);
  update_resolve_button (self);
}

static void
show_record (KontorConflictResolver *self,
             KontorRecord           *record)
{
  const char * const *fields = kontor_record_get_conflicts (record);
  g_autoptr(GError) error = NULL;
  g_autofree char *state_json = NULL;
  g_autoptr(KontorSyncRecord) state = NULL;
  KontorKind *kind = kind_of (self, kontor_record_get_kind (record));

  clear_detail (self);
  self->current = g_object_ref (record);
  adw_window_title_set_title (self->detail_title, kontor_record_get_title (record)
                                                  ? kontor_record_get_title (record) : "");
  adw_window_title_set_subtitle (self->detail_title,
                                 kind ? _(kontor_kind_get_label (kind)) : kontor_record_get_kind (record));
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->resolve_button), TRUE);

  state_json = kontor_store_get_state (self->store, kontor_record_get_id (record), &error);
  if (state_json != NULL)
    state = kontor_sync_record_from_string (state_json, &error);
  if (state == NULL)
    {
      g_autoptr(AdwToast) toast = adw_toast_new (error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
      return;
    }

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const GPtrArray *versions = kontor_sync_record_get_versions (state, fields[i]);
      FieldChoice *choice;
      KontorField *field;

      if (versions == NULL || versions->len == 0)
        continue;

      choice = g_new0 (FieldChoice, 1);
      choice->name = g_strdup (fields[i]);
      field = kind ? kontor_kind_get_field (kind, fields[i]) : NULL;
      if (!g_str_equal (fields[i], KONTOR_SYNC_FIELD_DELETED))
        choice->field = field ? kontor_field_ref (field)
                              : kontor_field_new (fields[i], NULL, KONTOR_FIELD_TEXT, 0);
      choice->values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      choice->buttons = g_ptr_array_new ();
      g_ptr_array_add (self->choices, choice);
      gtk_box_append (self->fields_box, build_field (self, choice, versions));
    }

  update_resolve_button (self);
}

/* ---------------------------------------------------------------------- */
/* The list                                                               */

static GtkWidget *
build_row (KontorConflictResolver *self,
           KontorRecord           *record)
{
  const char * const *fields = kontor_record_get_conflicts (record);
  g_autoptr(GString) names = g_string_new (NULL);
  KontorKind *kind = kind_of (self, kontor_record_get_kind (record));
  g_autofree char *subtitle = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (kontor_record_get_title (record) && *kontor_record_get_title (record)
                                    ? kontor_record_get_title (record) : _("Untitled record"));
  GtkWidget *sub;

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      g_autofree char *label = field_label (self, kontor_record_get_kind (record), fields[i]);

      if (names->len > 0)
        /* Translators: separates field names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, label);
    }
  /* Translators: the kind of a record, then its conflicting fields */
  subtitle = g_strdup_printf (_("%s · %s"),
                              kind ? _(kontor_kind_get_label (kind)) : kontor_record_get_kind (record),
                              names->str);
  sub = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "record", g_object_ref (record), g_object_unref);
  return row;
}

static gboolean
same_conflicts (KontorRecord *a,
                KontorRecord *b)
{
  const char * const *fa = kontor_record_get_conflicts (a);
  const char * const *fb = kontor_record_get_conflicts (b);

  if (fa == NULL || fb == NULL)
    return fa == fb;
  return g_strv_equal (fa, fb);
}

static void
reload (KontorConflictResolver *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = kontor_store_list_conflicts (self->store, &error);
  g_autofree char *current_id = self->current ? g_strdup (kontor_record_get_id (self->current))
                                              : NULL;
  KontorRecord *keep = NULL;
  GtkWidget *child;

  if (records == NULL)
    {
      g_autoptr(AdwToast) toast = adw_toast_new (error->message);
      adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; i < records->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (records, i);
      GtkWidget *row = build_row (self, r);

      gtk_list_box_append (self->list_box, row);
      if (current_id != NULL && g_str_equal (current_id, kontor_record_get_id (r)))
        {
          keep = r;
          gtk_list_box_select_row (self->list_box, GTK_LIST_BOX_ROW (row));
        }
    }

  g_clear_pointer (&self->records, g_ptr_array_unref);
  self->records = g_steal_pointer (&records);
  gtk_stack_set_visible_child_name (self->list_stack, self->records->len > 0 ? "list" : "empty");

  /* the record on show keeps the user's choices unless its conflicts changed */
  if (keep != NULL && self->current != NULL && same_conflicts (keep, self->current))
    return;
  if (keep != NULL)
    show_record (self, keep);
  else if (self->records->len > 0)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list_box, 0);

      gtk_list_box_select_row (self->list_box, first);
      show_record (self, g_ptr_array_index (self->records, 0));
    }
  else
    {
      clear_detail (self);
      adw_window_title_set_title (self->detail_title, _("All Resolved"));
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }
}

static gboolean
on_reload (gpointer data)
{
  KontorConflictResolver *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (KontorConflictResolver *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (on_reload, self);
}

static void
on_row_activated (KontorConflictResolver *self,
                  GtkListBoxRow          *row)
{
  KontorRecord *record = g_object_get_data (G_OBJECT (row), "record");

  if (self->current == NULL || !g_str_equal (kontor_record_get_id (self->current),
                                             kontor_record_get_id (record)))
    show_record (self, record);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_back_clicked (KontorConflictResolver *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_open_clicked (KontorConflictResolver *self)
{
  if (self->current != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, kontor_record_get_id (self->current),
                   kontor_record_get_kind (self->current));
}

static void
on_resolve_clicked (KontorConflictResolver *self)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(KontorRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwToast) toast = NULL;

  if (self->current == NULL)
    return;
  record = g_object_ref (self->current);

  /* every value first, so that a typo leaves nothing half resolved */
  for (guint i = 0; i < self->choices->len; i++)
    {
      FieldChoice *choice = g_ptr_array_index (self->choices, i);
      JsonNode *value = NULL;

      for (guint b = 0; b < choice->buttons->len; b++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (choice->buttons, b)))
          value = json_node_copy (g_ptr_array_index (choice->values, b));

      if (value == NULL && choice->other != NULL)
        {
          value = kontor_field_parse_text (choice->field,
                                           gtk_editable_get_text (GTK_EDITABLE (choice->other)),
                                           kontor_store_get_parse_context (self->store), &error);
          if (value == NULL)
            {
              gtk_widget_add_css_class (GTK_WIDGET (choice->other), "error");
              toast = adw_toast_new (error->message);
              adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
              return;
            }
        }
      if (value == NULL)
        return;
      g_ptr_array_add (values, value);
    }

  if (!kontor_store_begin (self->store, &error))
    goto failed;
  for (guint i = 0; i < self->choices->len; i++)
    {
      FieldChoice *choice = g_ptr_array_index (self->choices, i);
      g_autoptr(KontorRecord) resolved = kontor_store_resolve (self->store,
                                                               kontor_record_get_id (record),
                                                               choice->name,
                                                               g_ptr_array_index (values, i),
                                                               &error);
      if (resolved == NULL)
        {
          kontor_store_rollback (self->store);
          goto failed;
        }
    }
  if (!kontor_store_commit (self->store, &error))
    goto failed;

  toast = adw_toast_new (_("Conflict resolved"));
  adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
  g_clear_object (&self->current);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  reload (self);
  return;

failed:
  toast = adw_toast_new (error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
}

/* ---------------------------------------------------------------------- */
/* Public API                                                             */

GtkWidget *
kontor_conflict_resolver_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_CONFLICT_RESOLVER, "store", store, NULL);
}

gboolean
kontor_conflict_resolver_select (KontorConflictResolver *self,
                                 const char             *id)
{
  g_return_val_if_fail (KONTOR_IS_CONFLICT_RESOLVER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; self->records != NULL && i < self->records->len; i++)
    {
      KontorRecord *r = g_ptr_array_index (self->records, i);

      if (g_str_equal (kontor_record_get_id (r), id))
        {
          gtk_list_box_select_row (self->list_box, gtk_list_box_get_row_at_index (self->list_box, i));
          show_record (self, r);
          adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
          return TRUE;
        }
    }
  return FALSE;
}

guint
kontor_conflict_resolver_get_n_records (KontorConflictResolver *self)
{
  g_return_val_if_fail (KONTOR_IS_CONFLICT_RESOLVER (self), 0);
  return self->records ? self->records->len : 0;
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
kontor_conflict_resolver_constructed (GObject *object)
{
  KontorConflictResolver *self = (KontorConflictResolver *) object;

  G_OBJECT_CLASS (kontor_conflict_resolver_parent_class)->constructed (object);

  self->changed_id = g_signal_connect_swapped (self->store, "changed",
                                               G_CALLBACK (on_store_changed), self);
  reload (self);
}

static void
kontor_conflict_resolver_dispose (GObject *object)
{
  KontorConflictResolver *self = (KontorConflictResolver *) object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_CONFLICT_RESOLVER);

  g_clear_pointer (&self->choices, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_object (&self->current);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_conflict_resolver_parent_class)->dispose (object);
}

static void
kontor_conflict_resolver_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KontorConflictResolver *self = KONTOR_CONFLICT_RESOLVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_conflict_resolver_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KontorConflictResolver *self = KONTOR_CONFLICT_RESOLVER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_conflict_resolver_class_init (KontorConflictResolverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_conflict_resolver_constructed;
  object_class->dispose = kontor_conflict_resolver_dispose;
  object_class->get_property = kontor_conflict_resolver_get_property;
  object_class->set_property = kontor_conflict_resolver_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (id, kind) */
  signals[OPEN_RECORD] =
    g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-conflict-resolver.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, detail_title);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, list_box);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, open_button);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, KontorConflictResolver, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_resolve_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kontor_conflict_resolver_init (KontorConflictResolver *self)
{
  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) field_choice_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
