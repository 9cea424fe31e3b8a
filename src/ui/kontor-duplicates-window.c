/* kontor-duplicates-window.c: pairs of records that may be one, to merge
 *
 * A scan reads every record of a kind, so it runs in a GTask thread on a
 * store connection of its own (KontorStore is not thread-safe; SQLite in
 * WAL mode lets the UI's connection read meanwhile). Merging and undoing
 * are one short transaction each and run on the UI's connection, so the
 * store's lists hear of them at once.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-duplicates-window.h"
#include "kontor-duplicates.h"
#include "kontor-format.h"
#include "kontor-merge.h"

/* Pairs the user said are two records, one "id_a id_b" per line. */
#define DISMISSED_SETTING "duplicates_dismissed"

/* The two kinds duplicates are looked for among, in the drop-down's order. */
static const char * const scan_kinds[] = { "contact", "organization", NULL };

/* Which of the two records a field's value comes from. */
typedef enum
{
  SOURCE_FIRST,
  SOURCE_SECOND,
  SOURCE_BOTH,    /* a multi-choice field: the union, as the merge does it */
} Source;

/* One field that differs between the two records on show. */
typedef struct
{
  char      *name;
  JsonNode  *values[2];     /* first, second; NULL when empty */
  GtkWidget *buttons[3];    /* GtkToggleButton per Source; [SOURCE_BOTH] may be NULL */
} FieldChoice;

/* A merge that can be undone, and the pairs it took off the list. */
typedef struct
{
  char      *history_id;
  char      *survivor_id;
  char      *merged_id;
  GPtrArray *removed;       /* KontorDuplicateCandidate */
} MergeEntry;

struct _KontorDuplicatesWindow
{
  AdwWindow          parent_instance;

  GtkBox            *content;
  GtkStack          *detail_stack;
  AdwWindowTitle    *detail_title;
  GtkButton         *dismiss_button;
  AdwStatusPage     *empty_page;
  GtkBox            *fields_box;
  GtkDropDown       *kind_dropdown;
  AdwLeaflet        *leaflet;
  GtkListBox        *list_box;
  GtkStack          *list_stack;
  GtkButton         *merge_button;
  AdwStatusPage     *merged_page;
  GtkProgressBar    *progress_bar;
  GtkLabel          *reasons_label;
  GtkButton         *scan_button;
  GtkBox            *sidebar;
  AdwToastOverlay   *toast_overlay;
  GtkButton         *undo_button;

  KontorStore       *store;
  KontorDuplicateCandidate *dismissed;  /* the last pair dismissed, for undo */
  GCancellable      *cancellable;
  gint              *permille;      /* atomic, shared with the scan thread */
  guint              progress_id;

  char              *kind;
  GPtrArray         *candidates;    /* KontorDuplicateCandidate, as listed */
  KontorDuplicateCandidate *current;
  KontorRecord      *records[2];
  GPtrArray         *choices;       /* FieldChoice */
  GPtrArray         *merges;        /* MergeEntry, newest last */

  gboolean           busy;
  gboolean           updating;
};

G_DEFINE_FINAL_TYPE (KontorDuplicatesWindow, kontor_duplicates_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_N_CANDIDATES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_pair (KontorDuplicatesWindow   *self,
                       KontorDuplicateCandidate *candidate);

static void
field_choice_free (FieldChoice *choice)
{
  g_free (choice->name);
  g_clear_pointer (&choice->values[0], json_node_unref);
  g_clear_pointer (&choice->values[1], json_node_unref);
  g_free (choice);
}

static void
merge_entry_free (MergeEntry *entry)
{
  g_free (entry->history_id);
  g_free (entry->survivor_id);
  g_free (entry->merged_id);
  g_clear_pointer (&entry->removed, g_ptr_array_unref);
  g_free (entry);
}

static GPtrArray *
candidate_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) kontor_duplicate_candidate_free);
}

static KontorKind *
current_kind (KontorDuplicatesWindow *self)
{
  return kontor_schema_get_kind (kontor_store_get_schema (self->store), self->kind);
}

static void
actions_update (KontorDuplicatesWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.undo-merge",
                                 self->merges->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "duplicates.scan", !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->kind_dropdown), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->merge_button), !self->busy && self->current != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->dismiss_button),
                            !self->busy && self->current != NULL);
}

