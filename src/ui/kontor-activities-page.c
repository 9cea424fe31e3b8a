/* kontor-activities-page.c: tasks and appointments by when they are due
 *
 * Each view is two on-demand KontorRecordLists — appointments by start,
 * tasks and calls by due date — flattened into one GtkListView, so the
 * "All" view of a large replica reads only the rows on screen.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-activities-page.h"
#include "kontor-record-list.h"
#include "kontor-ui-format.h"

enum {
  VIEW_TODAY,
  VIEW_OVERDUE,
  VIEW_UPCOMING,
  VIEW_ALL,
  N_VIEWS
};

static const struct
{
  const char *name;
  const char *title;
  const char *icon;
  const char *empty_title;
  const char *empty_description;
} view_info[N_VIEWS] = {
  { "today", N_("Today"), "x-office-calendar-symbolic",
    N_("Nothing Today"), N_("No appointments and no tasks are due today.") },
  { "overdue", N_("Overdue"), "task-past-due-symbolic",
    N_("Nothing Overdue"), N_("Every task with a past due date is done.") },
  { "upcoming", N_("Upcoming"), "appointment-soon-symbolic",
    N_("Nothing Planned"), N_("Tasks and appointments after today appear here.") },
  { "all", N_("All"), "view-list-symbolic",
    N_("No Activities"), N_("Tasks, calls and meetings with a date appear here.") },
};

typedef struct
{
  KontorRecordList   *appointments;  /* by start */
  KontorRecordList   *tasks;         /* by due */
  GtkFlattenListModel *model;
  GtkStack           *stack;
  AdwViewStackPage   *page;
} View;

struct _KontorActivitiesPage
{
  AdwBin        parent_instance;

  AdwViewStack *stack;
  AdwViewSwitcher *switcher;

  View          views[N_VIEWS];
  KontorStore  *store;
  char         *today_text;
  GDate         today;
  GHashTable   *titles;        /* id → title of linked records */
};

