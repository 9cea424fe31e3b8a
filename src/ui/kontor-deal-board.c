/* kontor-deal-board.c: the deals of one pipeline, a column per stage
 *
 * Each column lists its deals through a KontorRecordList (read on demand)
 * in a GtkListView, so a stage with thousands of deals costs only the
 * cards on screen. Cards are drag sources carrying the deal id; columns
 * are drop targets. A card's menu offers the same moves by keyboard.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-deal-board.h"
#include "kontor-record-list.h"
#include "kontor-ui-format.h"

typedef struct
{
  char             *stage_id;
  char             *name;
  char             *outcome;
  KontorRecordList *list;
  GtkWidget        *box;
  GtkWidget        *count_label;
  GtkWidget        *sum_label;
} Column;

struct _KontorDealBoard
{
  AdwBin        parent_instance;

  GtkBox       *columns_box;
  GtkDropDown  *pipeline_dropdown;
  GtkScrolledWindow *scroller;
  GtkStack     *stack;
  GtkLabel     *summary_label;

  KontorStore  *store;
  gulong        changed_id;
  guint         idle_id;
  guint         pending;      /* Pending flags */
  gboolean      updating_dropdown;

  GPtrArray    *pipeline_ids; /* char* */
  char         *pipeline_id;
  char         *today;        /* ISO date or NULL for the real today */
  GPtrArray    *columns;      /* Column* */
  GHashTable   *titles;       /* id → title cache for organizations */
};

enum {
  PENDING_TOTALS  = 1 << 0,
  PENDING_REBIND  = 1 << 1,
  PENDING_RELOAD  = 1 << 2,
};

G_DEFINE_FINAL_TYPE (KontorDealBoard, kontor_deal_board, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PIPELINE_ID,
  PROP_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
column_free (Column *column)
{
  g_free (column->stage_id);
  g_free (column->name);
  g_free (column->outcome);
  g_clear_object (&column->list);
  g_free (column);
}

static Column *
find_column (KontorDealBoard *self,
             const char      *stage_id)
{
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);

      if (g_strcmp0 (column->stage_id, stage_id) == 0)
        return column;
    }
  return NULL;
}

static const char *
title_of (KontorDealBoard *self,
          const char      *id)
{
  const char *title;

  if (id == NULL)
    return NULL;
  if (g_hash_table_lookup_extended (self->titles, id, NULL, (gpointer *) &title))
    return title;

  {
    g_autoptr(KontorRecord) record = kontor_store_get (self->store, id, NULL);
    char *t = record != NULL ? g_strdup (kontor_record_get_title (record)) : NULL;

    g_hash_table_insert (self->titles, g_strdup (id), t);
    return t;
  }
}

/* The money value of a record's field as (minor, currency), FALSE if unset. */
static gboolean
get_money (KontorRecord *record,
           const char   *field,
           gint64       *minor,
           const char  **currency)
{
  JsonNode *node = kontor_record_get_value (record, field);
  JsonObject *obj;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  obj = json_node_get_object (node);
  *minor = json_object_get_int_member_with_default (obj, "minor", 0);
  *currency = json_object_get_string_member_with_default (obj, "currency", "");
  return TRUE;
}

