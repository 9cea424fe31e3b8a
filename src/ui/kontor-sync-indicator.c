/* kontor-sync-indicator.c: the sync state in the header bar
 *
 * Quiet by design: one icon, the number of changes not yet sent, and a
 * conflicts button only while there are conflicts. The popover says in
 * plain words what is going on and what the user can do.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-dialog.h"
#include "kontor-conflict-resolver.h"
#include "kontor-rejected-list.h"
#include "kontor-store-sync.h"
#include "kontor-sync-indicator.h"

struct _KontorSyncIndicator
{
  GtkWidget             parent_instance;

  GtkButton            *conflicts_button;
  GtkLabel             *conflicts_label;
  GtkLabel             *detail_label;
  GtkLabel             *error_label;
  GtkLabel             *last_sync_label;
  GtkMenuButton        *menu_button;
  GtkLabel             *pending_label;
  GtkImage             *state_icon;
  GtkWidget            *status_box;
  GtkLabel             *title_label;

  KontorSyncEngine     *engine;
  KontorSyncController *controller;
  KontorStore          *store;      /* the engine's, for the refused changes */
  GBinding             *engine_binding;
  gulong                store_changed_id;
  guint                 rejected;
  guint                 conflicts;  /* counted here while there is no engine */
  guint                 clock_id;   /* refreshes "last synced" */

  GtkWindow            *resolver;   /* weak: one window of each at a time */
  GtkWindow            *rejected_window;

  const char           *icon_name;
  char                 *title;
  char                 *detail;
};

G_DEFINE_FINAL_TYPE (KontorSyncIndicator, kontor_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENGINE,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_last_sync (gint64 last_sync)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *time = NULL;

  if (last_sync <= 0)
    return g_strdup (_("Not synced yet"));

  when = g_date_time_new_from_unix_local (last_sync);
  now = g_date_time_new_now_local ();
  if (g_date_time_difference (now, when) < 60 * G_TIME_SPAN_SECOND)
    return g_strdup (_("Last synced just now"));

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    {
      /* Translators: a time of day, see g_date_time_format() */
      time = g_date_time_format (when, C_("sync time", "%H:%M"));
      /* Translators: %s is a time of day */
      return g_strdup_printf (_("Last synced today at %s"), time);
    }

  /* Translators: a date and time, see g_date_time_format() */
  time = g_date_time_format (when, C_("sync date", "%x %H:%M"));
  /* Translators: %s is a date and a time */
  return g_strdup_printf (_("Last synced on %s"), time);
}

static void
refresh_rejected (KontorSyncIndicator *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  self->rejected = 0;
  self->conflicts = 0;
  if (self->store == NULL)
    return;
  list = kontor_store_list_rejected (self->store, &error);
  if (list == NULL)
    g_debug ("Cannot count refused changes: %s", error->message);
  else
    self->rejected = list->len;

  /* signed out, conflicts can still be resolved (the engine counts them
   * otherwise) */
  if (self->engine == NULL)
    {
      g_autoptr(GPtrArray) conflicts = kontor_store_list_conflicts (self->store, NULL);

      self->conflicts = conflicts ? conflicts->len : 0;
    }
}

static void
set_texts (KontorSyncIndicator *self,
           const char          *icon_name,
           const char          *title,
           char                *detail)   /* taken */
{
  self->icon_name = icon_name;
  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->detail);
  self->detail = detail;
}

