/* sync-ui-test.h: small helpers of the sync UI tests (header only)
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

static gboolean
sync_ui_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until expr holds; fails the test after msec. */
#define WAIT_UNTIL(expr, msec, what)                                              \
  G_STMT_START {                                                                  \
    gint64 wait_deadline_ = g_get_monotonic_time () + (gint64) (msec) * 1000;    \
    guint wait_tick_ = g_timeout_add (10, sync_ui_wake, NULL);                    \
    while (!(expr) && g_get_monotonic_time () < wait_deadline_)                   \
      g_main_context_iteration (NULL, TRUE);                                      \
    g_source_remove (wait_tick_);                                                 \
    if (!(expr))                                                                  \
      g_error ("waited %u ms in vain for %s", (guint) (msec), what);              \
  } G_STMT_END

static inline void
run_for (guint msec)
{
  gint64 until = g_get_monotonic_time () + (gint64) msec * 1000;
  guint tick = g_timeout_add (10, sync_ui_wake, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first descendant of root (depth first, root included) of type
 * type for which match (may be NULL) holds. */
static inline GtkWidget *
find_widget (GtkWidget   *root,
             GType        type,
             WidgetMatch  match,
             gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline gboolean
label_is (GtkWidget    *widget,
          gconstpointer text)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* A widget of type type with a GtkLabel reading text inside it. */
static inline gboolean
contains_label (GtkWidget    *widget,
                gconstpointer text)
{
  return find_widget (widget, GTK_TYPE_LABEL, label_is, text) != NULL;
}

static inline gboolean
button_label_is (GtkWidget    *widget,
                 gconstpointer text)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0;
}

static inline gboolean
row_title_is (GtkWidget    *widget,
              gconstpointer text)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) == 0;
}

/* Lets GTK lay out and draw what changed. */
static inline void
settle (void)
{
  run_for (100);
}

/* Clicks a button as the user would (it must be sensitive and visible). */
static inline void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

/* With KONTOR_TEST_SCREENSHOTS=DIR, saves what widget shows as DIR/name.png
 * (to look at the widgets; the tests assert nothing about pixels). */
static inline void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *dir = g_getenv ("KONTOR_TEST_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  if (dir == NULL)
    return;
  run_for (300);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, file);
}

/* Resizes a toplevel and lets it lay out again. */
static inline void
resize (GtkWidget *window,
        int        width,
        int        height)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  run_for (300);
}

/* The first toplevel window of type type. */
static inline GtkWidget *
find_toplevel (GType type)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}