/* "1.000,00 € · $500.00": the sums per currency, in a stable order. */
static char *
format_sums (GHashTable *sums)
{
  g_autoptr(GList) keys = g_list_sort (g_hash_table_get_keys (sums), (GCompareFunc) g_strcmp0);
  g_autoptr(GString) text = g_string_new (NULL);

  for (GList *l = keys; l != NULL; l = l->next)
    {
      gint64 *minor = g_hash_table_lookup (sums, l->data);
      g_autofree char *amount = kontor_ui_format_money (*minor, l->data);

      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, amount);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_sum (GHashTable *sums,
         const char *currency,
         gint64      minor)
{
  gint64 *sum = g_hash_table_lookup (sums, currency);

  if (sum == NULL)
    {
      sum = g_new0 (gint64, 1);
      g_hash_table_insert (sums, g_strdup (currency), sum);
    }
  *sum += minor;
}

static void
update_totals (KontorDealBoard *self)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GPtrArray) deals = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) open_sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_hash_table_unref);
  guint n_open = 0;

  if (self->pipeline_id == NULL || self->columns == NULL)
    return;

  query = kontor_query_new ("deal");
  kontor_query_add_condition (query, "pipeline", KONTOR_QUERY_EQ,
                              (const char *[]) { self->pipeline_id, NULL });
  deals = kontor_store_query (self->store, query, 0, 0, &error);
  if (deals == NULL)
    {
      g_warning ("Cannot read deals: %s", error->message);
      return;
    }

  for (guint i = 0; i < deals->len; i++)
    {
      KontorRecord *deal = g_ptr_array_index (deals, i);
      Column *column = find_column (self, kontor_record_get_string (deal, "stage"));
      GHashTable *column_sums;
      gint64 minor;
      const char *currency;

      if (column == NULL)
        continue;
      g_hash_table_insert (counts, column->stage_id,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts,
                                                                                    column->stage_id)) + 1));
      column_sums = g_hash_table_lookup (sums, column->stage_id);
      if (column_sums == NULL)
        {
          column_sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_hash_table_insert (sums, column->stage_id, column_sums);
        }
      if (get_money (deal, "value", &minor, &currency))
        {
          add_sum (column_sums, currency, minor);
          if (column->outcome == NULL || g_str_equal (column->outcome, "open"))
            add_sum (open_sums, currency, minor);
        }
      if (column->outcome == NULL || g_str_equal (column->outcome, "open"))
        n_open++;
    }

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, column->stage_id));
      GHashTable *column_sums = g_hash_table_lookup (sums, column->stage_id);
      g_autofree char *count = g_strdup_printf (ngettext ("%u deal", "%u deals", n), n);
      g_autofree char *sum = column_sums != NULL ? format_sums (column_sums) : g_strdup ("—");

      gtk_label_set_label (GTK_LABEL (column->count_label), count);
      gtk_label_set_label (GTK_LABEL (column->sum_label), sum);
    }

  {
    g_autofree char *open = format_sums (open_sums);
    g_autofree char *summary = NULL;

    if (n_open == 0)
      summary = g_strdup (_("No open deals"));
    else
      /* Translators: %u is a number of deals, %s their total value */
      summary = g_strdup_printf (ngettext ("%u open deal, %s", "%u open deals, %s", n_open),
                                 n_open, open);
    gtk_label_set_label (self->summary_label, summary);
  }
}

/* ---------------------------------------------------------------------- */
/* Cards                                                                  */

/* The next open activity of a deal: the earliest open task or call by due
 * date or meeting by start. */
