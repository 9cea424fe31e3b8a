/* kontor-today-page.c: the start page: what is due, overdue, stuck, new
 *
 * Every section is one bounded query (the rows shown) plus a count, so the
 * page opens at once on a large replica and needs no network.
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kontor-today-page.h"
#include "kontor-ui-format.h"

/* rows per section; the header says how many there are in all */
#define SECTION_ROWS 8
/* a deal without an activity for this many days needs attention */
#define STALE_DAYS 14

typedef struct
{
  GtkWidget *box;
  GtkWidget *count_label;
  GtkWidget *list;
} Section;

enum {
  SECTION_SCHEDULE,
  SECTION_DUE,
  SECTION_OVERDUE,
  SECTION_ATTENTION,
  SECTION_CHANGES,
  N_SECTIONS
};

struct _KontorTodayPage
{
  AdwBin          parent_instance;

  GtkLabel       *date_label;
  AdwStatusPage  *empty_page;
  GtkButton      *lead_create_button;
  GtkEntry       *lead_company_entry;
  GtkPopover     *lead_popover;
  GtkEntry       *lead_title_entry;
  GtkEntry       *note_entry;
  GtkPopover     *note_popover;
  GtkButton      *note_save_button;
  GtkBox         *sections_box;

  Section         sections[N_SECTIONS];

  KontorStore    *store;
  gulong          changed_id;
  guint           idle_id;
  gboolean        stale;        /* changed while not shown */
  char           *today_text;
  char           *owner;
  GDate           today;
  gint64          last_visit;   /* ms; 0: none */
};

G_DEFINE_FINAL_TYPE (KontorTodayPage, kontor_today_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_TODAY,
  PROP_OWNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  const char *name;
  const char *title;
} section_info[N_SECTIONS] = {
  { "schedule-list", N_("Meetings") },
  { "due-list", N_("Due Today") },
  { "overdue-list", N_("Overdue") },
  { "attention-list", N_("Deals That Need Attention") },
  { "changes-list", N_("Changed Since Your Last Visit") },
};

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static KontorQuery *
new_query (KontorTodayPage *self,
           const char      *kind)
{
  KontorQuery *query = kontor_query_new (kind);

  if (self->owner != NULL)
    kontor_query_add_condition (query, "owner", KONTOR_QUERY_EQ,
                                (const char *[]) { self->owner, NULL });
  return query;
}

static void
add (KontorQuery   *query,
     const char    *field,
     KontorQueryOp  op,
     const char    *value)
{
  kontor_query_add_condition (query, field, op, (const char *[]) { value, NULL });
}

static const char *
title_of (KontorTodayPage *self,
          const char      *id)
{
  g_autoptr(KontorRecord) record = NULL;

  if (id == NULL)
    return NULL;
  record = kontor_store_get (self->store, id, NULL);
  if (record == NULL)
    return NULL;
  /* interned: a page shows a handful of names */
  return g_intern_string (kontor_record_get_title (record));
}

static void
on_row_activated (AdwActionRow    *row,
                  KontorTodayPage *self)
{
  g_signal_emit (self, signals[OPEN_RECORD], 0,
                 g_object_get_data (G_OBJECT (row), "kontor-kind"),
                 g_object_get_data (G_OBJECT (row), "kontor-id"));
}

static void
on_check_toggled (GtkCheckButton  *check,
                  KontorTodayPage *self)
{
  /* the commit may rebind the row: keep a copy */
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (check), "kontor-id"));
  g_autoptr(GError) error = NULL;

  if (!kontor_ui_set_activity_done (GTK_WIDGET (self), self->store, id,
                                    gtk_check_button_get_active (check), NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot save: %s"), error->message);

      if (!kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (text)))
        g_warning ("%s", text);
    }
}