G_DEFINE_FINAL_TYPE (KontorActivitiesPage, kontor_activities_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TODAY,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_RECORD,
  DONE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
add (KontorQuery   *query,
     const char    *field,
     KontorQueryOp  op,
     const char    *value)
{
  kontor_query_add_condition (query, field, op, (const char *[]) { value, NULL });
}

/* Appointments (a start) and tasks or calls (a due date) of one view. */
static void
build_queries (KontorActivitiesPage  *self,
               guint                  view,
               KontorQuery          **appointments,
               KontorQuery          **tasks)
{
  g_autofree char *t0 = kontor_ui_day_start_utc (&self->today, 0);
  g_autofree char *t1 = kontor_ui_day_start_utc (&self->today, 1);
  KontorQuery *a = kontor_query_new ("activity");
  KontorQuery *t = kontor_query_new ("activity");

  add (a, "type", KONTOR_QUERY_NE, "note");
  add (t, "type", KONTOR_QUERY_NE, "note");

  switch (view)
    {
    case VIEW_TODAY:
      add (a, "start", KONTOR_QUERY_GE, t0);
      add (a, "start", KONTOR_QUERY_LT, t1);
      add (t, "due", KONTOR_QUERY_GE, t0);
      add (t, "due", KONTOR_QUERY_LT, t1);
      break;
    case VIEW_OVERDUE:
      /* an appointment in the past is not overdue: a start that no
       * activity can have keeps that half empty */
      add (a, "start", KONTOR_QUERY_EMPTY, NULL);
      add (a, "start", KONTOR_QUERY_NOT_EMPTY, NULL);
      add (t, "due", KONTOR_QUERY_LT, t0);
      add (t, "done", KONTOR_QUERY_NE, "true");
      break;
    case VIEW_UPCOMING:
      add (a, "start", KONTOR_QUERY_GE, t1);
      add (a, "done", KONTOR_QUERY_NE, "true");
      add (t, "due", KONTOR_QUERY_GE, t1);
      add (t, "done", KONTOR_QUERY_NE, "true");
      break;
    case VIEW_ALL:
    default:
      add (a, "start", KONTOR_QUERY_NOT_EMPTY, NULL);
      add (t, "due", KONTOR_QUERY_NOT_EMPTY, NULL);
      break;
    }

  /* a start without a due date: appointments; tasks have a due date */
  add (a, "due", KONTOR_QUERY_EMPTY, NULL);
  kontor_query_add_sort (a, "start", view == VIEW_ALL);
  kontor_query_add_sort (t, "due", view == VIEW_ALL);

  *appointments = a;
  *tasks = t;
}

static const char *
title_of (KontorActivitiesPage *self,
          const char           *id)
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

static const char *
type_label (const char *type)
{
  if (g_strcmp0 (type, "task") == 0)
    return _("Task");
  if (g_strcmp0 (type, "call") == 0)
    return _("Call");
  if (g_strcmp0 (type, "meeting") == 0)
    return _("Meeting");
  return _("Activity");
}

static const char *
type_icon (const char *type)
{
  if (g_strcmp0 (type, "call") == 0)
    return "call-start-symbolic";
  if (g_strcmp0 (type, "meeting") == 0)
    return "x-office-calendar-symbolic";
  return "task-due-symbolic";
}

static void
on_check_toggled (GtkCheckButton       *check,
                  KontorActivitiesPage *self)
{
  /* the commit may rebind the row: keep a copy */
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (check), "kontor-id"));
  gboolean done = gtk_check_button_get_active (check);
  g_autoptr(GError) error = NULL;

  if (id == NULL || g_object_get_data (G_OBJECT (check), "binding") != NULL)
    return;

  if (!kontor_ui_set_activity_done (GTK_WIDGET (self), self->store, id, done, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot save: %s"), error->message);

      if (!kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (text)))
        g_warning ("%s", text);
      return;
    }
  g_signal_emit (self, signals[DONE_CHANGED], 0, id, done);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KontorActivitiesPage     *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *subject = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (icon, "dim-label");

  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (subject), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subject), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (text), subject);
  gtk_box_append (GTK_BOX (text), detail);

  gtk_box_append (GTK_BOX (row), check);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), text);

  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
  g_object_set_data (G_OBJECT (row), "check", check);
  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "subject", subject);
  g_object_set_data (G_OBJECT (row), "detail", detail);
  gtk_list_item_set_child (item, row);
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KontorActivitiesPage     *self)
{
  KontorRecord *activity = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *check = g_object_get_data (G_OBJECT (row), "check");
  GtkWidget *subject = g_object_get_data (G_OBJECT (row), "subject");
  const char *type = kontor_record_get_string (activity, "type");
  const char *when_iso = kontor_record_get_string (activity, "due");
  const char *links[] = { "deal", "contact", "organization", "lead" };
  const char *about = NULL;
  JsonNode *done_node = kontor_record_get_value (activity, "done");
  gboolean done = done_node != NULL && JSON_NODE_HOLDS_VALUE (done_node) &&
                  json_node_get_boolean (done_node);
  g_autofree char *when = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *label = NULL;

  if (when_iso == NULL)
    when_iso = kontor_record_get_string (activity, "start");
  when = kontor_ui_format_when (when_iso, &self->today, TRUE);
  for (guint i = 0; about == NULL && i < G_N_ELEMENTS (links); i++)
    about = title_of (self, kontor_record_get_string (activity, links[i]));

  if (about != NULL)
    /* Translators: kind of activity · when · what it is about */
    detail = g_strdup_printf (_("%s · %s · %s"), type_label (type), when, about);
  else
    /* Translators: kind of activity · when */
    detail = g_strdup_printf (_("%s · %s"), type_label (type), when);

  g_object_set_data_full (G_OBJECT (row), "kontor-id", g_strdup (kontor_record_get_id (activity)),
                          g_free);
  g_object_set_data_full (G_OBJECT (check), "kontor-id",
                          g_strdup (kontor_record_get_id (activity)), g_free);
  g_object_set_data (G_OBJECT (check), "binding", GINT_TO_POINTER (1));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), done);
  g_object_set_data (G_OBJECT (check), "binding", NULL);

  label = g_strdup_printf (_("Mark “%s” as done"), kontor_record_get_title (activity));
  gtk_widget_set_tooltip_text (check, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  gtk_image_set_from_icon_name (g_object_get_data (G_OBJECT (row), "icon"), type_icon (type));
  gtk_label_set_label (GTK_LABEL (subject), kontor_record_get_title (activity));
  if (done)
    gtk_widget_add_css_class (subject, "dim-label");
  else
    gtk_widget_remove_css_class (subject, "dim-label");
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "detail"), detail);
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                KontorActivitiesPage     *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  g_object_set_data (G_OBJECT (row), "kontor-id", NULL);
  g_object_set_data (g_object_get_data (G_OBJECT (row), "check"), "kontor-id", NULL);
}

