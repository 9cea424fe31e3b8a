/* test-ui-board.c: the deals board with real widgets, a real replica and a
 * real pointer drag under Xvfb
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <stdlib.h>

#include "kontor-deal-board.h"
#include "kontor-ui-format.h"
#include "kontor-ui-test.h"

typedef struct
{
  KontorTestStore *ts;
  char            *pipeline;
  char            *stages[4];
  char            *deals[5];
  GtkWidget       *window;
  GtkWidget       *board;
  char            *opened;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  KontorStore *store;
  g_autofree char *org = NULL;
  g_autofree char *other_pipeline = NULL;
  g_autofree char *other_stage = NULL;

  f->ts = kontor_test_store_new ();
  store = f->ts->store;

  f->pipeline = kontor_test_create (store, "pipeline", "name", "Neukunden", "position", "1", NULL);
  other_pipeline = kontor_test_create (store, "pipeline", "name", "Bestand", "position", "2", NULL);
  /* created out of order: the board orders by position */
  f->stages[2] = kontor_test_create (store, "stage", "name", "Angebot", "pipeline", f->pipeline,
                                     "position", "3", NULL);
  f->stages[0] = kontor_test_create (store, "stage", "name", "Erstkontakt", "pipeline", f->pipeline,
                                     "position", "1", NULL);
  f->stages[1] = kontor_test_create (store, "stage", "name", "Bedarfsanalyse",
                                     "pipeline", f->pipeline, "position", "2", NULL);
  f->stages[3] = kontor_test_create (store, "stage", "name", "Gewonnen", "pipeline", f->pipeline,
                                     "position", "4", "outcome", "won", NULL);
  other_stage = kontor_test_create (store, "stage", "name", "Verlängerung",
                                    "pipeline", other_pipeline, "position", "1", NULL);
  org = kontor_test_create (store, "organization", "name", "Müller Maschinenbau GmbH", NULL);

  f->deals[0] = kontor_test_create (store, "deal", "title", "Fräsmaschine", "pipeline", f->pipeline,
                                    "stage", f->stages[0], "status", "open",
                                    "value", "1000.00 EUR", "organization", org,
                                    "close_date", "2026-12-20", NULL);
  f->deals[1] = kontor_test_create (store, "deal", "title", "Wartungsvertrag", "pipeline", f->pipeline,
                                    "stage", f->stages[0], "status", "open",
                                    "value", "500.00 EUR", "close_date", "2026-12-21", NULL);
  f->deals[2] = kontor_test_create (store, "deal", "title", "Ersatzteile", "pipeline", f->pipeline,
                                    "stage", f->stages[1], "status", "open",
                                    "value", "300.00 EUR", NULL);
  f->deals[3] = kontor_test_create (store, "deal", "title", "US-Vertrieb", "pipeline", f->pipeline,
                                    "stage", f->stages[1], "status", "open",
                                    "value", "50.00 USD", NULL);
  f->deals[4] = kontor_test_create (store, "deal", "title", "Anderes", "pipeline", other_pipeline,
                                    "stage", other_stage, "value", "9.99 EUR", NULL);
  g_free (kontor_test_create (store, "activity", "type", "call", "subject", "Angebot besprechen",
                              "due", "2026-12-04T09:00:00Z", "deal", f->deals[0], NULL));

  f->board = g_object_new (KONTOR_TYPE_DEAL_BOARD, "store", store, "today", "2026-12-03", NULL);
  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "test-ui-board");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 700);
  gtk_window_set_child (GTK_WINDOW (f->window), f->board);
  gtk_window_present (GTK_WINDOW (f->window));
  kontor_test_spin (400);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  kontor_test_spin (50);
  g_free (f->pipeline);
  for (guint i = 0; i < G_N_ELEMENTS (f->stages); i++)
    g_free (f->stages[i]);
  for (guint i = 0; i < G_N_ELEMENTS (f->deals); i++)
    g_free (f->deals[i]);
  g_free (f->opened);
  kontor_test_store_free (f->ts);
}

static GtkWidget *
column_of (Fixture *f,
           guint    i)
{
  return kontor_test_find (f->board, "kontor-stage-id", f->stages[i]);
}

/* The header of a column: name, deal count, sum. */
static void
assert_column (Fixture    *f,
               guint       i,
               const char *name,
               const char *count,
               const char *sum)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *column = column_of (f, i);

  g_assert_nonnull (column);
  kontor_test_collect_type (column, GTK_TYPE_LABEL, FALSE, labels);
  g_assert_cmpuint (labels->len, >=, 3);
  g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 0)), ==, name);
  g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 1)), ==, count);
  g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 2)), ==, sum);
}

