/* kontor-account-dialog.c: sign in to (and out of) the sync server
 *
 * Signing in runs in the background: the window stays responsive, the
 * form is locked while it runs, and what went wrong is said under the
 * form, next to the entry to fix.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-account-dialog.h"

struct _KontorAccountDialog
{
  AdwWindow             parent_instance;

  GtkLabel             *error_label;
  AdwPreferencesGroup  *form_group;
  AdwPasswordEntryRow  *password_row;
  GtkButton            *sign_in_button;
  GtkButton            *sign_out_button;
  AdwPreferencesGroup  *signed_in_group;
  AdwActionRow         *signed_in_row;
  GtkSpinner           *spinner;
  AdwEntryRow          *url_row;
  AdwEntryRow          *user_row;

  KontorSyncController *controller;
  GCancellable         *cancellable;
  char                 *error;
  gboolean              busy;
};

G_DEFINE_FINAL_TYPE (KontorAccountDialog, kontor_account_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_error (KontorAccountDialog *self,
            const char          *message,
            GtkWidget           *culprit)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->user_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  if (culprit != NULL)
    {
      gtk_widget_add_css_class (culprit, "error");
      gtk_widget_grab_focus (culprit);
    }
}

static void
update (KontorAccountDialog *self)
{
  KontorAccount *account = kontor_sync_controller_get_account (self->controller);
  gboolean signed_in = kontor_sync_controller_get_engine (self->controller) != NULL;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_set_visible (GTK_WIDGET (self->signed_in_group), signed_in && account != NULL);
  if (signed_in && account != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signed_in_row),
                                     kontor_account_get_user (account));
      adw_action_row_set_subtitle (self->signed_in_row, kontor_account_get_server_url (account));
      adw_preferences_group_set_title (self->form_group, _("Sign In as Someone Else"));
    }
  else
    adw_preferences_group_set_title (self->form_group, _("Kontor Server"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->form_group), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !self->busy && *url != '\0' && *user != '\0' && *password != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
set_busy (KontorAccountDialog *self,
          gboolean             busy)
{
  self->busy = busy;
  update (self);
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KontorAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *culprit = NULL;

  if (kontor_sync_controller_sign_in_finish (KONTOR_SYNC_CONTROLLER (source), result, &error))
    {
      set_busy (self, FALSE);
      show_error (self, NULL, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window closed */

  set_busy (self, FALSE);
  if (error->domain == KONTOR_SYNC_CONTROLLER_ERROR)
    switch (error->code)
      {
      case KONTOR_SYNC_CONTROLLER_ERROR_BAD_URL:
      case KONTOR_SYNC_CONTROLLER_ERROR_UNREACHABLE:
        culprit = GTK_WIDGET (self->url_row);
        break;
      case KONTOR_SYNC_CONTROLLER_ERROR_WRONG_PASSWORD:
        culprit = *gtk_editable_get_text (GTK_EDITABLE (self->user_row)) == '\0'
                  ? GTK_WIDGET (self->user_row) : GTK_WIDGET (self->password_row);
        break;
      default:
        break;
      }
  show_error (self, error->message, culprit);
}

static void
on_sign_in_clicked (KontorAccountDialog *self)
{
  if (self->busy)
    return;

  show_error (self, NULL, NULL);
  set_busy (self, TRUE);
  kontor_sync_controller_sign_in_async (self->controller,
                                        gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                                        gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                                        gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                        self->cancellable, on_signed_in, g_object_ref (self));
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KontorAccountDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kontor_sync_controller_sign_out_finish (KONTOR_SYNC_CONTROLLER (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  show_error (self, error ? error->message : NULL, NULL);
}

static void
on_sign_out_clicked (KontorAccountDialog *self)
{
  if (self->busy)
    return;

  show_error (self, NULL, NULL);
  set_busy (self, TRUE);
  kontor_sync_controller_sign_out_async (self->controller, self->cancellable, on_signed_out,
                                         g_object_ref (self));
}

static void
on_entry_changed (KontorAccountDialog *self)
{
  update (self);
}

static void
on_entry_activated (KontorAccountDialog *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    on_sign_in_clicked (self);
}

const char *
kontor_account_dialog_get_error (KontorAccountDialog *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT_DIALOG (self), NULL);
  return self->error;
}

gboolean
kontor_account_dialog_get_busy (KontorAccountDialog *self)
{
  g_return_val_if_fail (KONTOR_IS_ACCOUNT_DIALOG (self), FALSE);
  return self->busy;
}

GtkWidget *
kontor_account_dialog_new (KontorSyncController *controller)
{
  g_return_val_if_fail (KONTOR_IS_SYNC_CONTROLLER (controller), NULL);

  return g_object_new (KONTOR_TYPE_ACCOUNT_DIALOG, "controller", controller, NULL);
}

static void
kontor_account_dialog_constructed (GObject *object)
{
  KontorAccountDialog *self = (KontorAccountDialog *) object;
  KontorAccount *account;

  G_OBJECT_CLASS (kontor_account_dialog_parent_class)->constructed (object);

  account = kontor_sync_controller_get_account (self->controller);
  if (account != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), kontor_account_get_server_url (account));
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), kontor_account_get_user (account));
    }

  g_signal_connect_object (self->controller, "notify::engine", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->controller, "notify::account", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  /* the first empty entry */
  if (account == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
kontor_account_dialog_dispose (GObject *object)
{
  KontorAccountDialog *self = (KontorAccountDialog *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->controller);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (kontor_account_dialog_parent_class)->dispose (object);
}

static void
kontor_account_dialog_finalize (GObject *object)
{
  KontorAccountDialog *self = (KontorAccountDialog *) object;

  g_free (self->error);

  G_OBJECT_CLASS (kontor_account_dialog_parent_class)->finalize (object);
}

static void
kontor_account_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KontorAccountDialog *self = KONTOR_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_account_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KontorAccountDialog *self = KONTOR_ACCOUNT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_account_dialog_class_init (KontorAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_account_dialog_constructed;
  object_class->dispose = kontor_account_dialog_dispose;
  object_class->finalize = kontor_account_dialog_finalize;
  object_class->get_property = kontor_account_dialog_get_property;
  object_class->set_property = kontor_account_dialog_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, KONTOR_TYPE_SYNC_CONTROLLER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/kontor/Kontor/kontor-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, form_group);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, signed_in_group);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, signed_in_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, KontorAccountDialog, user_row);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_out_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kontor_account_dialog_init (KontorAccountDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