static void
update (KontorSyncIndicator *self)
{
  KontorSyncEngine *engine = self->engine;
  guint pending = engine ? kontor_sync_engine_get_pending (engine) : 0;
  guint conflicts = engine ? kontor_sync_engine_get_conflicts (engine) : self->conflicts;
  const char *error = NULL;
  g_autofree char *last_sync = NULL;
  g_autofree char *tooltip = NULL;

  if (engine == NULL)
    {
      KontorAccount *account = self->controller ? kontor_sync_controller_get_account (self->controller)
                                                : NULL;
      const char *problem = self->controller ? kontor_sync_controller_get_problem (self->controller)
                                             : NULL;

      if (self->controller != NULL && kontor_sync_controller_get_loading (self->controller))
        set_texts (self, "emblem-synchronizing-symbolic", _("Starting sync"),
                   g_strdup (_("Looking up your sign-in in the keyring.")));
      else if (account != NULL)
        {
          set_texts (self, "dialog-password-symbolic", _("Signed out"),
                     g_strdup_printf (_("Sign in to %s again to sync your changes."),
                                      kontor_account_get_server_url (account)));
          error = problem;
        }
      else
        set_texts (self, "network-offline-symbolic", _("Sync is off"),
                   g_strdup (_("Everything works on this device. Sign in to a Kontor server "
                               "to share your data with your team.")));
    }
  else
    {
      KontorSyncState state = kontor_sync_engine_get_state (engine);

      switch (state)
        {
        case KONTOR_SYNC_STATE_SYNCING:
          set_texts (self, "emblem-synchronizing-symbolic", _("Syncing"),
                     pending > 0 ? g_strdup_printf (ngettext ("Sending %u change.",
                                                              "Sending %u changes.", pending),
                                                    pending)
                                 : g_strdup (_("Receiving changes from the server.")));
          break;

        case KONTOR_SYNC_STATE_OFFLINE:
          set_texts (self, "network-offline-symbolic", _("Offline"),
                     pending > 0
                     ? g_strdup_printf (ngettext ("The server cannot be reached. Kontor keeps "
                                                  "working and sends your %u change when the "
                                                  "server is back.",
                                                  "The server cannot be reached. Kontor keeps "
                                                  "working and sends your %u changes when the "
                                                  "server is back.", pending), pending)
                     : g_strdup (_("The server cannot be reached. Kontor keeps working and "
                                   "syncs when the server is back.")));
          error = kontor_sync_engine_get_last_error (engine);
          break;

        case KONTOR_SYNC_STATE_SIGNED_OUT:
          set_texts (self, "dialog-password-symbolic", _("Sign in again"),
                     g_strdup (_("The server no longer accepts this sign-in. Your changes are "
                                 "kept until you sign in again.")));
          break;

        case KONTOR_SYNC_STATE_ERROR:
          set_texts (self, "dialog-warning-symbolic", _("Sync failed"),
                     g_strdup (_("The last sync did not finish. Kontor tries again after your "
                                 "next change, or now with Sync Now.")));
          error = kontor_sync_engine_get_last_error (engine);
          break;

        case KONTOR_SYNC_STATE_IDLE:
        default:
          if (!kontor_sync_engine_is_started (engine))
            set_texts (self, "network-offline-symbolic", _("Sync is paused"),
                       g_strdup (_("Your changes are kept on this device.")));
          else if (pending > 0)
            set_texts (self, "emblem-synchronizing-symbolic", _("Changes waiting"),
                       g_strdup_printf (ngettext ("%u change will be sent in a moment.",
                                                  "%u changes will be sent in a moment.",
                                                  pending), pending));
          else if (kontor_sync_engine_get_last_sync (engine) == 0)
            set_texts (self, "emblem-synchronizing-symbolic", _("Connecting"),
                       g_strdup (_("Kontor is getting in touch with the server.")));
          else
            set_texts (self, "emblem-ok-symbolic", _("Up to date"),
                       g_strdup (kontor_sync_engine_get_connected (engine)
                                 ? _("Your changes are on the server. Changes from others "
                                     "arrive as they happen.")
                                 : _("Your changes are on the server. Kontor checks "
                                     "regularly for changes from others.")));
          break;
        }
      last_sync = format_last_sync (kontor_sync_engine_get_last_sync (engine));
    }

  gtk_image_set_from_icon_name (self->state_icon, self->icon_name);
  /* all is well: stay in the background */
  if (g_str_equal (self->icon_name, "emblem-ok-symbolic"))
    gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), "dim-label");
  gtk_label_set_label (self->title_label, self->title);
  gtk_label_set_label (self->detail_label, self->detail);
  gtk_widget_set_visible (GTK_WIDGET (self->last_sync_label), last_sync != NULL);
  gtk_label_set_label (self->last_sync_label, last_sync ? last_sync : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    {
      /* Translators: %s is the technical reason, shown small below the
       * explanation */
      g_autofree char *text = g_strdup_printf (_("Details: %s"), error);
      gtk_label_set_label (self->error_label, text);
    }

  /* the changes not yet sent, quietly beside the icon */
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), pending > 0);
  if (pending > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", pending);
      gtk_label_set_label (self->pending_label, count);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), conflicts > 0);
  if (conflicts > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", conflicts);
      g_autofree char *conflicts_tip = g_strdup_printf (ngettext ("%u conflict to resolve",
                                                                  "%u conflicts to resolve",
                                                                  conflicts), conflicts);
      gtk_label_set_label (self->conflicts_label, count);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->conflicts_button), conflicts_tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->conflicts_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, conflicts_tip, -1);
    }

  /* Translators: the sync button's tooltip: a heading and an explanation */
  tooltip = g_strdup_printf (_("%s: %s"), self->title, self->detail);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.sync-now", engine != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.conflicts",
                                 conflicts > 0 && self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.rejected", self->rejected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.account", self->controller != NULL);
}