static gboolean
card_in_column (Fixture *f,
                guint    column,
                guint    deal)
{
  return kontor_test_find (column_of (f, column), "kontor-deal-id", f->deals[deal]) != NULL;
}

static void
test_board_money_format (void)
{
  g_autofree char *de = kontor_ui_format_money_full (123456, "EUR", ",", ".", FALSE, TRUE);
  g_autofree char *en = kontor_ui_format_money_full (123456789, "USD", ".", ",", TRUE, FALSE);
  g_autofree char *neg = kontor_ui_format_money_full (-5, "CHF", ".", "'", TRUE, TRUE);
  g_autofree char *yen = kontor_ui_format_money_full (1234, "JPY", ".", ",", TRUE, FALSE);

  g_assert_cmpstr (de, ==, "1.234,56 €");
  g_assert_cmpstr (en, ==, "$1,234,567.89");
  g_assert_cmpstr (neg, ==, "CHF −0.05");
  g_assert_cmpstr (yen, ==, "¥1,234");
}

static void
test_board_columns (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();

  g_assert_cmpstr (kontor_deal_board_get_pipeline (KONTOR_DEAL_BOARD (f->board)), ==, f->pipeline);
  kontor_test_collect (f->board, "kontor-stage-id", NULL, columns);
  g_assert_cmpuint (columns->len, ==, 4);
  /* by position, not by creation */
  g_assert_true (g_ptr_array_index (columns, 0) == column_of (f, 0));
  g_assert_true (g_ptr_array_index (columns, 2) == column_of (f, 2));

  /* C locale (kontor_test_ui_init): no grouping, symbol first */
  assert_column (f, 0, "Erstkontakt", "2 deals", "€1500.00");
  assert_column (f, 1, "Bedarfsanalyse", "2 deals", "€300.00 · $50.00");
  assert_column (f, 2, "Angebot", "0 deals", "—");
  assert_column (f, 3, "Gewonnen", "0 deals", "—");

  kontor_test_collect (f->board, "kontor-deal-id", NULL, cards);
  g_assert_cmpuint (cards->len, ==, 4);
  g_assert_true (card_in_column (f, 0, 0));
  g_assert_true (card_in_column (f, 1, 3));

  /* the card shows value, organisation and the next open activity */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    GtkWidget *card = kontor_test_find (f->board, "kontor-deal-id", f->deals[0]);

    kontor_test_collect_type (card, GTK_TYPE_LABEL, TRUE, labels);
    g_assert_cmpuint (labels->len, ==, 4);
    g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 0)), ==, "Fräsmaschine");
    g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 1)), ==, "€1000.00");
    g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 2)), ==,
                     "Müller Maschinenbau GmbH");
    g_assert_cmpstr (gtk_label_get_label (g_ptr_array_index (labels, 3)), ==,
                     "Next: Angebot besprechen (Tomorrow, 09:00)");
  }
}

static void
on_waited (GObject      *proc,
           GAsyncResult *result,
           gpointer      data)
{
  gboolean *done = data;

  g_subprocess_wait_finish (G_SUBPROCESS (proc), result, NULL);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
run_xdotool (const char * const *args)
{
  gboolean done = FALSE;

  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  if (proc == NULL)
    {
      g_test_message ("xdotool: %s", error->message);
      return FALSE;
    }
  /* the app must keep handling events while xdotool talks to the server */
  g_subprocess_wait_async (proc, NULL, on_waited, &done);
  g_assert_true (kontor_test_wait (is_true, &done, 10000));
  kontor_test_spin (30);
  return g_subprocess_get_successful (proc);
}

/* The centre of widget in X screen coordinates of the window's surface. */
static void
surface_point (Fixture   *f,
               GtkWidget *widget,
               double     fx,
               double     fy,
               int       *x,
               int       *y)
{
  graphene_point_t in = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) * fx,
                                             gtk_widget_get_height (widget) * fy);
  graphene_point_t out;
  double sx, sy;

  g_assert_true (gtk_widget_compute_point (widget, f->window, &in, &out));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  *x = (int) (out.x + sx);
  *y = (int) (out.y + sy);
}

static gboolean
deal_in_stage (gpointer data)
{
  Fixture *f = data;
  g_autoptr(KontorRecord) deal = kontor_store_get (f->ts->store, f->deals[0], NULL);

  return g_strcmp0 (kontor_record_get_string (deal, "stage"), f->stages[1]) == 0;
}

/* A real pointer drag through the X server: xdotool presses the button on
 * the card, moves in steps over the next column and releases it. GTK sees
 * ordinary X events and runs its own XDND drag to its own window. */
