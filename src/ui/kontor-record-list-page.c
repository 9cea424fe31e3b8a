/* kontor-record-list-page.c
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-format.h"
#include "kontor-record-list.h"
#include "kontor-record-list-page.h"

typedef struct
{
  KontorRecordListPage *self;
  GtkColumnViewColumn  *column;
  KontorField          *field;      /* NULL: the title column */
  GStrv                 sort_keys;  /* fields the column sorts by */
} ColumnInfo;

struct _KontorRecordListPage
{
  AdwBin               parent_instance;

  GtkColumnView       *column_view;
  GtkListBox          *conditions_list;
  AdwStatusPage       *empty_page;
  AdwStatusPage       *error_page;
  AdwStatusPage       *no_results_page;
  GtkDropDown         *field_dropdown;
  GtkMenuButton       *filter_button;
  GtkLabel            *filter_error_label;
  GtkPopover          *filter_popover;
  GtkDropDown         *op_dropdown;
  GtkSearchEntry      *search_entry;
  GtkEntry            *segment_name_entry;
  GtkListBox          *segments_list;
  GtkStack            *stack;
  GtkLabel            *summary_label;
  GtkEntry            *value_entry;

  KontorStore         *store;
  char                *kind;
  KontorKind          *kind_obj;     /* owned by the store's schema */
  KontorRecordList    *list;
  GtkSingleSelection  *selection;
  gulong               store_changed_id;

  GPtrArray           *columns;      /* ColumnInfo */
  GPtrArray           *filter_fields; /* field names (borrowed from the schema) */
  GPtrArray           *conditions;   /* char *, parse_condition syntax */
  GPtrArray           *sorts;        /* char *, "-field" for descending */
  char                *search;
  char                *segment;      /* name of the applied segment */

  KontorRecord        *probe_a;
  KontorRecord        *probe_b;
  ColumnInfo          *probe_hit;
  gboolean             setting_sort;
  guint                n_extra_shown;   /* columns after the title that fit */
  GPtrArray           *subtitles;       /* the title cells' second lines (weak) */
  int                  view_width;
  guint                fit_idle;
};

G_DEFINE_FINAL_TYPE (KontorRecordListPage, kontor_record_list_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  N_PROPS
};