static void
set_busy (KontorDuplicatesWindow *self,
          gboolean                busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
toast (KontorDuplicatesWindow *self,
       const char             *title,
       const char             *button_label,
       const char             *action)
{
  AdwToast *t = adw_toast_new (title);

  if (button_label != NULL)
    {
      adw_toast_set_button_label (t, button_label);
      adw_toast_set_action_name (t, action);
    }
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---------------------------------------------------------------------- */
/* Pairs the user dismissed                                               */

static char *
pair_key (const char *a,
          const char *b)
{
  return g_strcmp0 (a, b) < 0 ? g_strdup_printf ("%s %s", a, b) : g_strdup_printf ("%s %s", b, a);
}

static GHashTable *
load_dismissed (KontorDuplicatesWindow *self)
{
  g_autofree char *text = kontor_store_get_setting (self->store, DISMISSED_SETTING);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_hash_table_add (set, g_strdup (lines[i]));
  return set;
}

/* ---------------------------------------------------------------------- */
/* Formatting                                                             */

static char *
record_title (KontorDuplicatesWindow *self,
              KontorRecord           *record)
{
  const char *title = record ? kontor_record_get_title (record) : NULL;

  if (title != NULL && title[0] != '\0')
    return g_strdup (title);
  return g_strdup (_("Untitled record"));
}

static gboolean
value_is_empty (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node)[0] == '\0';
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  return FALSE;
}

/* A value as the user reads it; a reference by the title of its record. */
static char *
format_value (KontorDuplicatesWindow *self,
              KontorField            *field,
              JsonNode               *value)
{
  g_autofree char *text = NULL;

  if (value_is_empty (value))
    return g_strdup (_("(empty)"));

  if (kontor_field_get_field_type (field) == KONTOR_FIELD_REFERENCE &&
      JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      g_autoptr(KontorRecord) target = kontor_store_get (self->store, json_node_get_string (value),
                                                         NULL);

      if (target != NULL)
        return record_title (self, target);
    }
  /* choices translated, dates, numbers and money as the locale writes
   * them, as on the record page */
  text = kontor_format_value (field, value);
  if (text == NULL || text[0] == '\0')
    return g_strdup (_("(empty)"));
  return g_steal_pointer (&text);
}

static char *
format_score (double score)
{
  /* Translators: how alike two records are, e.g. "92 %" */
  return g_strdup_printf (_("%d %%"), (int) (score * 100 + 0.5));
}

/* ---------------------------------------------------------------------- */
/* The list                                                               */

static GtkWidget *
build_row (KontorDuplicatesWindow   *self,
           KontorDuplicateCandidate *candidate,
           KontorRecord             *a,
           KontorRecord             *b)
{
  g_autofree char *title_a = record_title (self, a);
  g_autofree char *title_b = record_title (self, b);
  /* Translators: two records that may be one, e.g. "Anna Müller ↔ Anna Mueller" */
  g_autofree char *title = g_strdup_printf (_("%s ↔ %s"), title_a, title_b);
  g_autofree char *score = format_score (candidate->score);
  g_autofree char *reasons = candidate->reasons ? g_strjoinv (_(", "), candidate->reasons)
                                                : g_strdup ("");
  /* Translators: the score of a pair, then why it may be a duplicate */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), score, reasons);
  g_autofree char *a11y = g_strdup_printf ("%s, %s", title, subtitle);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *sub = gtk_label_new (subtitle);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_label_set_lines (GTK_LABEL (sub), 2);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);

  g_object_set_data (G_OBJECT (row), "kontor-duplicate", candidate);
  g_object_set_data_full (G_OBJECT (row), "kontor-duplicate-pair",
                          g_strdup_printf ("%s %s", candidate->id_a, candidate->id_b), g_free);
  return row;
}

static void
clear_detail (KontorDuplicatesWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))) != NULL)
    gtk_box_remove (self->fields_box, child);
  g_ptr_array_set_size (self->choices, 0);
  self->current = NULL;
  g_clear_object (&self->records[0]);
  g_clear_object (&self->records[1]);
  adw_window_title_set_subtitle (self->detail_title, "");
  gtk_label_set_text (self->reasons_label, "");
}