static void
on_activate (GtkListView          *view,
             guint                 position,
             KontorActivitiesPage *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(KontorRecord) activity = g_list_model_get_item (model, position);

  if (activity != NULL)
    g_signal_emit (self, signals[OPEN_RECORD], 0, "activity", kontor_record_get_id (activity));
}

static void
update_view_state (View  *view,
                   guint  index)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (view->model));

  gtk_stack_set_visible_child_name (view->stack, n > 0 ? "list" : "empty");
  if (index == VIEW_OVERDUE)
    {
      adw_view_stack_page_set_badge_number (view->page, n);
      adw_view_stack_page_set_needs_attention (view->page, n > 0);
    }
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  KontorActivitiesPage *self = data;

  /* a commit also changes what linked records are called */
  g_hash_table_remove_all (self->titles);
  for (guint i = 0; i < N_VIEWS; i++)
    if (G_LIST_MODEL (self->views[i].model) == model)
      update_view_state (&self->views[i], i);
}

static void
set_queries (KontorActivitiesPage *self)
{
  kontor_ui_parse_today (self->today_text, &self->today);

  for (guint i = 0; i < N_VIEWS; i++)
    {
      g_autoptr(KontorQuery) a = NULL;
      g_autoptr(KontorQuery) t = NULL;

      build_queries (self, i, &a, &t);
      if (self->views[i].tasks == NULL)
        {
          GListStore *parts = g_list_store_new (G_TYPE_LIST_MODEL);

          self->views[i].appointments = kontor_record_list_new (self->store, a);
          self->views[i].tasks = kontor_record_list_new (self->store, t);
          g_list_store_append (parts, self->views[i].appointments);
          g_list_store_append (parts, self->views[i].tasks);
          self->views[i].model = gtk_flatten_list_model_new (G_LIST_MODEL (parts));
          g_signal_connect (self->views[i].model, "items-changed",
                            G_CALLBACK (on_items_changed), self);
        }
      else
        {
          kontor_record_list_set_query (self->views[i].appointments, a);
          kontor_record_list_set_query (self->views[i].tasks, t);
        }
    }
}

static void
build_views (KontorActivitiesPage *self)
{
  for (guint i = 0; i < N_VIEWS; i++)
    {
      View *view = &self->views[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkWidget *stack = gtk_stack_new ();
      GtkWidget *scroller = gtk_scrolled_window_new ();
      GtkWidget *clamp = adw_clamp_new ();
      GtkWidget *list;
      GtkWidget *empty = adw_status_page_new ();
      g_autofree char *name = g_strdup_printf ("%s-list", view_info[i].name);

      g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
      g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
      list = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (view->model)))),
                                factory);
      gtk_widget_set_name (list, name);
      gtk_widget_add_css_class (list, "card");
      gtk_widget_set_overflow (list, GTK_OVERFLOW_HIDDEN);
      gtk_list_view_set_show_separators (GTK_LIST_VIEW (list), TRUE);
      gtk_widget_set_valign (list, GTK_ALIGN_START);
      gtk_widget_set_margin_start (list, 12);
      gtk_widget_set_margin_end (list, 12);
      gtk_widget_set_margin_top (list, 12);
      gtk_widget_set_margin_bottom (list, 12);
      gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (list), FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(view_info[i].title), -1);
      g_signal_connect (list, "activate", G_CALLBACK (on_activate), self);

      adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
      adw_clamp_set_child (ADW_CLAMP (clamp), list);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), view_info[i].icon);
      adw_status_page_set_title (ADW_STATUS_PAGE (empty), _(view_info[i].empty_title));
      adw_status_page_set_description (ADW_STATUS_PAGE (empty), _(view_info[i].empty_description));

      gtk_stack_add_named (GTK_STACK (stack), scroller, "list");
      gtk_stack_add_named (GTK_STACK (stack), empty, "empty");
      view->stack = GTK_STACK (stack);
      view->page = adw_view_stack_add_titled (self->stack, stack, view_info[i].name,
                                              _(view_info[i].title));
      adw_view_stack_page_set_icon_name (view->page, view_info[i].icon);
      update_view_state (view, i);
    }
}