enum {
  RECORD_SELECTED,
  RECORD_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Operators of the condition editor: label and the parse_condition syntax. */
static const struct { const char *label; const char *op; } operators[] = {
  { N_("is"), "=" },
  { N_("is not"), "!=" },
  { N_("contains"), "~" },
  { N_("less than"), "<" },
  { N_("greater than"), ">" },
  { N_("is empty"), "?" },
  { N_("is not empty"), "!?" },
};

/* Columns after the title are shown only while the title keeps 220 px:
 * at 360 px (a phone) the list is names only. Changing columns inside an
 * allocation would allocate again, so it waits for an idle. */
#define TITLE_MIN_WIDTH 220
#define EXTRA_COLUMN_WIDTH 150

/* Extra columns per kind (after the title); other kinds show the title. */
static const struct { const char *kind; const char *fields; } kind_columns[] = {
  { "contact", "email|city|lifecycle" },
  { "organization", "industry|city|employees" },
  { "lead", "company|status|score" },
  { "deal", "value|status|close_date" },
  { "activity", "type|due|done" },
  { "voice_note", "recorded_at|duration_ms" },
  { "product", "code|price" },
};

static void
column_info_free (ColumnInfo *info)
{
  g_strfreev (info->sort_keys);
  g_free (info);
}

static char *
segments_key (KontorRecordListPage *self)
{
  return g_strdup_printf ("ui.segments.%s", self->kind);
}

/* ---------------------------------------------------------------------- */
/* The query                                                              */

static void
update_state (KontorRecordListPage *self)
{
  const GError *error = self->list ? kontor_record_list_get_error (self->list) : NULL;
  guint n = self->list ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *number = kontor_format_integer (n);
  g_autofree char *count = NULL;
  g_autofree char *summary = NULL;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (n == 0)
    gtk_stack_set_visible_child_name (self->stack,
                                      (self->search != NULL || self->conditions->len > 0)
                                      ? "no-results" : "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  /* Translators: the number of records in a list, e.g. "1.234 records" */
  count = g_strdup_printf (ngettext ("%s record", "%s records", n), number);
  if (self->segment != NULL)
    /* Translators: a segment's name and the number of its records */
    summary = g_strdup_printf (_("%s · %s"), self->segment, count);
  else if (self->conditions->len > 0)
    /* Translators: the number of records that match the filter */
    summary = g_strdup_printf (_("%s (filtered)"), count);
  else
    summary = g_steal_pointer (&count);
  gtk_label_set_label (self->summary_label, summary);

  if (self->conditions->len > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");
}

static KontorQuery *
build_query (KontorRecordListPage  *self,
             GError               **error)
{
  g_autoptr(KontorQuery) query = kontor_query_new (self->kind);

  for (guint i = 0; i < self->conditions->len; i++)
    if (!kontor_query_parse_condition (query, g_ptr_array_index (self->conditions, i), error))
      return NULL;

  for (guint i = 0; i < self->sorts->len; i++)
    {
      const char *key = g_ptr_array_index (self->sorts, i);

      kontor_query_add_sort (query, key[0] == '-' ? key + 1 : key, key[0] == '-');
    }

  kontor_query_set_search (query, self->search);

  return g_steal_pointer (&query);
}

static void
refresh (KontorRecordListPage *self)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GError) error = NULL;

  if (self->list == NULL)
    return;

  query = build_query (self, &error);
  if (query == NULL)
    {
      g_warning ("Bad list query: %s", error->message);
      return;
    }

  /* Unselect first: a selection model looks for its item among all new
   * rows, which would read every page of a long list. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  kontor_record_list_set_query (self->list, query);
  update_state (self);
}

static void
on_store_changed (KontorStore          *store,
                  const char           *kind,
                  KontorRecordListPage *self)
{
  /* runs before the list's own handler (connected earlier) */
  if (g_strcmp0 (kind, self->kind) == 0)
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
on_items_changed (KontorRecordListPage *self)
{
  update_state (self);
}

/* ---------------------------------------------------------------------- */
/* Columns                                                                */

static void
forget_subtitle (gpointer  data,
                 GObject  *gone)
{
  g_ptr_array_remove_fast (data, gone);
}

/* The second line repeats the first column: shown only while that column
 * is hidden (a narrow list). */
static void
show_subtitle (KontorRecordListPage *self,
               GtkWidget            *subtitle)
{
  const char *text = gtk_label_get_label (GTK_LABEL (subtitle));

  gtk_widget_set_visible (subtitle, self->n_extra_shown == 0 && text != NULL && text[0] != '\0');
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnInfo               *info)
{
  if (info->field == NULL)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (NULL);
      GtkWidget *subtitle = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), subtitle);
      gtk_list_item_set_child (item, box);
      g_ptr_array_add (info->self->subtitles, subtitle);
      g_object_weak_ref (G_OBJECT (subtitle), forget_subtitle, info->self->subtitles);
    }
  else
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_list_item_set_child (item, label);
    }
}

static char *
cell_text (KontorRecord *record,
           KontorField  *field)
{
  if (field == NULL)
    return g_strdup ("");

  return kontor_format_value (field, kontor_record_get_value (record, kontor_field_get_name (field)));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnInfo               *info)
{
  KontorRecord *record = gtk_list_item_get_item (item);
  GtkWidget *child = gtk_list_item_get_child (item);

  if (record == NULL)
    return;

  if (info->field == NULL)
    {
      GtkWidget *title = gtk_widget_get_first_child (child);
      GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
      const char *text = kontor_record_get_title (record);
      ColumnInfo *first = info->self->columns->len > 1
                          ? g_ptr_array_index (info->self->columns, 1) : NULL;
      g_autofree char *sub = cell_text (record, first ? first->field : NULL);

      gtk_label_set_label (GTK_LABEL (title), text && *text ? text : _("Untitled"));
      gtk_label_set_label (GTK_LABEL (subtitle), sub);
      show_subtitle (info->self, subtitle);
    }
  else
    {
      g_autofree char *text = cell_text (record, info->field);

      gtk_label_set_label (GTK_LABEL (child), text);
    }
}