static gboolean
drag_with_pointer (Fixture   *f,
                   GtkWidget *card,
                   GtkWidget *column)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  int x0, y0, x1, y1;

  surface_point (f, card, 0.3, 0.3, &x0, &y0);
  surface_point (f, column, 0.5, 0.5, &x1, &y1);

  {
    g_autofree char *sx = g_strdup_printf ("%d", x0);
    g_autofree char *sy = g_strdup_printf ("%d", y0);

    if (!run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, NULL }) ||
        !run_xdotool ((const char *[]) { "mousedown", "1", NULL }))
      return FALSE;
  }

  for (int step = 1; step <= 12; step++)
    {
      g_autofree char *sx = g_strdup_printf ("%d", x0 + (x1 - x0) * step / 12);
      g_autofree char *sy = g_strdup_printf ("%d", y0 + (y1 - y0) * step / 12);

      if (!run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, NULL }))
        return FALSE;
      kontor_test_spin (40);
    }
  kontor_test_spin (150);
  if (!run_xdotool ((const char *[]) { "mouseup", "1", NULL }))
    return FALSE;

  return kontor_test_wait (deal_in_stage, f, 3000);
}

/* Without a usable pointer (no xdotool): the column's real GtkDropTarget
 * receives the value of the card's real GtkDragSource content provider. */
static gboolean
drag_with_signals (Fixture   *f,
                   GtkWidget *card,
                   GtkWidget *column)
{
  GtkDragSource *source = NULL;
  GtkDropTarget *target = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GListModel *controllers;
  gboolean ret = FALSE;

  controllers = gtk_widget_observe_controllers (card);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (c))
        source = GTK_DRAG_SOURCE (c);
    }
  g_object_unref (controllers);
  controllers = gtk_widget_observe_controllers (column);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (c))
        target = GTK_DROP_TARGET (c);
    }
  g_object_unref (controllers);
  g_assert_nonnull (source);
  g_assert_nonnull (target);

  g_signal_emit_by_name (source, "prepare", 10.0, 10.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (target, "drop", &value, 20.0, 20.0, &ret);
  g_assert_true (ret);
  return kontor_test_wait (deal_in_stage, f, 3000);
}

static gboolean
totals_moved (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  kontor_test_collect_type (column_of (f, 1), GTK_TYPE_LABEL, FALSE, labels);
  return g_str_equal (gtk_label_get_label (g_ptr_array_index (labels, 1)), "3 deals") &&
         card_in_column (f, 1, 0);
}

static void
test_board_drag (Fixture       *f,
                 gconstpointer  data)
{
  GtkWidget *card = kontor_test_find (column_of (f, 0), "kontor-deal-id", f->deals[0]);
  guint outbox_before = kontor_store_outbox_count (f->ts->store);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  g_assert_nonnull (card);
  if (g_getenv ("KONTOR_TEST_DRAG_SIGNALS") == NULL &&
      g_find_program_in_path ("xdotool") != NULL)
    {
      g_assert_true (drag_with_pointer (f, card, column_of (f, 1)));
    }
  else
    {
      g_test_message ("no xdotool: dropping through the controllers' signals");
      g_assert_true (drag_with_signals (f, card, column_of (f, 1)));
    }

  /* the store has the next stage and one new outbox entry for the deal */
  g_assert_true (deal_in_stage (f));
  g_assert_cmpuint (kontor_store_outbox_count (f->ts->store), ==, outbox_before + 1);
  outbox = kontor_store_outbox_list (f->ts->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < outbox->len; i++)
    {
      JsonObject *entry = json_node_get_object (g_ptr_array_index (outbox, i));

      if (g_strcmp0 (json_object_get_string_member (entry, "record"), f->deals[0]) == 0 &&
          json_object_has_member (json_object_get_object_member (entry, "fields"), "stage"))
        found = TRUE;
    }
  g_assert_true (found);

  /* the board followed the store by itself */
  g_assert_true (kontor_test_wait (totals_moved, f, 3000));
  assert_column (f, 0, "Erstkontakt", "1 deal", "€500.00");
  assert_column (f, 1, "Bedarfsanalyse", "3 deals", "€1300.00 · $50.00");
}

static gboolean
deal_won (gpointer data)
{
  Fixture *f = data;
  g_autoptr(KontorRecord) deal = kontor_store_get (f->ts->store, f->deals[2], NULL);

  return g_strcmp0 (kontor_record_get_string (deal, "stage"), f->stages[2]) == 0;
}