static void
on_view_changed (KontorActivitiesPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

GtkWidget *
kontor_activities_page_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_ACTIVITIES_PAGE, "store", store, NULL);
}

const char *
kontor_activities_page_get_today (KontorActivitiesPage *self)
{
  g_return_val_if_fail (KONTOR_IS_ACTIVITIES_PAGE (self), NULL);

  return self->today_text;
}

void
kontor_activities_page_set_today (KontorActivitiesPage *self,
                                  const char           *today)
{
  g_return_if_fail (KONTOR_IS_ACTIVITIES_PAGE (self));

  if (g_strcmp0 (self->today_text, today) == 0)
    return;
  g_free (self->today_text);
  self->today_text = g_strdup (today);
  if (self->store != NULL)
    set_queries (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TODAY]);
}

const char *
kontor_activities_page_get_view (KontorActivitiesPage *self)
{
  g_return_val_if_fail (KONTOR_IS_ACTIVITIES_PAGE (self), NULL);

  return adw_view_stack_get_visible_child_name (self->stack);
}

void
kontor_activities_page_set_view (KontorActivitiesPage *self,
                                 const char           *view)
{
  g_return_if_fail (KONTOR_IS_ACTIVITIES_PAGE (self));
  g_return_if_fail (view != NULL);

  adw_view_stack_set_visible_child_name (self->stack, view);
}

GListModel *
kontor_activities_page_get_model (KontorActivitiesPage *self,
                                  const char           *view)
{
  g_return_val_if_fail (KONTOR_IS_ACTIVITIES_PAGE (self), NULL);

  for (guint i = 0; i < N_VIEWS; i++)
    if (g_strcmp0 (view_info[i].name, view) == 0)
      return G_LIST_MODEL (self->views[i].model);
  return NULL;
}

static void
kontor_activities_page_constructed (GObject *object)
{
  KontorActivitiesPage *self = KONTOR_ACTIVITIES_PAGE (object);

  G_OBJECT_CLASS (kontor_activities_page_parent_class)->constructed (object);

  g_return_if_fail (self->store != NULL);
  set_queries (self);
  build_views (self);
}

static void
kontor_activities_page_dispose (GObject *object)
{
  KontorActivitiesPage *self = KONTOR_ACTIVITIES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_ACTIVITIES_PAGE);
  for (guint i = 0; i < N_VIEWS; i++)
    {
      if (self->views[i].model != NULL)
        g_signal_handlers_disconnect_by_data (self->views[i].model, self);
      g_clear_object (&self->views[i].model);
      g_clear_object (&self->views[i].appointments);
      g_clear_object (&self->views[i].tasks);
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_activities_page_parent_class)->dispose (object);
}

static void
kontor_activities_page_finalize (GObject *object)
{
  KontorActivitiesPage *self = KONTOR_ACTIVITIES_PAGE (object);

  g_free (self->today_text);
  g_hash_table_unref (self->titles);

  G_OBJECT_CLASS (kontor_activities_page_parent_class)->finalize (object);
}

static void
kontor_activities_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KontorActivitiesPage *self = KONTOR_ACTIVITIES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TODAY:
      g_value_set_string (value, self->today_text);
      break;
    case PROP_VIEW:
      g_value_set_string (value, kontor_activities_page_get_view (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_activities_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KontorActivitiesPage *self = KONTOR_ACTIVITIES_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TODAY:
      kontor_activities_page_set_today (self, g_value_get_string (value));
      break;
    case PROP_VIEW:
      if (g_value_get_string (value) != NULL)
        kontor_activities_page_set_view (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_activities_page_class_init (KontorActivitiesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_activities_page_constructed;
  object_class->dispose = kontor_activities_page_dispose;
  object_class->finalize = kontor_activities_page_finalize;
  object_class->get_property = kontor_activities_page_get_property;
  object_class->set_property = kontor_activities_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TODAY] =
    g_param_spec_string ("today", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);
  signals[DONE_CHANGED] = g_signal_new ("done-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-activities-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorActivitiesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorActivitiesPage, switcher);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
}

static void
kontor_activities_page_init (KontorActivitiesPage *self)
{
  self->titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