/* The column view's sorter says nothing public about which column it
 * sorts by (before GTK 4.10). Each column's sorter records that it was
 * asked first and answers "smaller"; the sign of the view sorter's answer
 * gives the direction. Nothing is ever sorted in memory. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  ColumnInfo *info = data;

  if (info->self->probe_hit == NULL)
    info->self->probe_hit = info;

  return GTK_ORDERING_SMALLER;
}

static void
on_view_sorter_changed (KontorRecordListPage *self)
{
  GtkSorter *sorter;
  GtkOrdering order;

  /* the column view's sorter changes while the view is disposed too */
  if (self->setting_sort || self->column_view == NULL || self->list == NULL)
    return;
  sorter = gtk_column_view_get_sorter (self->column_view);
  if (sorter == NULL)
    return;

  self->probe_hit = NULL;
  order = gtk_sorter_compare (sorter, self->probe_a, self->probe_b);
  g_ptr_array_set_size (self->sorts, 0);

  if (self->probe_hit != NULL)
    {
      gboolean descending = order == GTK_ORDERING_LARGER;

      for (guint i = 0; self->probe_hit->sort_keys[i]; i++)
        g_ptr_array_add (self->sorts, g_strdup_printf ("%s%s", descending ? "-" : "",
                                                       self->probe_hit->sort_keys[i]));
    }
  else if (self->columns->len > 0)
    {
      ColumnInfo *title = g_ptr_array_index (self->columns, 0);

      for (guint i = 0; title->sort_keys[i]; i++)
        g_ptr_array_add (self->sorts, g_strdup (title->sort_keys[i]));
    }

  refresh (self);
}


static void
add_column (KontorRecordListPage *self,
            KontorField          *field,
            GStrv                 sort_keys)
{
  ColumnInfo *info = g_new0 (ColumnInfo, 1);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = NULL;
  const char *title;

  info->self = self;
  info->field = field;
  info->sort_keys = sort_keys;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), info);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), info);

  if (field != NULL)
    title = _(kontor_field_get_label (field));
  else
    title = _("Name");

  info->column = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, info, NULL));
  gtk_column_view_column_set_sorter (info->column, sorter);
  if (field == NULL)
    gtk_column_view_column_set_expand (info->column, TRUE);
  else
    {
      gtk_column_view_column_set_resizable (info->column, TRUE);
      gtk_column_view_column_set_fixed_width (info->column, EXTRA_COLUMN_WIDTH);
    }
  gtk_column_view_append_column (self->column_view, info->column);
  g_object_unref (info->column);   /* the view holds it */

  g_ptr_array_add (self->columns, info);
}

static void
build_columns (KontorRecordListPage *self)
{
  g_auto(GStrv) names = NULL;

  add_column (self, NULL, kontor_kind_dup_title_sort_keys (self->kind_obj));

  for (guint i = 0; i < G_N_ELEMENTS (kind_columns); i++)
    if (g_str_equal (kind_columns[i].kind, self->kind))
      names = g_strsplit (kind_columns[i].fields, "|", -1);

  for (guint i = 0; names && names[i]; i++)
    {
      KontorField *field = kontor_kind_get_field (self->kind_obj, names[i]);
      const char * const keys[] = { names[i], NULL };

      if (field != NULL)
        add_column (self, field, g_strdupv ((GStrv) keys));
    }
}


static gboolean
fit_columns (gpointer user_data)
{
  KontorRecordListPage *self = user_data;

  self->fit_idle = 0;
  for (guint i = 1; i < self->columns->len; i++)
    {
      ColumnInfo *info = g_ptr_array_index (self->columns, i);

      gtk_column_view_column_set_visible (info->column, i <= self->n_extra_shown);
    }
  for (guint i = 0; i < self->subtitles->len; i++)
    show_subtitle (self, g_ptr_array_index (self->subtitles, i));
  /* the title takes the rest (GTK 4.8's column expansion does not fill a
   * view whose columns shrank) */
  if (self->columns->len > 0)
    gtk_column_view_column_set_fixed_width (((ColumnInfo *) g_ptr_array_index (self->columns, 0))->column,
                                            MAX (TITLE_MIN_WIDTH,
                                                 self->view_width - (int) self->n_extra_shown * EXTRA_COLUMN_WIDTH - 2));
  return G_SOURCE_REMOVE;
}