static void
on_engine_notify (KontorSyncIndicator *self)
{
  if (self->engine != NULL &&
      kontor_sync_engine_get_state (self->engine) != KONTOR_SYNC_STATE_SYNCING)
    refresh_rejected (self);
  update (self);
}

static void
on_store_changed (KontorSyncIndicator *self)
{
  refresh_rejected (self);
  update (self);
}

static gboolean
on_clock (gpointer data)
{
  update (data);
  return G_SOURCE_CONTINUE;
}

void
kontor_sync_indicator_set_engine (KontorSyncIndicator *self,
                                  KontorSyncEngine    *engine)
{
  g_return_if_fail (KONTOR_IS_SYNC_INDICATOR (self));
  g_return_if_fail (engine == NULL || KONTOR_IS_SYNC_ENGINE (engine));

  if (self->engine == engine)
    return;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->store);

  g_set_object (&self->engine, engine);

  if (engine != NULL)
    {
      g_signal_connect_swapped (engine, "notify", G_CALLBACK (on_engine_notify), self);
      self->store = g_object_ref (kontor_sync_engine_get_store (engine));
    }
  else if (self->controller != NULL)
    self->store = g_object_ref (kontor_sync_controller_get_store (self->controller));
  if (self->store != NULL)
    self->store_changed_id = g_signal_connect_swapped (self->store, "changed",
                                                       G_CALLBACK (on_store_changed), self);

  refresh_rejected (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
set_controller (KontorSyncIndicator  *self,
                KontorSyncController *controller)
{
  if (self->controller == controller)
    return;

  g_clear_pointer (&self->engine_binding, g_binding_unbind);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  g_set_object (&self->controller, controller);

  if (controller != NULL)
    {
      g_signal_connect_swapped (controller, "notify::loading", G_CALLBACK (update), self);
      g_signal_connect_swapped (controller, "notify::account", G_CALLBACK (update), self);
      g_signal_connect_swapped (controller, "notify::problem", G_CALLBACK (update), self);
      self->engine_binding = g_object_bind_property (controller, "engine", self, "engine",
                                                     G_BINDING_SYNC_CREATE);
      if (self->store == NULL)
        {
          self->store = g_object_ref (kontor_sync_controller_get_store (controller));
          self->store_changed_id = g_signal_connect_swapped (self->store, "changed",
                                                             G_CALLBACK (on_store_changed), self);
          refresh_rejected (self);
        }
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTROLLER]);
}

/* ---------------------------------------------------------------------- */
/* Actions                                                                */

static GtkWindow *
parent_window (KontorSyncIndicator *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_open_record (KontorSyncIndicator *self,
                const char          *id,
                const char          *kind)
{
  if (self->controller != NULL)
    kontor_sync_controller_open_record (self->controller, id, kind);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (widget);

  if (self->engine != NULL)
    kontor_sync_engine_sync_now (self->engine);
}

static void
account_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (widget);
  GtkWindow *dialog;

  if (self->controller == NULL)
    return;
  dialog = GTK_WINDOW (kontor_account_dialog_new (self->controller));
  gtk_window_set_transient_for (dialog, parent_window (self));
  gtk_window_present (dialog);
}

static void
conflicts_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (widget);
  GtkWindow *window;

  if (self->store == NULL)
    return;
  if (self->resolver != NULL)
    {
      gtk_window_present (self->resolver);
      return;
    }
  window = GTK_WINDOW (kontor_conflict_resolver_new (self->store));
  self->resolver = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->resolver);
  g_signal_connect_object (window, "open-record", G_CALLBACK (on_open_record), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (window, parent_window (self));
  gtk_window_present (window);
}