/* Both records of a pair, live; FALSE if either is gone (merged, deleted). */
static gboolean
load_pair (KontorDuplicatesWindow    *self,
           KontorDuplicateCandidate  *candidate,
           KontorRecord             **a,
           KontorRecord             **b)
{
  g_autoptr(KontorRecord) ra = NULL;
  g_autoptr(KontorRecord) rb = NULL;

  if (candidate->id_a == NULL || candidate->id_b == NULL)
    return FALSE;
  ra = kontor_store_get (self->store, candidate->id_a, NULL);
  rb = kontor_store_get (self->store, candidate->id_b, NULL);
  if (ra == NULL || rb == NULL || kontor_record_get_deleted (ra) || kontor_record_get_deleted (rb))
    return FALSE;
  *a = g_steal_pointer (&ra);
  *b = g_steal_pointer (&rb);
  return TRUE;
}

/* Lists candidates (taken), leaving out dismissed pairs and pairs whose
 * records are gone. */
static void
show_candidates (KontorDuplicatesWindow *self,
                 GPtrArray              *candidates)
{
  g_autoptr(GHashTable) dismissed = load_dismissed (self);
  GtkWidget *child;

  clear_detail (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  self->candidates = candidate_array_new ();

  for (guint i = 0; candidates != NULL && i < candidates->len; i++)
    {
      KontorDuplicateCandidate *c = g_ptr_array_index (candidates, i);
      g_autofree char *key = pair_key (c->id_a, c->id_b);
      g_autoptr(KontorRecord) a = NULL;
      g_autoptr(KontorRecord) b = NULL;

      if (g_hash_table_contains (dismissed, key) || !load_pair (self, c, &a, &b))
        continue;
      c = kontor_duplicate_candidate_copy (c);
      g_ptr_array_add (self->candidates, c);
      gtk_list_box_append (self->list_box, build_row (self, c, a, b));
    }

  gtk_stack_set_visible_child_name (self->list_stack,
                                    self->candidates->len > 0 ? "list" : "empty");
  /* the best pair is compared at once; the rest wait in the list */
  if (self->candidates->len > 0)
    show_pair (self, g_ptr_array_index (self->candidates, 0));
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDIDATES]);
}

static GtkListBoxRow *
row_of (KontorDuplicatesWindow   *self,
        KontorDuplicateCandidate *candidate)
{
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->list_box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (g_object_get_data (G_OBJECT (c), "kontor-duplicate") == candidate)
      return GTK_LIST_BOX_ROW (c);
  return NULL;
}

/* Takes a pair off the list (it stays in candidates' owner, the caller). */
static void
remove_candidate (KontorDuplicatesWindow   *self,
                  KontorDuplicateCandidate *candidate)
{
  GtkListBoxRow *row = row_of (self, candidate);

  if (row != NULL)
    gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
  g_ptr_array_remove (self->candidates, candidate);
}

static void
on_row_selected (KontorDuplicatesWindow *self,
                 GtkListBoxRow          *row)
{
  KontorDuplicateCandidate *candidate;

  if (self->updating || row == NULL)
    return;
  candidate = g_object_get_data (G_OBJECT (row), "kontor-duplicate");
  if (candidate != NULL && candidate != self->current)
    show_pair (self, candidate);
}

static void
on_row_activated (KontorDuplicatesWindow *self,
                  GtkListBoxRow          *row)
{
  on_row_selected (self, row);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));
}

static void
on_back_clicked (KontorDuplicatesWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* ---------------------------------------------------------------------- */
/* The comparison                                                         */

static void
style_choice (FieldChoice *choice)
{
  for (guint i = 0; i < G_N_ELEMENTS (choice->buttons); i++)
    {
      GtkWidget *button = choice->buttons[i];

      if (button == NULL)
        continue;
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (button), "check"),
                              gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
    }
}

static void
on_choice_toggled (GtkToggleButton *button,
                   FieldChoice     *choice)
{
  style_choice (choice);
}

static GtkWidget *
build_choice_button (const char *caption_text,
                     const char *value_text,
                     const char *field_label)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *caption = gtk_label_new (caption_text);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *value = gtk_label_new (value_text);
  /* Translators: the accessible label of one value to keep in a merge:
   * the field, where the value comes from, and the value */
  g_autofree char *a11y = g_strdup_printf (_("%s from %s: %s"), field_label, caption_text,
                                           value_text);

  gtk_widget_set_hexpand (caption, TRUE);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_visible (check, FALSE);
  gtk_box_append (GTK_BOX (top), caption);
  gtk_box_append (GTK_BOX (top), check);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), value);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_set_margin_start (box, 4);
  gtk_widget_set_margin_end (box, 4);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  g_object_set_data (G_OBJECT (button), "check", check);
  g_object_set_data_full (G_OBJECT (button), "kontor-merge-value", g_strdup (value_text), g_free);
  return button;
}