static KontorRecord *
next_activity (KontorDealBoard *self,
               const char      *deal_id,
               const char     **when)
{
  const char *fields[] = { "due", "start" };
  KontorRecord *best = NULL;
  const char *best_when = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(KontorQuery) query = kontor_query_new ("activity");
      g_autoptr(GPtrArray) found = NULL;

      kontor_query_add_condition (query, "deal", KONTOR_QUERY_EQ,
                                  (const char *[]) { deal_id, NULL });
      kontor_query_add_condition (query, "done", KONTOR_QUERY_NE,
                                  (const char *[]) { "true", NULL });
      kontor_query_add_condition (query, "type", KONTOR_QUERY_NE,
                                  (const char *[]) { "note", NULL });
      kontor_query_add_condition (query, fields[i], KONTOR_QUERY_NOT_EMPTY, NULL);
      kontor_query_add_sort (query, fields[i], FALSE);
      found = kontor_store_query (self->store, query, 0, 1, NULL);
      if (found != NULL && found->len > 0)
        {
          KontorRecord *record = g_ptr_array_index (found, 0);
          const char *w = kontor_record_get_string (record, fields[i]);

          if (best == NULL || g_strcmp0 (w, best_when) < 0)
            {
              g_clear_object (&best);
              best = g_object_ref (record);
              best_when = w;
            }
        }
    }

  *when = best_when;
  return best;
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *card)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, paintable, 16, 16);
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *card)
{
  const char *id = g_object_get_data (G_OBJECT (card), "kontor-deal-id");

  if (id == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, id);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KontorDealBoard          *self)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *org = gtk_label_new (NULL);
  GtkWidget *next = gtk_label_new (NULL);
  GtkWidget *menu = gtk_menu_button_new ();
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "kontor-deal-card");
  gtk_widget_set_margin_bottom (card, 8);
  gtk_widget_set_margin_start (card, 8);
  gtk_widget_set_margin_end (card, 8);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_margin_start (text, 12);
  gtk_widget_set_margin_top (text, 10);
  gtk_widget_set_margin_bottom (text, 10);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");

  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_widget_add_css_class (value, "numeric");

  gtk_label_set_xalign (GTK_LABEL (org), 0);
  gtk_label_set_ellipsize (GTK_LABEL (org), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (org, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (next), 0);
  gtk_label_set_wrap (GTK_LABEL (next), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (next), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (next, "caption");
  gtk_widget_add_css_class (next, "dim-label");

  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), value);
  gtk_box_append (GTK_BOX (text), org);
  gtk_box_append (GTK_BOX (text), next);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu, _("Deal actions"));
  gtk_widget_set_valign (menu, GTK_ALIGN_START);
  gtk_widget_set_margin_top (menu, 6);
  gtk_widget_set_margin_end (menu, 6);
  gtk_widget_add_css_class (menu, "flat");

  gtk_box_append (GTK_BOX (card), text);
  gtk_box_append (GTK_BOX (card), menu);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare), card);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));

  g_object_set_data (G_OBJECT (card), "title", title);
  g_object_set_data (G_OBJECT (card), "value", value);
  g_object_set_data (G_OBJECT (card), "org", org);
  g_object_set_data (G_OBJECT (card), "next", next);
  g_object_set_data (G_OBJECT (card), "menu", menu);
  gtk_list_item_set_child (item, card);
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KontorDealBoard          *self)
{
  KontorRecord *deal = gtk_list_item_get_item (item);
  GtkWidget *card = gtk_list_item_get_child (item);
  const char *id = kontor_record_get_id (deal);
  const char *org_name = title_of (self, kontor_record_get_string (deal, "organization"));
  g_autoptr(KontorRecord) activity = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) open = NULL;
  g_autoptr(GMenuItem) next_item = NULL;
  g_autoptr(GMenuItem) prev_item = NULL;
  g_autofree char *value_text = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *a11y = NULL;
  const char *when = NULL;
  const char *currency;
  gint64 minor;

  g_object_set_data_full (G_OBJECT (card), "kontor-deal-id", g_strdup (id), g_free);

  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "title"),
                       kontor_record_get_title (deal));
  if (get_money (deal, "value", &minor, &currency))
    value_text = kontor_ui_format_money (minor, currency);
  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "value"), value_text ? value_text : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (card), "value"), value_text != NULL);
  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "org"), org_name ? org_name : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (card), "org"), org_name != NULL);

  activity = next_activity (self, id, &when);
  if (activity != NULL)
    {
      GDate today;
      g_autofree char *when_text = NULL;

      kontor_ui_parse_today (self->today, &today);
      when_text = kontor_ui_format_when (when, &today, TRUE);
      /* Translators: the next open activity of a deal: its subject and when */
      next_text = g_strdup_printf (_("Next: %s (%s)"), kontor_record_get_title (activity), when_text);
    }
  else
    next_text = g_strdup (_("No open activity"));
  gtk_label_set_label (g_object_get_data (G_OBJECT (card), "next"), next_text);

  open = g_menu_item_new (_("_Open"), NULL);
  g_menu_item_set_action_and_target (open, "board.open", "s", id);
  g_menu_append_item (menu, open);
  next_item = g_menu_item_new (_("Move to _Next Stage"), NULL);
  g_menu_item_set_action_and_target (next_item, "board.move-next", "s", id);
  g_menu_item_set_attribute (next_item, "accel", "s", "<Alt>Right");
  g_menu_append_item (menu, next_item);
  prev_item = g_menu_item_new (_("Move to _Previous Stage"), NULL);
  g_menu_item_set_action_and_target (prev_item, "board.move-previous", "s", id);
  g_menu_item_set_attribute (prev_item, "accel", "s", "<Alt>Left");
  g_menu_append_item (menu, prev_item);
  gtk_menu_button_set_menu_model (g_object_get_data (G_OBJECT (card), "menu"), G_MENU_MODEL (menu));

  /* Translators: accessible description of a deal card's menu */
  a11y = g_strdup_printf (_("Actions for “%s”"), kontor_record_get_title (deal));
  gtk_accessible_update_property (GTK_ACCESSIBLE (g_object_get_data (G_OBJECT (card), "menu")),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KontorDealBoard          *self)
{
  GtkWidget *card = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (card), "kontor-deal-id", NULL);
}

