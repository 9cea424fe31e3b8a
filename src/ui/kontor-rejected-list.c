/* kontor-rejected-list.c: changes the server refused, to fix and resend
 *
 * Each refused change shows the server's reason and its values in
 * editable rows. "Send Again" writes the (fixed) values as a new local
 * edit, which goes out with the next sync, and forgets the refusal;
 * "Discard" only forgets it (the record already shows the server's state).
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-rejected-list.h"
#include "kontor-store-sync.h"

typedef struct
{
  gint64       id;
  char        *record;
  char        *kind;
  GPtrArray   *names;    /* field names */
  GPtrArray   *rows;     /* AdwEntryRow, one per field */
} Item;

struct _KontorRejectedList
{
  AdwWindow        parent_instance;

  GtkBox          *items_box;
  GtkStack        *stack;
  AdwToastOverlay *toast_overlay;

  KontorStore     *store;
  gulong           changed_id;
  guint            reload_id;
  GPtrArray       *items;     /* Item */
  char            *shown;     /* the ids on show, to keep typed text */
};

G_DEFINE_FINAL_TYPE (KontorRejectedList, kontor_rejected_list, ADW_TYPE_WINDOW)

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

static void reload (KontorRejectedList *self);

static void
item_free (Item *item)
{
  g_free (item->record);
  g_free (item->kind);
  g_clear_pointer (&item->names, g_ptr_array_unref);
  g_clear_pointer (&item->rows, g_ptr_array_unref);
  g_free (item);
}

static void
toast (KontorRejectedList *self,
       const char         *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static KontorField *
field_of (KontorRejectedList *self,
          const char         *kind,
          const char         *name)
{
  KontorKind *k = kontor_schema_get_kind (kontor_store_get_schema (self->store), kind);

  return k ? kontor_kind_get_field (k, name) : NULL;
}

static void
on_send_again (GtkButton          *button,
               KontorRejectedList *self)
{
  Item *item = g_object_get_data (G_OBJECT (button), "item");
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(KontorRecord) existing = NULL;
  g_autoptr(KontorRecord) saved = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < item->names->len; i++)
    {
      const char *name = g_ptr_array_index (item->names, i);
      AdwEntryRow *row = g_ptr_array_index (item->rows, i);
      KontorField *field = field_of (self, item->kind, name);
      JsonNode *value;

      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      if (field == NULL)
        continue;  /* a field this build does not know: cannot be sent again as text */
      value = kontor_field_parse_text (field, gtk_editable_get_text (GTK_EDITABLE (row)),
                                       kontor_store_get_parse_context (self->store), &error);
      if (value == NULL)
        {
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (row));
          toast (self, error->message);
          return;
        }
      json_object_set_member (changes, name, value);
    }

  if (!kontor_store_begin (self->store, &error))
    goto failed;

  existing = kontor_store_get (self->store, item->record, NULL);
  if (existing != NULL && !kontor_record_get_deleted (existing))
    saved = kontor_store_update (self->store, item->record, changes, &problems, &error);
  else
    /* the server never took the record: create it again, with its id */
    saved = kontor_store_create (self->store, item->kind, existing ? NULL : item->record, changes,
                                 &problems, &error);
  if (saved == NULL ||
      !kontor_store_dismiss_rejected (self->store, item->id, &error) ||
      !kontor_store_commit (self->store, &error))
    {
      kontor_store_rollback (self->store);
      goto failed;
    }

  toast (self, _("Saved again; it is sent with the next sync"));
  reload (self);
  return;

failed:
  if (problems != NULL && problems->len > 0)
    {
      KontorFieldProblem *p = g_ptr_array_index (problems, 0);

      for (guint i = 0; i < item->names->len; i++)
        if (g_strcmp0 (g_ptr_array_index (item->names, i), p->field) == 0)
          gtk_widget_add_css_class (g_ptr_array_index (item->rows, i), "error");
    }
  toast (self, error ? error->message : _("The change cannot be saved"));
}

