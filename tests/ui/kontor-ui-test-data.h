/* kontor-ui-test-data.h: the activities and deals around a fixed day that
 * test-ui-today and test-ui-activities share (reference day 2026-12-02,
 * TZ=UTC)
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kontor-ui-test.h"

#define TEST_TODAY "2026-12-02"

typedef struct
{
  char *org;
  char *task_today;       /* A: task due today 09:00, open */
  char *call_today_done;  /* B: call due today 15:00, done */
  char *meeting_today;    /* C: meeting today 11:00 */
  char *task_overdue;     /* D: task due 2026-11-28, open */
  char *task_past_done;   /* E: task due 2026-11-30, done */
  char *call_overdue;     /* F: call due 2026-11-01, open */
  char *task_upcoming;    /* G: task due 2026-12-05, open, on deal Y */
  char *meeting_upcoming; /* H: meeting 2026-12-10 */
  char *note_today;       /* I: note today (never listed) */
  char *task_later_done;  /* J: task due 2026-12-03, done */
  char *deal_late;        /* X: open, close date 2026-11-30 passed */
  char *deal_active;      /* Y: open, an activity on 2026-12-05 */
  char *deal_stale;       /* Z: open, no activity at all */
  char *deal_won;         /* W: won, close date passed (not open) */
} TestData;

static inline void
test_data_fill (KontorStore *store,
                TestData    *d)
{
  g_autofree char *pipeline = kontor_test_create (store, "pipeline", "name", "Neukunden", NULL);
  g_autofree char *stage = kontor_test_create (store, "stage", "name", "Angebot",
                                               "pipeline", pipeline, "position", "1", NULL);

  d->org = kontor_test_create (store, "organization", "name", "Bäckerei Schmidt & Söhne", NULL);
  d->deal_late = kontor_test_create (store, "deal", "title", "Ofen & Herd", "pipeline", pipeline,
                                     "stage", stage, "status", "open", "value", "2500.00 EUR",
                                     "close_date", "2026-11-30", NULL);
  d->deal_active = kontor_test_create (store, "deal", "title", "Kühlung", "pipeline", pipeline,
                                       "stage", stage, "status", "open",
                                       "close_date", "2027-01-15", NULL);
  d->deal_stale = kontor_test_create (store, "deal", "title", "Kasse", "pipeline", pipeline,
                                      "stage", stage, "status", "open", "value", "800.00 EUR",
                                      "close_date", "2027-01-20", NULL);
  d->deal_won = kontor_test_create (store, "deal", "title", "Theke", "pipeline", pipeline,
                                    "stage", stage, "status", "won",
                                    "close_date", "2026-11-01", NULL);

  d->task_today = kontor_test_create (store, "activity", "type", "task", "subject", "Angebot senden",
                                      "due", "2026-12-02T09:00:00Z", "done", "false",
                                      "organization", d->org, NULL);
  d->call_today_done = kontor_test_create (store, "activity", "type", "call",
                                           "subject", "Rückruf Frau Schmidt",
                                           "due", "2026-12-02T15:00:00Z", "done", "true", NULL);
  d->meeting_today = kontor_test_create (store, "activity", "type", "meeting",
                                         "subject", "Termin vor Ort",
                                         "start", "2026-12-02T11:00:00Z",
                                         "end", "2026-12-02T12:00:00Z", NULL);
  d->task_overdue = kontor_test_create (store, "activity", "type", "task",
                                        "subject", "Muster schicken",
                                        "due", "2026-11-28T10:00:00Z", NULL);
  d->task_past_done = kontor_test_create (store, "activity", "type", "task",
                                          "subject", "Preisliste", "due", "2026-11-30T10:00:00Z",
                                          "done", "true", NULL);
  d->call_overdue = kontor_test_create (store, "activity", "type", "call",
                                        "subject", "Nachfassen", "due", "2026-11-01T08:00:00Z",
                                        "done", "false", NULL);
  d->task_upcoming = kontor_test_create (store, "activity", "type", "task",
                                         "subject", "Vertrag prüfen",
                                         "due", "2026-12-05T10:00:00Z",
                                         "deal", d->deal_active, NULL);
  d->meeting_upcoming = kontor_test_create (store, "activity", "type", "meeting",
                                            "subject", "Messe", "start", "2026-12-10T09:00:00Z",
                                            NULL);
  d->note_today = kontor_test_create (store, "activity", "type", "note", "subject", "Notiz",
                                      "start", "2026-12-02T13:00:00Z", NULL);
  d->task_later_done = kontor_test_create (store, "activity", "type", "task",
                                           "subject", "Erledigt", "due", "2026-12-03T10:00:00Z",
                                           "done", "true", NULL);
}

static inline void
test_data_clear (TestData *d)
{
  char **fields[] = {
    &d->org, &d->task_today, &d->call_today_done, &d->meeting_today, &d->task_overdue,
    &d->task_past_done, &d->call_overdue, &d->task_upcoming, &d->meeting_upcoming,
    &d->note_today, &d->task_later_done, &d->deal_late, &d->deal_active, &d->deal_stale,
    &d->deal_won,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

static inline gboolean
test_activity_done (KontorStore *store,
                    const char  *id)
{
  g_autoptr(KontorRecord) record = kontor_store_get (store, id, NULL);
  JsonNode *done = kontor_record_get_value (record, "done");

  return done != NULL && JSON_NODE_HOLDS_VALUE (done) && json_node_get_boolean (done);
}

/* The check button in the row (or list item) that carries id. */
static inline GtkWidget *
test_find_check (GtkWidget  *root,
                 const char *id)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  kontor_test_collect (root, "kontor-id", id, checks);
  for (guint i = 0; i < checks->len; i++)
    if (GTK_IS_CHECK_BUTTON (g_ptr_array_index (checks, i)))
      return g_ptr_array_index (checks, i);
  return NULL;
}