static void
on_list_activate (GtkListView     *view,
                  guint            position,
                  KontorDealBoard *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(KontorRecord) deal = g_list_model_get_item (model, position);

  if (deal != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, "deal", kontor_record_get_id (deal));
}

/* ---------------------------------------------------------------------- */
/* Moving deals                                                           */

typedef struct
{
  KontorDealBoard *self;
  char            *deal_id;
  char            *stage_id;
} UndoMove;

static void
undo_move_free (gpointer  data,
                GClosure *closure)
{
  UndoMove *undo = data;

  g_object_unref (undo->self);
  g_free (undo->deal_id);
  g_free (undo->stage_id);
  g_free (undo);
}

static gboolean move_deal (KontorDealBoard *self, const char *deal_id, const char *stage_id,
                           gboolean offer_undo, GError **error);

static void
on_undo_move (AdwToast *toast,
              UndoMove *undo)
{
  g_autoptr(GError) error = NULL;

  if (!move_deal (undo->self, undo->deal_id, undo->stage_id, FALSE, &error))
    g_warning ("Cannot undo the move: %s", error->message);
}

static gboolean
move_deal (KontorDealBoard  *self,
           const char       *deal_id,
           const char       *stage_id,
           gboolean          offer_undo,
           GError          **error)
{
  g_autoptr(KontorRecord) deal = kontor_store_get (self->store, deal_id, error);
  g_autoptr(KontorRecord) stage = NULL;
  g_autoptr(KontorRecord) updated = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autofree char *old_stage = NULL;
  const char *outcome;

  if (deal == NULL)
    return FALSE;
  if (g_strcmp0 (kontor_record_get_string (deal, "stage"), stage_id) == 0)
    return TRUE;
  stage = kontor_store_get (self->store, stage_id, error);
  if (stage == NULL)
    return FALSE;
  if (g_strcmp0 (kontor_record_get_string (stage, "pipeline"),
                 kontor_record_get_string (deal, "pipeline")) != 0)
    {
      g_set_error (error, KONTOR_STORE_ERROR, KONTOR_STORE_ERROR_FAILED,
                   _("The stage belongs to another pipeline"));
      return FALSE;
    }

  old_stage = g_strdup (kontor_record_get_string (deal, "stage"));
  json_object_set_string_member (changes, "stage", stage_id);
  /* a won or lost stage closes the deal; leaving one opens it again */
  outcome = kontor_record_get_string (stage, "outcome");
  if (outcome != NULL)
    json_object_set_string_member (changes, "status", outcome);

  updated = kontor_store_update (self->store, deal_id, changes, NULL, error);
  if (updated == NULL)
    return FALSE;

  if (offer_undo)
    {
      g_autofree char *title = g_strdup_printf (_("Moved “%s” to %s"),
                                                kontor_record_get_title (deal),
                                                kontor_record_get_title (stage));
      AdwToast *toast = adw_toast_new (title);
      UndoMove *undo = g_new0 (UndoMove, 1);

      undo->self = g_object_ref (self);
      undo->deal_id = g_strdup (deal_id);
      undo->stage_id = g_steal_pointer (&old_stage);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_move), undo,
                             undo_move_free, 0);
      kontor_ui_add_toast (GTK_WIDGET (self), toast);
    }

  return TRUE;
}

