/* kontor-window.c: the main window; it hosts the areas and navigates
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kontor-window.h"

struct _KontorWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (KontorWindow, kontor_window, ADW_TYPE_APPLICATION_WINDOW)

KontorWindow *
kontor_window_new (KontorApplication *application)
{
  return g_object_new (KONTOR_TYPE_WINDOW, "application", application, NULL);
}

static void
kontor_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KONTOR_TYPE_WINDOW);

  G_OBJECT_CLASS (kontor_window_parent_class)->dispose (object);
}

static void
kontor_window_class_init (KontorWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kontor/Kontor/kontor-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorWindow, toast_overlay);
}

static void
kontor_window_init (KontorWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