/* One field: its label, then a button per record (and "both" for tags);
 * a field equal in both records is shown once, with nothing to choose. */
static GtkWidget *
build_field (KontorDuplicatesWindow *self,
             KontorField            *field,
             JsonNode               *first,
             JsonNode               *second)
{
  const char *name = kontor_field_get_name (field);
  const char *label = _(kontor_field_get_label (field));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (label);
  GtkWidget *row;
  FieldChoice *choice;
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;
  g_autofree char *title_a = record_title (self, self->records[0]);
  g_autofree char *title_b = record_title (self, self->records[1]);
  gboolean both = FALSE;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (box), heading);
  g_object_set_data_full (G_OBJECT (box), "kontor-merge-field", g_strdup (name), g_free);

  text_a = format_value (self, field, first);
  text_b = format_value (self, field, second);

  if ((value_is_empty (first) && value_is_empty (second)) ||
      (!value_is_empty (first) && !value_is_empty (second) && json_node_equal (first, second)))
    {
      GtkWidget *same = gtk_label_new (text_a);
      g_autofree char *same_a11y = g_strdup_printf (_("%s, the same in both"), text_a);

      gtk_label_set_xalign (GTK_LABEL (same), 0);
      gtk_label_set_wrap (GTK_LABEL (same), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (same), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      same_a11y, -1);
      g_object_set_data_full (G_OBJECT (box), "kontor-merge-same", g_strdup (text_a), g_free);
      gtk_box_append (GTK_BOX (box), same);
      return box;
    }

  choice = g_new0 (FieldChoice, 1);
  choice->name = g_strdup (name);
  choice->values[0] = value_is_empty (first) ? NULL : json_node_copy (first);
  choice->values[1] = value_is_empty (second) ? NULL : json_node_copy (second);
  g_ptr_array_add (self->choices, choice);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  choice->buttons[SOURCE_FIRST] = build_choice_button (title_a, text_a, label);
  choice->buttons[SOURCE_SECOND] = build_choice_button (title_b, text_b, label);
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_SECOND]),
                               GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_FIRST]));
  gtk_box_append (GTK_BOX (row), choice->buttons[SOURCE_FIRST]);
  gtk_box_append (GTK_BOX (row), choice->buttons[SOURCE_SECOND]);
  g_object_set_data (G_OBJECT (choice->buttons[SOURCE_FIRST]), "kontor-merge-source", "first");
  g_object_set_data (G_OBJECT (choice->buttons[SOURCE_SECOND]), "kontor-merge-source", "second");

  if (kontor_field_get_field_type (field) == KONTOR_FIELD_MULTI_CHOICE &&
      choice->values[0] != NULL && choice->values[1] != NULL)
    {
      choice->buttons[SOURCE_BOTH] = build_choice_button (_("Both"), _("All of both"), label);
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_BOTH]),
                                   GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_FIRST]));
      g_object_set_data (G_OBJECT (choice->buttons[SOURCE_BOTH]), "kontor-merge-source", "both");
      gtk_box_append (GTK_BOX (row), choice->buttons[SOURCE_BOTH]);
      both = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (choice->buttons); i++)
    if (choice->buttons[i] != NULL)
      g_signal_connect (choice->buttons[i], "toggled", G_CALLBACK (on_choice_toggled), choice);

  /* what the merge would keep by itself: the kept record's value, else
   * the other's, tags combined */
  if (both)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_BOTH]), TRUE);
  else if (choice->values[0] != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_FIRST]), TRUE);
  else
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_SECOND]), TRUE);
  style_choice (choice);

  gtk_box_append (GTK_BOX (box), row);
  return box;
}