static GtkWidget *
new_row (KontorTodayPage *self,
         KontorRecord    *record,
         const char      *subtitle,
         gboolean         with_check)
{
  GtkWidget *row = adw_action_row_new ();

  /* titles are data ("Fischer & Jäger"), not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kontor_record_get_title (record));
  if (subtitle != NULL && *subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "kontor-id", g_strdup (kontor_record_get_id (record)),
                          g_free);
  g_object_set_data_full (G_OBJECT (row), "kontor-kind",
                          g_strdup (kontor_record_get_kind (record)), g_free);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_row_activated), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  if (with_check)
    {
      GtkWidget *check = gtk_check_button_new ();
      JsonNode *done = kontor_record_get_value (record, "done");
      g_autofree char *label = g_strdup_printf (_("Mark “%s” as done"),
                                                kontor_record_get_title (record));

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   done != NULL && JSON_NODE_HOLDS_VALUE (done) &&
                                   json_node_get_boolean (done));
      g_object_set_data_full (G_OBJECT (check), "kontor-id",
                              g_strdup (kontor_record_get_id (record)), g_free);
      gtk_widget_set_tooltip_text (check, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
    }

  return row;
}

/* "Call · Müller GmbH": what an activity is about. */
static char *
activity_subtitle (KontorTodayPage *self,
                   KontorRecord    *activity,
                   const char      *when_field)
{
  const char *about = NULL;
  const char *links[] = { "deal", "contact", "organization", "lead" };
  g_autofree char *when = kontor_ui_format_when (kontor_record_get_string (activity, when_field),
                                                 &self->today, TRUE);

  for (guint i = 0; about == NULL && i < G_N_ELEMENTS (links); i++)
    about = title_of (self, kontor_record_get_string (activity, links[i]));

  if (about != NULL)
    /* Translators: when an activity is due, then what it is about */
    return g_strdup_printf (_("%s · %s"), when, about);
  return g_steal_pointer (&when);
}

static void
clear_section (Section *section)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (section->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (section->list), child);
}

static void
finish_section (Section *section,
                guint    total)
{
  g_autofree char *count = g_strdup_printf ("%u", total);

  gtk_label_set_label (GTK_LABEL (section->count_label), count);
  gtk_widget_set_visible (section->box, total > 0);
}

static guint
count_query (KontorTodayPage *self,
             KontorQuery     *query)
{
  guint n = 0;
  g_autoptr(GError) error = NULL;

  if (!kontor_store_count (self->store, query, &n, &error))
    g_warning ("Cannot count: %s", error->message);
  return n;
}

static guint
fill_activities (KontorTodayPage *self,
                 Section         *section,
                 KontorQuery     *query,
                 const char      *when_field,
                 gboolean         with_check)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  found = kontor_store_query (self->store, query, 0, SECTION_ROWS, &error);
  if (found == NULL)
    {
      g_warning ("Cannot read activities: %s", error->message);
      return 0;
    }
  for (guint i = 0; i < found->len; i++)
    {
      KontorRecord *activity = g_ptr_array_index (found, i);
      g_autofree char *subtitle = activity_subtitle (self, activity, when_field);

      gtk_list_box_append (GTK_LIST_BOX (section->list),
                           new_row (self, activity, subtitle, with_check));
    }
  return count_query (self, query);
}

static void
add_deal_row (KontorTodayPage *self,
              Section         *section,
              KontorRecord    *deal,
              const char      *reason)
{
  JsonNode *value = kontor_record_get_value (deal, "value");
  g_autofree char *money = NULL;
  g_autofree char *subtitle = NULL;

  if (value != NULL && JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *obj = json_node_get_object (value);

      money = kontor_ui_format_money (json_object_get_int_member_with_default (obj, "minor", 0),
                                      json_object_get_string_member_with_default (obj, "currency",
                                                                                  NULL));
    }
  /* Translators: a deal's value, then why it needs attention */
  subtitle = money ? g_strdup_printf (_("%s · %s"), money, reason) : g_strdup (reason);
  gtk_list_box_append (GTK_LIST_BOX (section->list), new_row (self, deal, subtitle, FALSE));
}

/* Open deals whose close date passed, then open deals without an activity
 * (planned or done) within STALE_DAYS days. */