static void
on_view_width_changed (GtkAdjustment        *hadjustment,
                       GParamSpec           *pspec,
                       KontorRecordListPage *self)
{
  int width = (int) gtk_adjustment_get_page_size (hadjustment);
  guint extra = self->columns->len > 0 ? self->columns->len - 1 : 0;
  guint fit = width > TITLE_MIN_WIDTH ? (guint) (width - TITLE_MIN_WIDTH) / EXTRA_COLUMN_WIDTH : 0;

  fit = MIN (fit, extra);
  if (width > 0 && (fit != self->n_extra_shown || width != self->view_width))
    {
      self->n_extra_shown = fit;
      self->view_width = width;
      if (self->fit_idle == 0)
        self->fit_idle = g_idle_add (fit_columns, self);
    }
}

static void
on_column_view_activate (KontorRecordListPage *self,
                         guint                 position)
{
  g_autoptr(KontorRecord) record = g_list_model_get_item (G_LIST_MODEL (self->list), position);

  if (record != NULL)
    g_signal_emit (self, signals[RECORD_ACTIVATED], 0, record);
}

static void
on_selection_changed (KontorRecordListPage *self)
{
  KontorRecord *record = gtk_single_selection_get_selected_item (self->selection);

  if (record != NULL)
    g_signal_emit (self, signals[RECORD_SELECTED], 0, record);
}

/* ---------------------------------------------------------------------- */
/* Search                                                                 */

static void
on_search_changed (KontorRecordListPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (stripped[0] != '\0')
    self->search = g_steal_pointer (&stripped);

  refresh (self);
}

static void
on_search_activate (KontorRecordListPage *self)
{
  kontor_record_list_page_focus_list (self);
}

/* ---------------------------------------------------------------------- */
/* Conditions and segments                                                */

static void rebuild_filter_rows (KontorRecordListPage *self);

static char *
describe_condition (KontorRecordListPage *self,
                    const char           *text)
{
  g_autoptr(KontorQuery) q = kontor_query_new (self->kind);
  const KontorCondition *cond;
  KontorField *field;
  g_autofree char *values = NULL;
  const char *op = "";

  if (!kontor_query_parse_condition (q, text, NULL) || kontor_query_get_n_conditions (q) == 0)
    return g_strdup (text);

  cond = kontor_query_get_condition (q, 0);
  field = kontor_kind_get_field (self->kind_obj, cond->field);
  switch (cond->op)
    {
    case KONTOR_QUERY_EQ: op = _("is"); break;
    case KONTOR_QUERY_NE: op = _("is not"); break;
    case KONTOR_QUERY_LT: op = _("less than"); break;
    case KONTOR_QUERY_LE: op = _("at most"); break;
    case KONTOR_QUERY_GT: op = _("greater than"); break;
    case KONTOR_QUERY_GE: op = _("at least"); break;
    case KONTOR_QUERY_IN: op = _("is one of"); break;
    case KONTOR_QUERY_CONTAINS: op = _("contains"); break;
    case KONTOR_QUERY_EMPTY: op = _("is empty"); break;
    case KONTOR_QUERY_NOT_EMPTY: op = _("is not empty"); break;
    default: break;
    }
  values = cond->values ? g_strjoinv (", ", cond->values) : g_strdup ("");

  /* Translators: a filter condition: field, comparison, value ("City is Köln") */
  return g_strstrip (g_strdup_printf (_("%s %s %s"),
                                      field ? _(kontor_field_get_label (field)) : cond->field,
                                      op, values));
}

static JsonArray *
load_segments (KontorRecordListPage *self)
{
  g_autofree char *key = segments_key (self);
  g_autofree char *text = kontor_store_get_setting (self->store, key);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL))
    {
      root = json_parser_get_root (parser);
      if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
        return json_array_ref (json_node_get_array (root));
    }

  return json_array_new ();
}

static gboolean
store_segments (KontorRecordListPage  *self,
                JsonArray             *segments,
                GError               **error)
{
  g_autofree char *key = segments_key (self);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  json_node_set_array (root, segments);
  text = json_to_string (root, FALSE);

  return kontor_store_set_setting (self->store, key, text, error);
}