static void
show_pair (KontorDuplicatesWindow   *self,
           KontorDuplicateCandidate *candidate)
{
  KontorKind *kind = current_kind (self);
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  g_autoptr(GPtrArray) linked = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  g_autofree char *score = NULL;
  GPtrArray *fields;

  clear_detail (self);
  if (kind == NULL || !load_pair (self, candidate, &a, &b))
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      actions_update (self);
      return;
    }
  self->current = candidate;
  self->records[0] = g_steal_pointer (&a);
  self->records[1] = g_steal_pointer (&b);
  title_a = record_title (self, self->records[0]);
  title_b = record_title (self, self->records[1]);
  score = format_score (candidate->score);

  adw_window_title_set_subtitle (self->detail_title, score);

  /* Translators: the score of two records that may be one */
  g_string_append_printf (text, _("Alike by %s:"), score);
  for (guint i = 0; candidate->reasons != NULL && candidate->reasons[i] != NULL; i++)
    g_string_append_printf (text, "\n• %s", candidate->reasons[i]);
  /* the older record (in a scan the first) keeps its id and history */
  linked = kontor_store_list_linked (self->store, kontor_record_get_id (self->records[1]), NULL);
  g_string_append_c (text, '\n');
  g_string_append_c (text, '\n');
  if (linked != NULL && linked->len > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "“%s” is kept; %u record linked to “%s” moves to it.",
                                         "“%s” is kept; %u records linked to “%s” move to it.",
                                         linked->len),
                            title_a, linked->len, title_b);
  else
    g_string_append_printf (text, _("“%s” is kept and “%s” is removed."), title_a, title_b);
  g_string_append_c (text, ' ');
  g_string_append (text, _("Choose the value to keep where they differ."));
  gtk_label_set_text (self->reasons_label, text->str);

  fields = kontor_kind_get_fields (kind);
  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *field = g_ptr_array_index (fields, i);
      JsonObject *va = kontor_record_get_values (self->records[0]);
      JsonObject *vb = kontor_record_get_values (self->records[1]);
      JsonNode *first = json_object_get_member (va, kontor_field_get_name (field));
      JsonNode *second = json_object_get_member (vb, kontor_field_get_name (field));

      /* photos are not shown here; the merge keeps one like any value */
      if (kontor_field_get_field_type (field) == KONTOR_FIELD_BLOB)
        continue;
      if (value_is_empty (first) && value_is_empty (second))
        continue;
      gtk_box_append (self->fields_box, build_field (self, field, first, second));
    }

  gtk_stack_set_visible_child_name (self->detail_stack, "compare");
  self->updating = TRUE;
  gtk_list_box_select_row (self->list_box, row_of (self, candidate));
  self->updating = FALSE;
  actions_update (self);
}

/* ---------------------------------------------------------------------- */
/* Merging and undoing                                                    */

static JsonObject *
chosen_values (KontorDuplicatesWindow *self)
{
  JsonObject *values = json_object_new ();

  for (guint i = 0; i < self->choices->len; i++)
    {
      FieldChoice *choice = g_ptr_array_index (self->choices, i);
      JsonNode *value = NULL;

      if (choice->buttons[SOURCE_BOTH] != NULL &&
          gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_BOTH])))
        continue;  /* the merge combines them */
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (choice->buttons[SOURCE_SECOND])))
        value = choice->values[1];
      else
        value = choice->values[0];
      json_object_set_member (values, choice->name,
                              value ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
    }
  return values;
}

static void
on_merge_clicked (KontorDuplicatesWindow *self)
{
  KontorDuplicateCandidate *candidate = self->current;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(KontorMergeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_a = NULL;
  g_autofree char *title_b = NULL;
  g_autofree char *message = NULL;
  MergeEntry *entry;

  if (candidate == NULL || self->busy)
    return;

  values = chosen_values (self);
  title_a = record_title (self, self->records[0]);
  title_b = record_title (self, self->records[1]);
  if (!kontor_merge_records (self->store, candidate->id_a, candidate->id_b, values, &result,
                             &error))
    {
      toast (self, error->message, NULL, NULL);
      return;
    }

  entry = g_new0 (MergeEntry, 1);
  entry->history_id = g_strdup (result->history_id);
  entry->survivor_id = g_strdup (result->survivor_id);
  entry->merged_id = g_strdup (result->merged_id);
  entry->removed = candidate_array_new ();

  /* every pair with the merged record is void now; an undo brings them back */
  clear_detail (self);
  for (guint i = self->candidates->len; i > 0; i--)
    {
      KontorDuplicateCandidate *c = g_ptr_array_index (self->candidates, i - 1);

      if (g_strcmp0 (c->id_a, entry->merged_id) == 0 ||
          g_strcmp0 (c->id_b, entry->merged_id) == 0)
        {
          g_ptr_array_insert (entry->removed, 0, kontor_duplicate_candidate_copy (c));
          remove_candidate (self, c);
        }
    }
  g_ptr_array_add (self->merges, entry);

  /* Translators: the names of the two records merged */
  message = g_strdup_printf (_("“%s” and “%s” merged"), title_a, title_b);
  adw_status_page_set_description (self->merged_page, message);
  gtk_stack_set_visible_child_name (self->detail_stack, "merged");
  if (self->candidates->len == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  toast (self, message, _("Undo"), "duplicates.undo-merge");

  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDIDATES]);
}