static void
on_discard (GtkButton          *button,
            KontorRejectedList *self)
{
  Item *item = g_object_get_data (G_OBJECT (button), "item");
  g_autoptr(GError) error = NULL;

  if (!kontor_store_dismiss_rejected (self->store, item->id, &error))
    {
      toast (self, error->message);
      return;
    }
  toast (self, _("Refused change discarded"));
  reload (self);
}

static void
on_open (GtkButton          *button,
         KontorRejectedList *self)
{
  Item *item = g_object_get_data (G_OBJECT (button), "item");

  g_signal_emit (self, signals[OPEN_RECORD], 0, item->record, item->kind);
}

/* The title of a rejected new record of @kind that has no title of its own:
 * a whole phrase per built-in kind, so that translations can make the words
 * agree with the kind's gender; a custom kind gets a neutral phrase with its
 * @kind_label. */
static char *
new_record_title (const char *kind,
                  const char *kind_label)
{
  static const struct { const char *kind; const char *title; } titles[] = {
    /* Translators: a new record of this kind that the server refused to create */
    { "contact", N_("A New Contact") },
    /* Translators: a new record of this kind that the server refused to create */
    { "organization", N_("A New Organization") },
    /* Translators: a new record of this kind that the server refused to create */
    { "lead", N_("A New Lead") },
    /* Translators: a new record of this kind that the server refused to create */
    { "deal", N_("A New Deal") },
    /* Translators: a new record of this kind that the server refused to create */
    { "activity", N_("A New Activity") },
    /* Translators: a new record of this kind that the server refused to create */
    { "voice_note", N_("A New Voice Note") },
    /* Translators: a new record of this kind that the server refused to create */
    { "pipeline", N_("A New Pipeline") },
    /* Translators: a new record of this kind that the server refused to create */
    { "stage", N_("A New Stage") },
    /* Translators: a new record of this kind that the server refused to create */
    { "product", N_("A New Product") },
    /* Translators: a new record of this kind ("user") that the server refused to create */
    { "user", N_("A New Sales Rep") },
    /* Translators: a new record of this kind that the server refused to create */
    { "team", N_("A New Team") },
  };

  for (gsize i = 0; kind != NULL && i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (kind, titles[i].kind))
      return g_strdup (_(titles[i].title));

  /* Translators: a new record of a custom kind that the server refused to
   * create; %s is the kind's name, e.g. "A New Record (Contract)" */
  return g_strdup_printf (_("A New Record (%s)"), kind_label);
}

static GtkWidget *
build_item (KontorRejectedList *self,
            KontorRejected     *rejected,
            Item               *item)
{
  g_autoptr(KontorRecord) record = kontor_store_get (self->store, rejected->record, NULL);
  KontorKind *kind = kontor_schema_get_kind (kontor_store_get_schema (self->store), rejected->kind);
  const char *kind_label = kind ? _(kontor_kind_get_label (kind)) : rejected->kind;
  g_autofree char *title = NULL;
  g_autofree char *reason = NULL;
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (record != NULL && kontor_record_get_title (record) && *kontor_record_get_title (record))
    /* Translators: a record's title and its kind, e.g. "Anna Müller (Contact)" */
    title = g_strdup_printf (_("%s (%s)"), kontor_record_get_title (record), kind_label);
  else
    title = new_record_title (rejected->kind, kind_label);
  /* Translators: %s is the server's reason */
  reason = g_strdup_printf (_("The server refused this change: %s"), rejected->reason);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), reason);

  json_object_iter_init (&iter, rejected->fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      KontorField *field = field_of (self, rejected->kind, name);
      g_autofree char *text = field ? kontor_field_format (field, value) : json_to_string (value, FALSE);
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     field && kontor_field_get_label (field)
                                     ? _(kontor_field_get_label (field)) : name);
      gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
      gtk_widget_set_sensitive (row, field != NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_ptr_array_add (item->names, g_strdup (name));
      g_ptr_array_add (item->rows, row);
    }

  button = gtk_button_new_from_icon_name ("document-open-symbolic");
  gtk_widget_set_tooltip_text (button, _("Open the Record"));
  gtk_widget_set_sensitive (button, record != NULL);
  g_object_set_data (G_OBJECT (button), "item", item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_open), self);
  gtk_widget_add_css_class (button, "flat");
  gtk_box_append (GTK_BOX (buttons), button);

  button = gtk_button_new_with_mnemonic (_("_Discard"));
  g_object_set_data (G_OBJECT (button), "item", item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_discard), self);
  gtk_box_append (GTK_BOX (buttons), button);

  button = gtk_button_new_with_mnemonic (_("_Send Again"));
  g_object_set_data (G_OBJECT (button), "item", item);
  g_signal_connect (button, "clicked", G_CALLBACK (on_send_again), self);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), button);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  return group;
}