static int
find_segment (JsonArray  *segments,
              const char *name)
{
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *obj = json_array_get_object_element (segments, i);

      if (obj != NULL && g_strcmp0 (json_object_get_string_member_with_default (obj, "name", NULL),
                                    name) == 0)
        return (int) i;
    }

  return -1;
}

static void
on_remove_condition (GtkButton            *button,
                     KontorRecordListPage *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (index < self->conditions->len)
    {
      g_ptr_array_remove_index (self->conditions, index);
      g_clear_pointer (&self->segment, g_free);
      rebuild_filter_rows (self);
      refresh (self);
    }
}

static void
on_delete_segment (GtkButton            *button,
                   KontorRecordListPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "segment");
  g_autofree char *copy = g_strdup (name);

  kontor_record_list_page_delete_segment (self, copy);
}

static void
on_segment_row_activated (KontorRecordListPage *self,
                          GtkListBoxRow        *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "segment");
  g_autofree char *copy = g_strdup (name);

  if (copy == NULL)
    kontor_record_list_page_clear_conditions (self);
  else
    kontor_record_list_page_apply_segment (self, copy);
}

static void
rebuild_filter_rows (KontorRecordListPage *self)
{
  g_autoptr(JsonArray) segments = load_segments (self);
  GtkWidget *child;
  GtkWidget *row;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->segments_list))) != NULL)
    gtk_list_box_remove (self->segments_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->conditions_list))) != NULL)
    gtk_list_box_remove (self->conditions_list, child);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("All Records"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (self->conditions->len == 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_box_append (self->segments_list, row);

  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *obj = json_array_get_object_element (segments, i);
      const char *name = obj ? json_object_get_string_member_with_default (obj, "name", NULL) : NULL;
      GtkWidget *del;

      if (name == NULL)
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "segment", g_strdup (name), g_free);
      if (g_strcmp0 (self->segment, name) == 0)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   gtk_image_new_from_icon_name ("object-select-symbolic"));

      del = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (del, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (del, "flat");
      gtk_widget_set_tooltip_text (del, _("Delete Segment"));
      g_object_set_data_full (G_OBJECT (del), "segment", g_strdup (name), g_free);
      g_signal_connect (del, "clicked", G_CALLBACK (on_delete_segment), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), del);
      gtk_list_box_append (self->segments_list, row);
    }

  for (guint i = 0; i < self->conditions->len; i++)
    {
      g_autofree char *text = describe_condition (self, g_ptr_array_index (self->conditions, i));
      GtkWidget *del = gtk_button_new_from_icon_name ("window-close-symbolic");

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_widget_set_valign (del, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (del, "flat");
      gtk_widget_set_tooltip_text (del, _("Remove Condition"));
      g_object_set_data (G_OBJECT (del), "index", GUINT_TO_POINTER (i));
      g_signal_connect (del, "clicked", G_CALLBACK (on_remove_condition), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), del);
      gtk_list_box_append (self->conditions_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conditions_list), self->conditions->len > 0);
}

static void
show_filter_error (KontorRecordListPage *self,
                   const char           *message)
{
  gtk_label_set_label (self->filter_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->filter_error_label), message != NULL);
}

static void
on_add_condition (KontorRecordListPage *self)
{
  guint field_pos = gtk_drop_down_get_selected (self->field_dropdown);
  guint op_pos = gtk_drop_down_get_selected (self->op_dropdown);
  const char *value = gtk_editable_get_text (GTK_EDITABLE (self->value_entry));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_value;

  if (field_pos >= self->filter_fields->len || op_pos >= G_N_ELEMENTS (operators))
    return;

  no_value = g_str_has_suffix (operators[op_pos].op, "?");
  text = g_strdup_printf ("%s%s%s", (const char *) g_ptr_array_index (self->filter_fields, field_pos),
                          operators[op_pos].op, no_value ? "" : value);

  if (!kontor_record_list_page_add_condition (self, text, &error))
    {
      show_filter_error (self, error->message);
      return;
    }

  show_filter_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), "");
}