gboolean
kontor_deal_board_move_deal (KontorDealBoard  *self,
                             const char       *deal_id,
                             const char       *stage_id,
                             GError          **error)
{
  g_return_val_if_fail (KONTOR_IS_DEAL_BOARD (self), FALSE);
  g_return_val_if_fail (deal_id != NULL && stage_id != NULL, FALSE);

  return move_deal (self, deal_id, stage_id, TRUE, error);
}

static void
show_error (KontorDealBoard *self,
            const GError    *error)
{
  g_autofree char *text = g_strdup_printf (_("Cannot move the deal: %s"), error->message);

  if (!kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (text)))
    g_warning ("%s", text);
}

static gboolean
on_drop (GtkDropTarget   *target,
         const GValue    *value,
         double           x,
         double           y,
         KontorDealBoard *self)
{
  GtkWidget *column = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  const char *stage_id = g_object_get_data (G_OBJECT (column), "kontor-stage-id");
  g_autoptr(GError) error = NULL;

  if (!G_VALUE_HOLDS_STRING (value) || g_value_get_string (value) == NULL || stage_id == NULL)
    return FALSE;

  if (!move_deal (self, g_value_get_string (value), stage_id, TRUE, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
move_by (KontorDealBoard *self,
         const char      *deal_id,
         int              delta)
{
  g_autoptr(KontorRecord) deal = kontor_store_get (self->store, deal_id, NULL);
  g_autoptr(GError) error = NULL;

  if (deal == NULL || self->columns == NULL)
    return;

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = g_ptr_array_index (self->columns, i);
      int target = (int) i + delta;

      if (g_strcmp0 (column->stage_id, kontor_record_get_string (deal, "stage")) != 0)
        continue;
      if (target < 0 || target >= (int) self->columns->len)
        {
          gtk_widget_error_bell (GTK_WIDGET (self));
          return;
        }
      column = g_ptr_array_index (self->columns, target);
      if (!move_deal (self, deal_id, column->stage_id, TRUE, &error))
        show_error (self, error);
      return;
    }
}

static void
move_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  move_by (KONTOR_DEAL_BOARD (widget), g_variant_get_string (param, NULL), 1);
}

static void
move_previous_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  move_by (KONTOR_DEAL_BOARD (widget), g_variant_get_string (param, NULL), -1);
}

/* The deal of the focused card (the list row holding it, the card, or a
 * button on it). */
static const char *
focused_deal (KontorDealBoard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);
      const char *id = g_object_get_data (G_OBJECT (w), "kontor-deal-id");

      if (id == NULL && child != NULL)
        id = g_object_get_data (G_OBJECT (child), "kontor-deal-id");
      if (id != NULL)
        return id;
    }
  return NULL;
}

static gboolean
move_focused (GtkWidget *widget,
              GVariant  *args,
              gpointer   data)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (widget);
  g_autofree char *id = g_strdup (focused_deal (self));

  if (id == NULL)
    return FALSE;
  move_by (self, id, g_variant_get_int32 (args));
  return TRUE;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  g_signal_emit (widget, signals[OPEN_RECORD], 0, "deal", g_variant_get_string (param, NULL));
}

/* ---------------------------------------------------------------------- */
/* Loading                                                                */