static void
undo_merge (KontorDuplicatesWindow *self)
{
  MergeEntry *entry;
  g_autoptr(GError) error = NULL;
  KontorDuplicateCandidate *first = NULL;

  if (self->merges->len == 0)
    return;
  entry = g_ptr_array_index (self->merges, self->merges->len - 1);
  if (!kontor_merge_undo (self->store, entry->history_id, &error))
    {
      toast (self, error->message, NULL, NULL);
      /* it can never be undone from here now (undone elsewhere, or the
       * kept record merged on) */
      g_ptr_array_remove_index (self->merges, self->merges->len - 1);
      actions_update (self);
      return;
    }

  /* the pairs come back, first in the list, and the first is shown */
  for (guint i = 0; i < entry->removed->len; i++)
    {
      KontorDuplicateCandidate *c = g_ptr_array_index (entry->removed, i);
      g_autoptr(KontorRecord) a = NULL;
      g_autoptr(KontorRecord) b = NULL;

      if (!load_pair (self, c, &a, &b))
        continue;
      c = kontor_duplicate_candidate_copy (c);
      g_ptr_array_insert (self->candidates, i, c);
      gtk_list_box_insert (self->list_box, build_row (self, c, a, b), (int) i);
      if (first == NULL)
        first = c;
    }
  g_ptr_array_remove_index (self->merges, self->merges->len - 1);

  if (self->candidates->len > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  if (first != NULL)
    show_pair (self, first);
  else
    {
      clear_detail (self);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
    }
  toast (self, _("Merge undone"), NULL, NULL);
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDIDATES]);
}

static void
undo_merge_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  undo_merge (KONTOR_DUPLICATES_WINDOW (widget));
}

static void
on_dismiss_clicked (KontorDuplicatesWindow *self)
{
  KontorDuplicateCandidate *candidate = self->current;
  g_autofree char *key = NULL;
  g_autofree char *old = NULL;
  g_autofree char *value = NULL;
  g_autoptr(GError) error = NULL;

  if (candidate == NULL)
    return;
  key = pair_key (candidate->id_a, candidate->id_b);
  old = kontor_store_get_setting (self->store, DISMISSED_SETTING);
  value = old && old[0] ? g_strdup_printf ("%s\n%s", old, key) : g_strdup (key);
  if (!kontor_store_set_setting (self->store, DISMISSED_SETTING, value, &error))
    {
      toast (self, error->message, NULL, NULL);
      return;
    }

  g_clear_pointer (&self->dismissed, kontor_duplicate_candidate_free);
  self->dismissed = kontor_duplicate_candidate_copy (candidate);
  clear_detail (self);
  remove_candidate (self, candidate);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  if (self->candidates->len == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  toast (self, _("The pair will not be offered again"), _("Undo"), "duplicates.undo-dismiss");
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDIDATES]);
}

/* The last dismissed pair is offered again, first in the list. */
static void
undo_dismiss (KontorDuplicatesWindow *self)
{
  g_autoptr(KontorDuplicateCandidate) c = g_steal_pointer (&self->dismissed);
  g_autofree char *key = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KontorRecord) a = NULL;
  g_autoptr(KontorRecord) b = NULL;
  KontorDuplicateCandidate *back;

  if (c == NULL)
    return;
  key = pair_key (c->id_a, c->id_b);
  old = kontor_store_get_setting (self->store, DISMISSED_SETTING);
  lines = g_strsplit (old ? old : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !g_str_equal (lines[i], key))
      g_string_append_printf (kept, "%s%s", kept->len ? "\n" : "", lines[i]);
  if (!kontor_store_set_setting (self->store, DISMISSED_SETTING, kept->str, &error))
    {
      toast (self, error->message, NULL, NULL);
      return;
    }

  /* a record of the pair may be gone since */
  if (!load_pair (self, c, &a, &b))
    return;
  back = kontor_duplicate_candidate_copy (c);
  g_ptr_array_insert (self->candidates, 0, back);
  gtk_list_box_insert (self->list_box, build_row (self, back, a, b), 0);
  gtk_stack_set_visible_child_name (self->list_stack, "list");
  show_pair (self, back);
  actions_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDIDATES]);
}