static guint
fill_attention (KontorTodayPage *self,
                Section         *section,
                const char      *today_date,
                const char      *stale_start)
{
  g_autoptr(KontorQuery) late = new_query (self, "deal");
  g_autoptr(KontorQuery) open = new_query (self, "deal");
  g_autoptr(GPtrArray) late_deals = NULL;
  g_autoptr(GPtrArray) open_deals = NULL;
  g_autoptr(GHashTable) active = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *fields[] = { "due", "start" };
  guint shown = 0, total = 0;

  add (late, "status", KONTOR_QUERY_EQ, "open");
  add (late, "close_date", KONTOR_QUERY_LT, today_date);
  kontor_query_add_sort (late, "close_date", FALSE);
  late_deals = kontor_store_query (self->store, late, 0, 0, NULL);

  for (guint i = 0; late_deals != NULL && i < late_deals->len; i++)
    {
      KontorRecord *deal = g_ptr_array_index (late_deals, i);
      g_autofree char *date = kontor_ui_format_date (kontor_record_get_string (deal, "close_date"));
      g_autofree char *reason = g_strdup_printf (_("Close date passed on %s"), date);

      g_hash_table_add (active, g_strdup (kontor_record_get_id (deal)));
      total++;
      if (shown++ < SECTION_ROWS)
        add_deal_row (self, section, deal, reason);
    }

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autoptr(KontorQuery) recent = kontor_query_new ("activity");
      g_autoptr(GPtrArray) found = NULL;

      add (recent, "deal", KONTOR_QUERY_NOT_EMPTY, NULL);
      add (recent, fields[f], KONTOR_QUERY_GE, stale_start);
      found = kontor_store_query (self->store, recent, 0, 0, NULL);
      for (guint i = 0; found != NULL && i < found->len; i++)
        g_hash_table_add (active, g_strdup (kontor_record_get_string (g_ptr_array_index (found, i),
                                                                      "deal")));
    }

  add (open, "status", KONTOR_QUERY_EQ, "open");
  kontor_query_add_sort (open, "value", TRUE);
  open_deals = kontor_store_query (self->store, open, 0, 0, NULL);
  for (guint i = 0; open_deals != NULL && i < open_deals->len; i++)
    {
      KontorRecord *deal = g_ptr_array_index (open_deals, i);
      g_autofree char *reason = NULL;

      if (g_hash_table_contains (active, kontor_record_get_id (deal)))
        continue;
      total++;
      if (shown++ >= SECTION_ROWS)
        continue;
      reason = g_strdup_printf (ngettext ("No activity in the last %u day",
                                          "No activity in the last %u days",
                                          STALE_DAYS), STALE_DAYS);
      add_deal_row (self, section, deal, reason);
    }

  return total;
}

static guint
fill_changes (KontorTodayPage *self,
              Section         *section)
{
  static const char * const kinds[] = {
    "contact", "organization", "lead", "deal", "activity", "voice_note", NULL
  };
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GError) error = NULL;
  KontorSchema *schema = kontor_store_get_schema (self->store);
  guint total = 0;

  if (self->last_visit <= 0)
    return 0;

  changed = kontor_store_list_changed_since (self->store, self->last_visit, 200, &error);
  if (changed == NULL)
    {
      g_warning ("Cannot read changes: %s", error->message);
      return 0;
    }

  for (guint i = 0; i < changed->len; i++)
    {
      KontorRecord *record = g_ptr_array_index (changed, i);
      KontorKind *kind = kontor_schema_get_kind (schema, kontor_record_get_kind (record));

      if (!g_strv_contains (kinds, kontor_record_get_kind (record)) || kind == NULL)
        continue;
      if (self->owner != NULL &&
          g_strcmp0 (kontor_record_get_string (record, "owner"), self->owner) != 0)
        continue;
      if (total++ < SECTION_ROWS)
        gtk_list_box_append (GTK_LIST_BOX (section->list),
                             new_row (self, record, _(kontor_kind_get_label (kind)), FALSE));
    }

  return total;
}

void
kontor_today_page_reload (KontorTodayPage *self)
{
  g_autofree char *t0 = NULL;
  g_autofree char *t1 = NULL;
  g_autofree char *stale = NULL;
  char today_date[16];
  char date_text[128];
  gboolean any = FALSE;
  guint totals[N_SECTIONS] = { 0 };

  g_return_if_fail (KONTOR_IS_TODAY_PAGE (self));

  if (self->store == NULL)
    return;

  kontor_ui_parse_today (self->today_text, &self->today);
  t0 = kontor_ui_day_start_utc (&self->today, 0);
  t1 = kontor_ui_day_start_utc (&self->today, 1);
  stale = kontor_ui_day_start_utc (&self->today, -STALE_DAYS);
  g_date_strftime (today_date, sizeof today_date, "%Y-%m-%d", &self->today);
  if (g_date_strftime (date_text, sizeof date_text, "%A, %x", &self->today) > 0)
    gtk_label_set_label (self->date_label, date_text);

  for (guint i = 0; i < N_SECTIONS; i++)
    clear_section (&self->sections[i]);

  {
    g_autoptr(KontorQuery) q = new_query (self, "activity");

    add (q, "start", KONTOR_QUERY_GE, t0);
    add (q, "start", KONTOR_QUERY_LT, t1);
    add (q, "type", KONTOR_QUERY_NE, "note");
    kontor_query_add_sort (q, "start", FALSE);
    totals[SECTION_SCHEDULE] = fill_activities (self, &self->sections[SECTION_SCHEDULE], q,
                                                "start", FALSE);
  }
  {
    g_autoptr(KontorQuery) q = new_query (self, "activity");

    add (q, "due", KONTOR_QUERY_GE, t0);
    add (q, "due", KONTOR_QUERY_LT, t1);
    add (q, "done", KONTOR_QUERY_NE, "true");
    kontor_query_add_sort (q, "due", FALSE);
    totals[SECTION_DUE] = fill_activities (self, &self->sections[SECTION_DUE], q, "due", TRUE);
  }
  {
    g_autoptr(KontorQuery) q = new_query (self, "activity");

    add (q, "due", KONTOR_QUERY_LT, t0);
    add (q, "done", KONTOR_QUERY_NE, "true");
    add (q, "type", KONTOR_QUERY_NE, "note");
    kontor_query_add_sort (q, "due", FALSE);
    totals[SECTION_OVERDUE] = fill_activities (self, &self->sections[SECTION_OVERDUE], q,
                                               "due", TRUE);
  }
  totals[SECTION_ATTENTION] = fill_attention (self, &self->sections[SECTION_ATTENTION],
                                              today_date, stale);
  totals[SECTION_CHANGES] = fill_changes (self, &self->sections[SECTION_CHANGES]);

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      finish_section (&self->sections[i], totals[i]);
      any |= totals[i] > 0;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), !any);
}