static GtkWidget *
build_column (KontorDealBoard *self,
              Column          *column)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (column->name);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view;
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(KontorQuery) query = kontor_query_new ("deal");
  GtkDropTarget *target;

  gtk_widget_set_size_request (box, 272, -1);
  gtk_widget_add_css_class (box, "kontor-board-column");
  g_object_set_data_full (G_OBJECT (box), "kontor-stage-id", g_strdup (column->stage_id), g_free);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (name, "heading");
  column->count_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (column->count_label, "dim-label");
  gtk_widget_add_css_class (column->count_label, "numeric");
  gtk_box_append (GTK_BOX (name_row), name);
  gtk_box_append (GTK_BOX (name_row), column->count_label);

  column->sum_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (column->sum_label), 0);
  gtk_label_set_wrap (GTK_LABEL (column->sum_label), TRUE);
  gtk_widget_add_css_class (column->sum_label, "numeric");
  gtk_widget_add_css_class (column->sum_label, "dim-label");

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 12);
  gtk_box_append (GTK_BOX (header), name_row);
  gtk_box_append (GTK_BOX (header), column->sum_label);
  gtk_box_append (GTK_BOX (box), header);

  kontor_query_add_condition (query, "pipeline", KONTOR_QUERY_EQ,
                              (const char *[]) { self->pipeline_id, NULL });
  kontor_query_add_condition (query, "stage", KONTOR_QUERY_EQ,
                              (const char *[]) { column->stage_id, NULL });
  kontor_query_add_sort (query, "close_date", FALSE);
  kontor_query_add_sort (query, "title", FALSE);
  column->list = kontor_record_list_new (self->store, query);

  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (column->list)))),
                            factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "kontor-board-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  column->name, -1);
  g_signal_connect (view, "activate", G_CALLBACK (on_list_activate), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);

  target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (target));

  column->box = box;
  return box;
}

static void
clear_columns (KontorDealBoard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_box_remove (self->columns_box, child);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
}

static void
load_columns (KontorDealBoard *self)
{
  g_autoptr(KontorQuery) query = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(GError) error = NULL;

  clear_columns (self);
  g_hash_table_remove_all (self->titles);
  self->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);

  if (self->pipeline_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_label_set_label (self->summary_label, "");
      return;
    }

  query = kontor_query_new ("stage");
  kontor_query_add_condition (query, "pipeline", KONTOR_QUERY_EQ,
                              (const char *[]) { self->pipeline_id, NULL });
  kontor_query_add_sort (query, "position", FALSE);
  kontor_query_add_sort (query, "name", FALSE);
  stages = kontor_store_query (self->store, query, 0, 0, &error);
  if (stages == NULL)
    {
      g_warning ("Cannot read stages: %s", error->message);
      return;
    }

  for (guint i = 0; i < stages->len; i++)
    {
      KontorRecord *stage = g_ptr_array_index (stages, i);
      Column *column = g_new0 (Column, 1);

      column->stage_id = g_strdup (kontor_record_get_id (stage));
      column->name = g_strdup (kontor_record_get_title (stage));
      column->outcome = g_strdup (kontor_record_get_string (stage, "outcome"));
      g_ptr_array_add (self->columns, column);
      gtk_box_append (self->columns_box, build_column (self, column));
    }

  gtk_stack_set_visible_child_name (self->stack, stages->len > 0 ? "board" : "empty");
  update_totals (self);
}

static void
load_pipelines (KontorDealBoard *self)
{
  g_autoptr(KontorQuery) query = kontor_query_new ("pipeline");
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  kontor_query_add_sort (query, "position", FALSE);
  kontor_query_add_sort (query, "name", FALSE);
  pipelines = kontor_store_query (self->store, query, 0, 0, &error);
  if (pipelines == NULL)
    {
      g_warning ("Cannot read pipelines: %s", error->message);
      pipelines = g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_ptr_array_set_size (self->pipeline_ids, 0);
  for (guint i = 0; i < pipelines->len; i++)
    {
      KontorRecord *pipeline = g_ptr_array_index (pipelines, i);

      g_ptr_array_add (self->pipeline_ids, g_strdup (kontor_record_get_id (pipeline)));
      gtk_string_list_append (names, kontor_record_get_title (pipeline));
      if (g_strcmp0 (kontor_record_get_id (pipeline), self->pipeline_id) == 0)
        selected = i;
    }

  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_clear_pointer (&self->pipeline_id, g_free);
      if (pipelines->len > 0)
        {
          selected = 0;
          self->pipeline_id = g_strdup (g_ptr_array_index (self->pipeline_ids, 0));
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIPELINE_ID]);
    }

  self->updating_dropdown = TRUE;
  gtk_drop_down_set_model (self->pipeline_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->pipeline_dropdown, selected);
  self->updating_dropdown = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->pipeline_dropdown), pipelines->len > 1);
}