static void
undo_dismiss_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  undo_dismiss (KONTOR_DUPLICATES_WINDOW (widget));
}

/* ---------------------------------------------------------------------- */
/* Scanning                                                               */

typedef struct
{
  char         *db_path;
  char         *kind;
  gint         *permille;
  GCancellable *cancellable;
} ScanJob;

static void
scan_job_free (ScanJob *job)
{
  g_free (job->db_path);
  g_free (job->kind);
  g_clear_pointer (&job->permille, g_atomic_rc_box_release);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static gboolean
on_scan_progress (double   fraction,
                  gpointer user_data)
{
  ScanJob *job = user_data;

  g_atomic_int_set (job->permille, (int) (fraction * 1000));
  return !g_cancellable_is_cancelled (job->cancellable);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ScanJob *job = task_data;
  g_autoptr(KontorStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  store = kontor_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  found = kontor_duplicates_scan (store, job->kind, KONTOR_DUPLICATES_DEFAULT_THRESHOLD,
                                  on_scan_progress, job, &error);
  if (found == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
update_progress (gpointer user_data)
{
  KontorDuplicatesWindow *self = user_data;

  gtk_progress_bar_set_fraction (self->progress_bar, g_atomic_int_get (self->permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);

  /* a newer scan, or the window closing, took over */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  set_busy (self, FALSE);

  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_status_page_set_title (self->empty_page, _("Could Not Look for Duplicates"));
          adw_status_page_set_description (self->empty_page, error->message);
          adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
          toast (self, error->message, NULL, NULL);
        }
      show_candidates (self, NULL);
      return;
    }
  adw_status_page_set_title (self->empty_page, _("No Duplicates"));
  adw_status_page_set_description (self->empty_page,
                                   _("No two records look like the same person or "
                                     "organization."));
  adw_status_page_set_icon_name (self->empty_page, "emblem-ok-symbolic");
  show_candidates (self, found);
}

static void
cancel_scan (KontorDuplicatesWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->progress_id, g_source_remove);
  set_busy (self, FALSE);
}

static void
select_kind (KontorDuplicatesWindow *self,
             const char             *kind)
{
  for (guint i = 0; scan_kinds[i] != NULL; i++)
    if (g_str_equal (scan_kinds[i], kind))
      {
        self->updating = TRUE;
        gtk_drop_down_set_selected (self->kind_dropdown, i);
        self->updating = FALSE;
      }
  if (g_strcmp0 (self->kind, kind) != 0)
    {
      g_free (self->kind);
      self->kind = g_strdup (kind);
    }
}

void
kontor_duplicates_window_scan (KontorDuplicatesWindow *self,
                               const char             *kind)
{
  g_autoptr(GTask) task = NULL;
  ScanJob *job;

  g_return_if_fail (KONTOR_IS_DUPLICATES_WINDOW (self));
  g_return_if_fail (kind != NULL);

  cancel_scan (self);
  select_kind (self, kind);

  job = g_new0 (ScanJob, 1);
  job->db_path = g_strdup (kontor_store_get_path (self->store));
  job->kind = g_strdup (kind);
  job->permille = g_atomic_rc_box_acquire (self->permille);
  job->cancellable = g_object_ref (self->cancellable);
  g_atomic_int_set (self->permille, 0);

  clear_detail (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_stack_set_visible_child_name (self->list_stack, "scanning");
  set_busy (self, TRUE);
  self->progress_id = g_timeout_add (100, update_progress, self);

  task = g_task_new (self, self->cancellable, on_scan_done, NULL);
  g_task_set_source_tag (task, kontor_duplicates_window_scan);
  g_task_set_task_data (task, job, (GDestroyNotify) scan_job_free);
  g_task_run_in_thread (task, scan_thread);
}

void
kontor_duplicates_window_set_candidates (KontorDuplicatesWindow *self,
                                         const char             *kind,
                                         GPtrArray              *candidates)
{
  g_return_if_fail (KONTOR_IS_DUPLICATES_WINDOW (self));
  g_return_if_fail (kind != NULL);

  cancel_scan (self);
  select_kind (self, kind);
  show_candidates (self, candidates);
}

guint
kontor_duplicates_window_get_n_candidates (KontorDuplicatesWindow *self)
{
  g_return_val_if_fail (KONTOR_IS_DUPLICATES_WINDOW (self), 0);

  return self->candidates ? self->candidates->len : 0;
}

gboolean
kontor_duplicates_window_get_busy (KontorDuplicatesWindow *self)
{
  g_return_val_if_fail (KONTOR_IS_DUPLICATES_WINDOW (self), FALSE);

  return self->busy;
}

static void
on_kind_changed (KontorDuplicatesWindow *self)
{
  guint i = gtk_drop_down_get_selected (self->kind_dropdown);

  if (self->updating || i >= g_strv_length ((GStrv) scan_kinds))
    return;
  kontor_duplicates_window_scan (self, scan_kinds[i]);
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (widget);

  kontor_duplicates_window_scan (self, self->kind);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

GtkWidget *
kontor_duplicates_window_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_DUPLICATES_WINDOW, "store", store, NULL);
}

static void
kontor_duplicates_window_constructed (GObject *object)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (object);
  KontorSchema *schema = kontor_store_get_schema (self->store);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  G_OBJECT_CLASS (kontor_duplicates_window_parent_class)->constructed (object);

  for (guint i = 0; scan_kinds[i] != NULL; i++)
    {
      KontorKind *kind = kontor_schema_get_kind (schema, scan_kinds[i]);

      gtk_string_list_append (kinds, kind ? _(kontor_kind_get_plural_label (kind))
                                          : scan_kinds[i]);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  self->updating = FALSE;

  kontor_duplicates_window_scan (self, scan_kinds[0]);
}

static gboolean
kontor_duplicates_window_close_request (GtkWindow *window)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (kontor_duplicates_window_parent_class)->close_request (window);
}

static void
kontor_duplicates_window_dispose (GObject *object)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->choices != NULL)
    g_ptr_array_set_size (self->choices, 0);
  self->current = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_DUPLICATES_WINDOW);
  g_clear_object (&self->records[0]);
  g_clear_object (&self->records[1]);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_duplicates_window_parent_class)->dispose (object);
}