static gboolean
on_idle_reload (gpointer data)
{
  KontorTodayPage *self = data;

  self->idle_id = 0;
  /* a page out of sight (another area is open) reloads when shown again,
   * not after every edit made elsewhere */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else
    kontor_today_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
kontor_today_page_map (GtkWidget *widget)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (widget);

  GTK_WIDGET_CLASS (kontor_today_page_parent_class)->map (widget);
  if (self->stale)
    {
      self->stale = FALSE;
      kontor_today_page_reload (self);
    }
}

static void
on_store_changed (KontorStore     *store,
                  const char      *kind,
                  KontorTodayPage *self)
{
  static const char * const kinds[] = {
    "contact", "organization", "lead", "deal", "activity", "voice_note", NULL
  };

  if (!g_strv_contains (kinds, kind) || self->idle_id != 0)
    return;
  self->idle_id = g_idle_add (on_idle_reload, self);
}

/* ---------------------------------------------------------------------- */
/* One-click capture                                                      */

static void
show_error (KontorTodayPage *self,
            const GError    *error)
{
  g_autofree char *text = g_strdup_printf (_("Cannot save: %s"), error->message);

  if (!kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (text)))
    g_warning ("%s", text);
}

static void
on_note_popover_show (KontorTodayPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

static void
on_note_text_changed (KontorTodayPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  gtk_widget_set_sensitive (GTK_WIDGET (self->note_save_button), *stripped != '\0');
}

static void
on_note_save (KontorTodayPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_entry))));
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *start = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  if (*text == '\0')
    return;

  json_object_set_string_member (values, "type", "note");
  json_object_set_string_member (values, "subject", text);
  json_object_set_string_member (values, "start", start);
  if (self->owner != NULL)
    json_object_set_string_member (values, "owner", self->owner);
  note = kontor_store_create (self->store, "activity", NULL, values, NULL, &error);
  if (note == NULL)
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  gtk_popover_popdown (self->note_popover);
  kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (_("Note saved")));
}

static void
on_lead_popover_show (KontorTodayPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->lead_title_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->lead_company_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->lead_title_entry));
}

static void
on_lead_text_changed (KontorTodayPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->lead_title_entry))));

  gtk_widget_set_sensitive (GTK_WIDGET (self->lead_create_button), *text != '\0');
}

static void
on_lead_create (KontorTodayPage *self)
{
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->lead_title_entry))));
  g_autofree char *company = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->lead_company_entry))));
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(KontorRecord) lead = NULL;
  g_autoptr(GError) error = NULL;

  if (*title == '\0')
    return;

  json_object_set_string_member (values, "title", title);
  json_object_set_string_member (values, "status", "new");
  if (*company != '\0')
    json_object_set_string_member (values, "company", company);
  if (self->owner != NULL)
    json_object_set_string_member (values, "owner", self->owner);
  lead = kontor_store_create (self->store, "lead", NULL, values, NULL, &error);
  if (lead == NULL)
    {
      show_error (self, error);
      return;
    }
  gtk_popover_popdown (self->lead_popover);
  kontor_ui_add_toast (GTK_WIDGET (self), adw_toast_new (_("Lead created")));
  g_signal_emit (self, signals[OPEN_RECORD], 0, "lead", kontor_record_get_id (lead));
}

/* ---------------------------------------------------------------------- */