static void
on_save_segment (KontorRecordListPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->segment_name_entry));
  g_autoptr(GError) error = NULL;

  if (!kontor_record_list_page_save_segment (self, name, &error))
    {
      show_filter_error (self, error->message);
      return;
    }

  show_filter_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->segment_name_entry), "");
}

static void
build_filter_editor (KontorRecordListPage *self)
{
  g_autoptr(GtkStringList) field_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) op_labels = gtk_string_list_new (NULL);
  GPtrArray *fields = kontor_kind_get_fields (self->kind_obj);

  for (guint i = 0; i < fields->len; i++)
    {
      KontorField *f = g_ptr_array_index (fields, i);
      KontorFieldType type = kontor_field_get_field_type (f);

      if (type == KONTOR_FIELD_BLOB || type == KONTOR_FIELD_REFERENCE)
        continue;
      g_ptr_array_add (self->filter_fields, (gpointer) kontor_field_get_name (f));
      gtk_string_list_append (field_labels, _(kontor_field_get_label (f)));
    }

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    gtk_string_list_append (op_labels, _(operators[i].label));

  gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (field_labels));
  gtk_drop_down_set_model (self->op_dropdown, G_LIST_MODEL (op_labels));
  rebuild_filter_rows (self);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

/* Whole sentences per kind: "No %s" with a plural inside does not
 * translate (German needs "Keine Kontakte" but "Keine Leads"). */
static const char *
empty_title_for_kind (const char *kind)
{
  if (g_strcmp0 (kind, "contact") == 0)
    return _("No Contacts Yet");
  if (g_strcmp0 (kind, "organization") == 0)
    return _("No Organizations Yet");
  if (g_strcmp0 (kind, "lead") == 0)
    return _("No Leads Yet");
  if (g_strcmp0 (kind, "deal") == 0)
    return _("No Deals Yet");
  if (g_strcmp0 (kind, "activity") == 0)
    return _("No Activities Yet");
  return _("Nothing Here Yet");
}

static void
kontor_record_list_page_constructed (GObject *object)
{
  KontorRecordListPage *self = KONTOR_RECORD_LIST_PAGE (object);
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  ColumnInfo *title;

  G_OBJECT_CLASS (kontor_record_list_page_parent_class)->constructed (object);

  g_return_if_fail (self->store != NULL && self->kind != NULL);

  self->kind_obj = kontor_schema_get_kind (kontor_store_get_schema (self->store), self->kind);
  g_return_if_fail (self->kind_obj != NULL);

  build_columns (self);
  title = g_ptr_array_index (self->columns, 0);
  for (guint i = 0; title->sort_keys[i]; i++)
    g_ptr_array_add (self->sorts, g_strdup (title->sort_keys[i]));

  /* before the list: our handler must run before the list refreshes */
  self->store_changed_id = g_signal_connect (self->store, "changed",
                                             G_CALLBACK (on_store_changed), self);

  query = build_query (self, &error);
  self->list = kontor_record_list_new (self->store, query);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (on_items_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  self->setting_sort = TRUE;
  gtk_column_view_sort_by_column (self->column_view, title->column, GTK_SORT_ASCENDING);
  self->setting_sort = FALSE;
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_view_sorter_changed), self);

  adw_status_page_set_title (self->empty_page, empty_title_for_kind (self->kind));
  adw_status_page_set_description (self->empty_page,
                                   _("Create the first one, or import a file."));
  g_object_set (self->search_entry, "placeholder-text", _("Search by name, company, e-mail…"), NULL);

  build_filter_editor (self);
  update_state (self);

  /* the viewport's width: how many columns fit beside the name */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->column_view)),
                           "notify::page-size", G_CALLBACK (on_view_width_changed), self, 0);
}

static void
kontor_record_list_page_dispose (GObject *object)
{
  KontorRecordListPage *self = KONTOR_RECORD_LIST_PAGE (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_handle_id (&self->fit_idle, g_source_remove);
  if (self->column_view != NULL && gtk_column_view_get_sorter (self->column_view) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_RECORD_LIST_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);

  G_OBJECT_CLASS (kontor_record_list_page_parent_class)->dispose (object);
}

static void
kontor_record_list_page_finalize (GObject *object)
{
  KontorRecordListPage *self = KONTOR_RECORD_LIST_PAGE (object);

  for (guint i = 0; i < self->subtitles->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->subtitles, i), forget_subtitle, self->subtitles);
  g_clear_pointer (&self->subtitles, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->filter_fields, g_ptr_array_unref);
  g_clear_pointer (&self->conditions, g_ptr_array_unref);
  g_clear_pointer (&self->sorts, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->segment, g_free);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (kontor_record_list_page_parent_class)->finalize (object);
}