void
kontor_deal_board_reload (KontorDealBoard *self)
{
  g_return_if_fail (KONTOR_IS_DEAL_BOARD (self));

  if (self->store == NULL)
    return;
  load_pipelines (self);
  load_columns (self);
}

static gboolean
on_idle_refresh (gpointer data)
{
  KontorDealBoard *self = data;
  guint pending = self->pending;

  self->idle_id = 0;
  self->pending = 0;

  if (pending & PENDING_RELOAD)
    {
      kontor_deal_board_reload (self);
      return G_SOURCE_REMOVE;
    }
  if (pending & PENDING_REBIND)
    {
      g_hash_table_remove_all (self->titles);
      for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
        {
          Column *column = g_ptr_array_index (self->columns, i);

          kontor_record_list_set_query (column->list, kontor_record_list_get_query (column->list));
        }
    }
  if (pending & PENDING_TOTALS)
    update_totals (self);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (KontorStore     *store,
                  const char      *kind,
                  KontorDealBoard *self)
{
  if (g_strcmp0 (kind, "pipeline") == 0 || g_strcmp0 (kind, "stage") == 0)
    self->pending |= PENDING_RELOAD;
  else if (g_strcmp0 (kind, "deal") == 0)
    self->pending |= PENDING_TOTALS;
  else if (g_strcmp0 (kind, "activity") == 0 || g_strcmp0 (kind, "organization") == 0)
    self->pending |= PENDING_REBIND;
  else
    return;

  if (self->idle_id == 0)
    self->idle_id = g_idle_add (on_idle_refresh, self);
}

static void
on_pipeline_selected (KontorDealBoard *self)
{
  guint selected = gtk_drop_down_get_selected (self->pipeline_dropdown);

  if (self->updating_dropdown || selected >= self->pipeline_ids->len)
    return;
  kontor_deal_board_set_pipeline (self, g_ptr_array_index (self->pipeline_ids, selected));
}

const char *
kontor_deal_board_get_pipeline (KontorDealBoard *self)
{
  g_return_val_if_fail (KONTOR_IS_DEAL_BOARD (self), NULL);

  return self->pipeline_id;
}

void
kontor_deal_board_set_pipeline (KontorDealBoard *self,
                                const char      *pipeline_id)
{
  g_return_if_fail (KONTOR_IS_DEAL_BOARD (self));

  if (g_strcmp0 (self->pipeline_id, pipeline_id) == 0)
    return;

  g_free (self->pipeline_id);
  self->pipeline_id = g_strdup (pipeline_id);
  for (guint i = 0; i < self->pipeline_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->pipeline_ids, i), pipeline_id) == 0 &&
        gtk_drop_down_get_selected (self->pipeline_dropdown) != i)
      {
        self->updating_dropdown = TRUE;
        gtk_drop_down_set_selected (self->pipeline_dropdown, i);
        self->updating_dropdown = FALSE;
      }
  if (self->store != NULL)
    load_columns (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIPELINE_ID]);
}

KontorStore *
kontor_deal_board_get_store (KontorDealBoard *self)
{
  g_return_val_if_fail (KONTOR_IS_DEAL_BOARD (self), NULL);

  return self->store;
}

GtkWidget *
kontor_deal_board_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_DEAL_BOARD, "store", store, NULL);
}