static void
build_sections (KontorTodayPage *self)
{
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Section *section = &self->sections[i];
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *title = gtk_label_new (_(section_info[i].title));

      section->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (title, "heading");
      section->count_label = gtk_label_new (NULL);
      gtk_widget_add_css_class (section->count_label, "dim-label");
      gtk_widget_add_css_class (section->count_label, "numeric");
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (header), section->count_label);

      section->list = gtk_list_box_new ();
      gtk_widget_set_name (section->list, section_info[i].name);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (section->list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (section->list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(section_info[i].title), -1);

      gtk_box_append (GTK_BOX (section->box), header);
      gtk_box_append (GTK_BOX (section->box), section->list);
      gtk_widget_set_visible (section->box, FALSE);
      gtk_box_append (self->sections_box, section->box);
    }
}

GtkWidget *
kontor_today_page_new (KontorStore *store)
{
  g_return_val_if_fail (KONTOR_IS_STORE (store), NULL);

  return g_object_new (KONTOR_TYPE_TODAY_PAGE, "store", store, NULL);
}

const char *
kontor_today_page_get_today (KontorTodayPage *self)
{
  g_return_val_if_fail (KONTOR_IS_TODAY_PAGE (self), NULL);

  return self->today_text;
}

void
kontor_today_page_set_today (KontorTodayPage *self,
                             const char      *today)
{
  g_return_if_fail (KONTOR_IS_TODAY_PAGE (self));

  if (!set_str (&self->today_text, today))
    return;
  kontor_today_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TODAY]);
}

const char *
kontor_today_page_get_owner (KontorTodayPage *self)
{
  g_return_val_if_fail (KONTOR_IS_TODAY_PAGE (self), NULL);

  return self->owner;
}

void
kontor_today_page_set_owner (KontorTodayPage *self,
                             const char      *owner)
{
  g_return_if_fail (KONTOR_IS_TODAY_PAGE (self));

  if (!set_str (&self->owner, owner))
    return;
  kontor_today_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OWNER]);
}

static void
kontor_today_page_constructed (GObject *object)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (object);

  G_OBJECT_CLASS (kontor_today_page_parent_class)->constructed (object);

  if (self->store != NULL)
    {
      g_autofree char *last = kontor_store_get_setting (self->store, "today_last_visit");
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);
      g_autoptr(GError) error = NULL;

      self->last_visit = last != NULL ? g_ascii_strtoll (last, NULL, 10) : 0;
      if (!kontor_store_set_setting (self->store, "today_last_visit", now, &error))
        g_warning ("Cannot store the time of this visit: %s", error->message);

      self->changed_id = g_signal_connect (self->store, "changed",
                                           G_CALLBACK (on_store_changed), self);
      kontor_today_page_reload (self);
    }
}

static void
kontor_today_page_dispose (GObject *object)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), KONTOR_TYPE_TODAY_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (kontor_today_page_parent_class)->dispose (object);
}

static void
kontor_today_page_finalize (GObject *object)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (object);

  g_free (self->today_text);
  g_free (self->owner);

  G_OBJECT_CLASS (kontor_today_page_parent_class)->finalize (object);
}

static void
kontor_today_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TODAY:
      g_value_set_string (value, self->today_text);
      break;
    case PROP_OWNER:
      g_value_set_string (value, self->owner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_today_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  KontorTodayPage *self = KONTOR_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TODAY:
      kontor_today_page_set_today (self, g_value_get_string (value));
      break;
    case PROP_OWNER:
      kontor_today_page_set_owner (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kontor_today_page_class_init (KontorTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = kontor_today_page_map;

  object_class->constructed = kontor_today_page_constructed;
  object_class->dispose = kontor_today_page_dispose;
  object_class->finalize = kontor_today_page_finalize;
  object_class->get_property = kontor_today_page_get_property;
  object_class->set_property = kontor_today_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KONTOR_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TODAY] =
    g_param_spec_string ("today", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWNER] =
    g_param_spec_string ("owner", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_RECORD] = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/kontor/Kontor/kontor-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, date_label);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, lead_company_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, lead_create_button);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, lead_popover);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, lead_title_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, note_popover);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, note_save_button);
  gtk_widget_class_bind_template_child (widget_class, KontorTodayPage, sections_box);
  gtk_widget_class_bind_template_callback (widget_class, on_lead_create);
  gtk_widget_class_bind_template_callback (widget_class, on_lead_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_lead_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_note_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_note_save);
  gtk_widget_class_bind_template_callback (widget_class, on_note_text_changed);
}

static void
kontor_today_page_init (KontorTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_sections (self);
}