static void
reload (KontorRejectedList *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = kontor_store_list_rejected (self->store, &error);
  g_autoptr(GString) ids = g_string_new (NULL);
  GtkWidget *child;

  if (list == NULL)
    {
      toast (self, error->message);
      return;
    }

  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (ids, "%" G_GINT64_FORMAT ",",
                            ((KontorRejected *) g_ptr_array_index (list, i))->id);
  if (g_strcmp0 (ids->str, self->shown) == 0)
    return;  /* keep what the user typed */
  g_free (self->shown);
  self->shown = g_strdup (ids->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->items_box))) != NULL)
    gtk_box_remove (self->items_box, child);
  g_ptr_array_set_size (self->items, 0);

  for (guint i = 0; i < list->len; i++)
    {
      KontorRejected *rejected = g_ptr_array_index (list, i);
      Item *item = g_new0 (Item, 1);

      item->id = rejected->id;
      item->record = g_strdup (rejected->record);
      item->kind = g_strdup (rejected->kind);
      item->names = g_ptr_array_new_with_free_func (g_free);
      item->rows = g_ptr_array_new ();
      g_ptr_array_add (self->items, item);
      gtk_box_append (self->items_box, build_item (self, rejected, item));
    }

  gtk_stack_set_visible_child_name (self->stack, list->len > 0 ? "list" : "empty");
}

static gboolean
on_reload (gpointer data)
{
  KontorRejectedList *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed (KontorRejectedList *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (on_reload, self);
}

GtkWidget *
kontor_rejected_list_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_REJECTED_LIST, "store", store, NULL);
}

guint
kontor_rejected_list_get_n_items (KontorRejectedList *self)
{
  g_return_val_if_fail (KONTOR_IS_REJECTED_LIST (self), 0);
  return self->items->len;
}

static void
kontor_rejected_list_constructed (GObject *object)
{
  KontorRejectedList *self = (KontorRejectedList *) object;

  G_OBJECT_CLASS (kontor_rejected_list_parent_class)->constructed (object);

  self->changed_id = g_signal_connect_swapped (self->store, "changed",
                                               G_CALLBACK (on_store_changed), self);
  reload (self);
}

static void
kontor_rejected_list_dispose (GObject *object)
{
  KontorRejectedList *self = (KontorRejectedList *) object;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_REJECTED_LIST);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_rejected_list_parent_class)->dispose (object);
}

static void
kontor_rejected_list_finalize (GObject *object)
{
  KontorRejectedList *self = (KontorRejectedList *) object;

  g_free (self->shown);

  G_OBJECT_CLASS (kontor_rejected_list_parent_class)->finalize (object);
}

static void
kontor_rejected_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  KontorRejectedList *self = KONTOR_REJECTED_LIST (object);

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
kontor_rejected_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  KontorRejectedList *self = KONTOR_REJECTED_LIST (object);

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
kontor_rejected_list_class_init (KontorRejectedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kontor_rejected_list_constructed;
  object_class->dispose = kontor_rejected_list_dispose;
  object_class->finalize = kontor_rejected_list_finalize;
  object_class->get_property = kontor_rejected_list_get_property;
  object_class->set_property = kontor_rejected_list_set_property;

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
                                               "/org/kontor/Kontor/kontor-rejected-list.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorRejectedList, items_box);
  gtk_widget_class_bind_template_child (widget_class, KontorRejectedList, stack);
  gtk_widget_class_bind_template_child (widget_class, KontorRejectedList, toast_overlay);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
kontor_rejected_list_init (KontorRejectedList *self)
{
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  gtk_widget_init_template (GTK_WIDGET (self));
}