static void
kontor_record_list_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  KontorRecordListPage *self = KONTOR_RECORD_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_list_page_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  KontorRecordListPage *self = KONTOR_RECORD_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_record_list_page_class_init (KontorRecordListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);


  object_class->constructed = kontor_record_list_page_constructed;
  object_class->dispose = kontor_record_list_page_dispose;
  object_class->finalize = kontor_record_list_page_finalize;
  object_class->get_property = kontor_record_list_page_get_property;
  object_class->set_property = kontor_record_list_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RECORD_SELECTED] =
    g_signal_new ("record-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KONTOR_TYPE_RECORD);
  signals[RECORD_ACTIVATED] =
    g_signal_new ("record-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KONTOR_TYPE_RECORD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-record-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, conditions_list);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, op_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, segment_name_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, segments_list);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KontorRecordListPage, value_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_add_condition);
  gtk_widget_class_bind_template_callback (widget_class, on_column_view_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_save_segment);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_segment_row_activated);
}

static void
kontor_record_list_page_init (KontorRecordListPage *self)
{
  self->n_extra_shown = G_MAXUINT;   /* all, until the first allocation */
  self->subtitles = g_ptr_array_new ();
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_info_free);
  self->filter_fields = g_ptr_array_new ();
  self->conditions = g_ptr_array_new_with_free_func (g_free);
  self->sorts = g_ptr_array_new_with_free_func (g_free);
  self->probe_a = kontor_record_new ("a", "probe", NULL);
  self->probe_b = kontor_record_new ("b", "probe", NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kontor_record_list_page_new (KontorStore *store,
                             const char  *kind)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  return g_object_new (KONTOR_TYPE_RECORD_LIST_PAGE, "store", store, "kind", kind, NULL);
}

const char *
kontor_record_list_page_get_kind (KontorRecordListPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), NULL);
  return self->kind;
}

GListModel *
kontor_record_list_page_get_model (KontorRecordListPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), NULL);
  return G_LIST_MODEL (self->list);
}

GtkWidget *
kontor_record_list_page_get_search_entry (KontorRecordListPage *self)
{
  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

void
kontor_record_list_page_focus_search (KontorRecordListPage *self)
{
  g_return_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
kontor_record_list_page_focus_list (KontorRecordListPage *self)
{
  g_return_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    return;
  if (gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
kontor_record_list_page_sort_by (KontorRecordListPage *self,
                                 const char           *field,
                                 gboolean              descending)
{
  g_return_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self));
  g_return_if_fail (field != NULL);

  self->setting_sort = TRUE;
  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  for (guint i = 0; i < self->columns->len; i++)
    {
      ColumnInfo *info = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (info->sort_keys[0], field) == 0)
        gtk_column_view_sort_by_column (self->column_view, info->column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
  self->setting_sort = FALSE;

  g_ptr_array_set_size (self->sorts, 0);
  g_ptr_array_add (self->sorts, g_strdup_printf ("%s%s", descending ? "-" : "", field));
  refresh (self);
}

gboolean
kontor_record_list_page_add_condition (KontorRecordListPage  *self,
                                       const char            *condition,
                                       GError               **error)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GPtrArray) one = NULL;

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), FALSE);
  g_return_val_if_fail (condition != NULL, FALSE);

  /* check syntax, field and value before taking it */
  query = kontor_query_new (self->kind);
  if (!kontor_query_parse_condition (query, condition, error))
    return FALSE;
  one = kontor_store_query (self->store, query, 0, 1, error);
  if (one == NULL)
    return FALSE;

  g_ptr_array_add (self->conditions, g_strdup (condition));
  g_clear_pointer (&self->segment, g_free);
  rebuild_filter_rows (self);
  refresh (self);

  return TRUE;
}