static void
kontor_duplicates_window_finalize (GObject *object)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (object);

  g_ptr_array_unref (self->choices);
  g_ptr_array_unref (self->merges);
  g_clear_pointer (&self->dismissed, kontor_duplicate_candidate_free);
  g_atomic_rc_box_release (self->permille);
  g_free (self->kind);

  G_OBJECT_CLASS (kontor_duplicates_window_parent_class)->finalize (object);
}

static void
kontor_duplicates_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_CANDIDATES:
      g_value_set_uint (value, kontor_duplicates_window_get_n_candidates (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_duplicates_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KontorDuplicatesWindow *self = KONTOR_DUPLICATES_WINDOW (object);

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
kontor_duplicates_window_class_init (KontorDuplicatesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kontor_duplicates_window_constructed;
  object_class->dispose = kontor_duplicates_window_dispose;
  object_class->finalize = kontor_duplicates_window_finalize;
  object_class->get_property = kontor_duplicates_window_get_property;
  object_class->set_property = kontor_duplicates_window_set_property;
  window_class->close_request = kontor_duplicates_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CANDIDATES] =
    g_param_spec_uint ("n-candidates", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "duplicates.undo-merge", NULL,
                                   undo_merge_action);
  gtk_widget_class_install_action (widget_class, "duplicates.undo-dismiss", NULL,
                                   undo_dismiss_action);
  gtk_widget_class_install_action (widget_class, "duplicates.scan", NULL, scan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "duplicates.undo-merge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "duplicates.scan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-duplicates-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, content);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, detail_title);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, fields_box);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, merge_button);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, merged_page);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, reasons_label);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, scan_button);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KontorDuplicatesWindow, undo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_merge_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
}

static void
kontor_duplicates_window_init (KontorDuplicatesWindow *self)
{
  self->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) field_choice_free);
  self->merges = g_ptr_array_new_with_free_func ((GDestroyNotify) merge_entry_free);
  self->permille = g_atomic_rc_box_new0 (gint);
  self->cancellable = g_cancellable_new ();
  self->kind = g_strdup (scan_kinds[0]);

  gtk_widget_init_template (GTK_WIDGET (self));
}