static gboolean
deal1_moved (gpointer data)
{
  Fixture *f = data;
  g_autoptr(KontorRecord) deal = kontor_store_get (f->ts->store, f->deals[1], NULL);

  return g_strcmp0 (kontor_record_get_string (deal, "stage"), f->stages[1]) == 0;
}

static void
on_open_record (KontorDealBoard *board,
                const char      *kind,
                const char      *id,
                Fixture         *f)
{
  g_assert_cmpstr (kind, ==, "deal");
  g_free (f->opened);
  f->opened = g_strdup (id);
}

/* The keyboard way: the card's "Move to next stage" action, then the won
 * stage sets the status. */
static void
test_board_move_next_action (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KontorRecord) deal = NULL;

  g_assert_true (gtk_widget_activate_action (f->board, "board.move-next", "s", f->deals[2]));
  g_assert_true (kontor_test_wait (deal_won, f, 2000));
  g_assert_true (gtk_widget_activate_action (f->board, "board.move-next", "s", f->deals[2]));
  kontor_test_spin (100);
  deal = kontor_store_get (f->ts->store, f->deals[2], NULL);
  g_assert_cmpstr (kontor_record_get_string (deal, "stage"), ==, f->stages[3]);
  g_assert_cmpstr (kontor_record_get_string (deal, "status"), ==, "won");
  assert_column (f, 3, "Gewonnen", "1 deal", "€300.00");
  assert_column (f, 1, "Bedarfsanalyse", "1 deal", "$50.00");

  g_signal_connect (f->board, "open-record", G_CALLBACK (on_open_record), f);
  g_assert_true (gtk_widget_activate_action (f->board, "board.open", "s", f->deals[1]));
  g_assert_cmpstr (f->opened, ==, f->deals[1]);

  /* Alt+→ on the focused card, typed through the X server */
  if (g_find_program_in_path ("xdotool") != NULL)
    {
      GtkWidget *card = kontor_test_find (f->board, "kontor-deal-id", f->deals[1]);
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));
      g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
      int x, y;
      g_autofree char *sx = NULL;
      g_autofree char *sy = NULL;

      surface_point (f, card, 0.5, 0.9, &x, &y);
      sx = g_strdup_printf ("%d", x);
      sy = g_strdup_printf ("%d", y);
      g_assert_true (run_xdotool ((const char *[]) { "mousemove", "--window", xid, sx, sy, NULL }));
      g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (card)));
      kontor_test_spin (100);
      g_assert_true (run_xdotool ((const char *[]) { "key", "alt+Right", NULL }));
      g_assert_true (kontor_test_wait (deal1_moved, f, 2000));
      assert_column (f, 0, "Erstkontakt", "1 deal", "€1000.00");
    }
}

static void
test_board_pipeline_switch (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  GtkDropDown *dropdown = NULL;
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();

  kontor_test_collect_type (f->board, GTK_TYPE_DROP_DOWN, TRUE, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 1);
  dropdown = g_ptr_array_index (dropdowns, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
  gtk_drop_down_set_selected (dropdown, 1);
  kontor_test_spin (100);
  g_assert_cmpstr (kontor_deal_board_get_pipeline (KONTOR_DEAL_BOARD (f->board)), !=, f->pipeline);
  kontor_test_collect (f->board, "kontor-stage-id", NULL, columns);
  g_assert_cmpuint (columns->len, ==, 1);

  if (g_getenv ("KONTOR_TEST_PAUSE") != NULL)
    {
      gtk_drop_down_set_selected (dropdown, 0);
      kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
    }

  /* 360 px: the columns scroll sideways inside the board */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  gtk_drop_down_set_selected (dropdown, 0);
  kontor_test_spin (300);
  g_assert_cmpint (gtk_widget_get_width (f->window), <=, 400);
  if (g_getenv ("KONTOR_TEST_PAUSE") != NULL)
    kontor_test_spin (atoi (g_getenv ("KONTOR_TEST_PAUSE")));
}

int
main (int   argc,
      char *argv[])
{
  kontor_test_ui_init (&argc, &argv);

  g_test_add_func ("/ui/board/money-format", test_board_money_format);
  g_test_add ("/ui/board/columns", Fixture, NULL, fixture_set_up, test_board_columns,
              fixture_tear_down);
  g_test_add ("/ui/board/drag", Fixture, NULL, fixture_set_up, test_board_drag, fixture_tear_down);
  g_test_add ("/ui/board/move-next-action", Fixture, NULL, fixture_set_up,
              test_board_move_next_action, fixture_tear_down);
  g_test_add ("/ui/board/pipeline-switch", Fixture, NULL, fixture_set_up,
              test_board_pipeline_switch, fixture_tear_down);

  return g_test_run ();
}