static void
rejected_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (widget);
  GtkWindow *window;

  if (self->store == NULL)
    return;
  if (self->rejected_window != NULL)
    {
      gtk_window_present (self->rejected_window);
      return;
    }
  window = GTK_WINDOW (kontor_rejected_list_new (self->store));
  self->rejected_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->rejected_window);
  g_signal_connect_object (window, "open-record", G_CALLBACK (on_open_record), self,
                           G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (window, parent_window (self));
  gtk_window_present (window);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

GtkWidget *
kontor_sync_indicator_new (KontorSyncEngine *engine)
{
  g_return_val_if_fail (engine == NULL || KONTOR_IS_SYNC_ENGINE (engine), NULL);

  return g_object_new (KONTOR_TYPE_SYNC_INDICATOR, "engine", engine, NULL);
}

GtkWidget *
kontor_sync_indicator_new_for_controller (KontorSyncController *controller)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (controller), NULL);

  return g_object_new (KONTOR_TYPE_SYNC_INDICATOR, "controller", controller, NULL);
}

KontorSyncEngine *
kontor_sync_indicator_get_engine (KontorSyncIndicator *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_INDICATOR (self), NULL);
  return self->engine;
}

KontorSyncController *
kontor_sync_indicator_get_controller (KontorSyncIndicator *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_INDICATOR (self), NULL);
  return self->controller;
}

const char *
kontor_sync_indicator_get_icon_name (KontorSyncIndicator *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_INDICATOR (self), NULL);
  return self->icon_name;
}

const char *
kontor_sync_indicator_get_title (KontorSyncIndicator *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_INDICATOR (self), NULL);
  return self->title;
}

const char *
kontor_sync_indicator_get_detail (KontorSyncIndicator *self)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_INDICATOR (self), NULL);
  return self->detail;
}

static void
kontor_sync_indicator_dispose (GObject *object)
{
  KontorSyncIndicator *self = (KontorSyncIndicator *) object;

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_weak_pointer (&self->resolver);
  g_clear_weak_pointer (&self->rejected_window);
  g_clear_pointer (&self->engine_binding, g_binding_unbind);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->engine);
  g_clear_object (&self->controller);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (kontor_sync_indicator_parent_class)->dispose (object);
}

static void
kontor_sync_indicator_finalize (GObject *object)
{
  KontorSyncIndicator *self = (KontorSyncIndicator *) object;

  g_free (self->title);
  g_free (self->detail);

  G_OBJECT_CLASS (kontor_sync_indicator_parent_class)->finalize (object);
}

static void
kontor_sync_indicator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_indicator_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KontorSyncIndicator *self = KONTOR_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      kontor_sync_indicator_set_engine (self, g_value_get_object (value));
      break;
    case PROP_CONTROLLER:
      set_controller (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_sync_indicator_class_init (KontorSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kontor_sync_indicator_dispose;
  object_class->finalize = kontor_sync_indicator_finalize;
  object_class->get_property = kontor_sync_indicator_get_property;
  object_class->set_property = kontor_sync_indicator_set_property;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, KONTOR_TYPE_SYNC_ENGINE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, KONTOR_TYPE_SYNC_CONTROLLER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, conflicts_button);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, detail_label);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, menu_button);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, state_icon);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, status_box);
  gtk_widget_class_bind_template_child (widget_class, KontorSyncIndicator, title_label);

  gtk_widget_class_install_action (widget_class, "sync.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "sync.account", NULL, account_action);
  gtk_widget_class_install_action (widget_class, "sync.conflicts", NULL, conflicts_action);
  gtk_widget_class_install_action (widget_class, "sync.rejected", NULL, rejected_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kontorsyncindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kontor_sync_indicator_init (KontorSyncIndicator *self)
{
  GtkPopover *popover;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              2);

  popover = gtk_menu_button_get_popover (self->menu_button);
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), self->status_box, "status");

  /* "last synced just now" ages */
  self->clock_id = g_timeout_add_seconds (30, on_clock, self);
  update (self);
}