static void
kontor_deal_board_constructed (GObject *object)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (object);

  G_OBJECT_CLASS (kontor_deal_board_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      self->changed_id = g_signal_connect (self->store, "changed",
                                           G_CALLBACK (on_store_changed), self);
      kontor_deal_board_reload (self);
    }
}

static void
kontor_deal_board_dispose (GObject *object)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_DEAL_BOARD);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_deal_board_parent_class)->dispose (object);
}

static void
kontor_deal_board_finalize (GObject *object)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (object);

  g_free (self->pipeline_id);
  g_free (self->today);
  g_ptr_array_unref (self->pipeline_ids);
  g_hash_table_unref (self->titles);

  G_OBJECT_CLASS (kontor_deal_board_parent_class)->finalize (object);
}

static void
kontor_deal_board_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PIPELINE_ID:
      g_value_set_string (value, self->pipeline_id);
      break;
    case PROP_TODAY:
      g_value_set_string (value, self->today);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_deal_board_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KontorDealBoard *self = KONTOR_DEAL_BOARD (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PIPELINE_ID:
      kontor_deal_board_set_pipeline (self, g_value_get_string (value));
      break;
    case PROP_TODAY:
      if (g_strcmp0 (self->today, g_value_get_string (value)) != 0)
        {
          g_free (self->today);
          self->today = g_value_dup_string (value);
          /* the cards say "Tomorrow" relative to it */
          if (self->columns != NULL)
            on_store_changed (self->store, "activity", self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_deal_board_class_init (KontorDealBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_deal_board_constructed;
  object_class->dispose = kontor_deal_board_dispose;
  object_class->finalize = kontor_deal_board_finalize;
  object_class->get_property = kontor_deal_board_get_property;
  object_class->set_property = kontor_deal_board_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIPELINE_ID] =
    g_param_spec_string ("pipeline-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the reference day of "Today"/"Tomorrow" on cards (ISO date; NULL:
   * the real today) */
  properties[PROP_TODAY] =
    g_param_spec_string ("today", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A card was activated: the window opens the record. */
  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "board.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "board.move-next", "s", move_next_action);
  gtk_widget_class_install_action (widget_class, "board.move-previous", "s", move_previous_action);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, GDK_ALT_MASK, move_focused, "i", 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, GDK_ALT_MASK, move_focused, "i", -1);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kontor/Kontor/kontor-deal-board.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorDealBoard, columns_box);
  gtk_widget_class_bind_template_child (widget_class, KontorDealBoard, pipeline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KontorDealBoard, scroller);
  gtk_widget_class_bind_template_child (widget_class, KontorDealBoard, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorDealBoard, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, on_pipeline_selected);
  gtk_widget_class_set_css_name (widget_class, "kontor-deal-board");
}

/* The board's own look: columns as soft lanes, cards on them. */
static const char board_css[] =
  "kontor-deal-board .kontor-board-column {"
  "  background-color: alpha(currentColor, 0.05); border-radius: 12px; padding: 8px 0 0 0; }"
  "kontor-deal-board .kontor-board-column:drop(active) {"
  "  box-shadow: inset 0 0 0 2px @accent_bg_color; }"
  "kontor-deal-board listview.kontor-board-list { background: none; }"
  "kontor-deal-board listview.kontor-board-list > row,"
  "kontor-deal-board listview.kontor-board-list > row:hover,"
  "kontor-deal-board listview.kontor-board-list > row:selected { background: none; padding: 0; }"
  "kontor-deal-board listview.kontor-board-list > row:hover .kontor-deal-card {"
  "  background-image: image(alpha(currentColor, 0.03)); }";

static void
ensure_css (GtkWidget *widget)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  g_autoptr(GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "kontor-deal-board-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, board_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data (G_OBJECT (display), "kontor-deal-board-css", GINT_TO_POINTER (1));
}

static void
kontor_deal_board_init (KontorDealBoard *self)
{
  ensure_css (GTK_WIDGET (self));
  self->pipeline_ids = g_ptr_array_new_with_free_func (g_free);
  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