void
kontor_record_list_page_clear_conditions (KontorRecordListPage *self)
{
  g_return_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self));

  g_ptr_array_set_size (self->conditions, 0);
  g_clear_pointer (&self->segment, g_free);
  rebuild_filter_rows (self);
  refresh (self);
}

GStrv
kontor_record_list_page_get_conditions (KontorRecordListPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), NULL);

  for (guint i = 0; i < self->conditions->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->conditions, i));

  return g_strv_builder_end (builder);
}

gboolean
kontor_record_list_page_save_segment (KontorRecordListPage  *self,
                                      const char            *name,
                                      GError               **error)
{
  g_autoptr(JsonArray) segments = NULL;
  g_autofree char *trimmed = NULL;
  JsonObject *obj;
  JsonArray *conds;
  int existing;

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), FALSE);

  trimmed = g_strstrip (g_strdup (name ? name : ""));
  if (trimmed[0] == '\0')
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("A segment needs a name."));
      return FALSE;
    }
  if (self->conditions->len == 0)
    {
      g_set_error (error, KONTOR_MODEL_ERROR, KONTOR_MODEL_ERROR_INVALID,
                   _("Add a condition before saving a segment."));
      return FALSE;
    }

  segments = load_segments (self);
  existing = find_segment (segments, trimmed);
  if (existing >= 0)
    json_array_remove_element (segments, existing);

  obj = json_object_new ();
  conds = json_array_new ();
  json_object_set_string_member (obj, "name", trimmed);
  for (guint i = 0; i < self->conditions->len; i++)
    json_array_add_string_element (conds, g_ptr_array_index (self->conditions, i));
  json_object_set_array_member (obj, "conditions", conds);
  json_array_add_object_element (segments, obj);

  if (!store_segments (self, segments, error))
    return FALSE;

  g_free (self->segment);
  self->segment = g_steal_pointer (&trimmed);
  rebuild_filter_rows (self);
  update_state (self);

  return TRUE;
}

gboolean
kontor_record_list_page_apply_segment (KontorRecordListPage *self,
                                       const char           *name)
{
  g_autoptr(JsonArray) segments = NULL;
  JsonObject *obj;
  JsonArray *conds;
  int index;

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), FALSE);

  segments = load_segments (self);
  index = find_segment (segments, name);
  if (index < 0)
    return FALSE;

  obj = json_array_get_object_element (segments, index);
  conds = json_object_get_array_member (obj, "conditions");
  g_ptr_array_set_size (self->conditions, 0);
  for (guint i = 0; conds && i < json_array_get_length (conds); i++)
    {
      const char *text = json_array_get_string_element (conds, i);

      if (text != NULL)
        g_ptr_array_add (self->conditions, g_strdup (text));
    }

  g_free (self->segment);
  self->segment = g_strdup (name);
  rebuild_filter_rows (self);
  refresh (self);

  return TRUE;
}

gboolean
kontor_record_list_page_delete_segment (KontorRecordListPage *self,
                                        const char           *name)
{
  g_autoptr(JsonArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  int index;

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), FALSE);

  segments = load_segments (self);
  index = find_segment (segments, name);
  if (index < 0)
    return FALSE;

  json_array_remove_element (segments, index);
  if (!store_segments (self, segments, &error))
    {
      show_filter_error (self, error->message);
      return FALSE;
    }

  if (g_strcmp0 (self->segment, name) == 0)
    g_clear_pointer (&self->segment, g_free);
  rebuild_filter_rows (self);
  update_state (self);

  return TRUE;
}

GStrv
kontor_record_list_page_list_segments (KontorRecordListPage *self)
{
  g_autoptr(JsonArray) segments = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (KONTOR_IS_RECORD_LIST_PAGE (self), NULL);

  segments = load_segments (self);
  for (guint i = 0; i < json_array_get_length (segments); i++)
    {
      JsonObject *obj = json_array_get_object_element (segments, i);
      const char *name = obj ? json_object_get_string_member_with_default (obj, "name", NULL) : NULL;

      if (name != NULL)
        g_strv_builder_add (builder, name);
    }

  return g_strv_builder_end (builder);
}
