/* kontor-io.c: dates as files hold them, import problems
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kontor-io"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kontor-io.h"
#include "kontor-validate.h"

G_DEFINE_QUARK (kontor-io-error-quark, kontor_io_error)

KontorImportProblem *
kontor_import_problem_new (guint       line,
                           const char *field,
                           const char *message,
                           gboolean    fatal)
{
  KontorImportProblem *p = g_new0 (KontorImportProblem, 1);

  p->line = line;
  p->field = g_strdup (field);
  p->message = g_strdup (message);
  p->fatal = fatal;
  return p;
}

void
kontor_import_problem_free (KontorImportProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

char *
kontor_import_problem_to_string (const KontorImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->line > 0 && problem->field != NULL)
    return g_strdup_printf (_("line %u: %s: %s"), problem->line, problem->field,
                            problem->message);
  if (problem->line > 0)
    return g_strdup_printf (_("line %u: %s"), problem->line, problem->message);
  if (problem->field != NULL)
    return g_strdup_printf ("%s: %s", problem->field, problem->message);
  return g_strdup (problem->message);
}

/* Splits "12.3.2026" into three runs of digits with one and the same
 * separator between them. */
static gboolean
split_date (const char *text,
            char        parts[3][8],
            guint       lengths[3])
{
  const char *p = text;
  char sep = 0;

  for (guint i = 0; i < 3; i++)
    {
      guint n = 0;

      while (g_ascii_isdigit (*p))
        {
          if (n >= 7)
            return FALSE;
          parts[i][n++] = *p++;
        }
      parts[i][n] = '\0';
      lengths[i] = n;
      if (n == 0)
        return FALSE;

      if (i < 2)
        {
          if (*p != '.' && *p != '/' && *p != '-')
            return FALSE;
          if (sep != 0 && *p != sep)
            return FALSE;
          sep = *p++;
        }
    }

  /* a German "3.12.2026." ends with the separator too */
  if (*p == '.' && sep == '.')
    p++;

  return *p == '\0';
}

static gboolean
is_iso_basic (const char *text)
{
  return strlen (text) == 8 && strspn (text, "0123456789") == 8;
}

static gboolean
date_from_parts (char         parts[3][8],
                 guint        lengths[3],
                 KontorDateOrder order,
                 char       **iso,
                 GError     **error)
{
  guint d, m, y;
  g_autofree char *candidate = NULL;

  switch (order)
    {
    case KONTOR_DATE_ORDER_DMY:
      d = 0, m = 1, y = 2;
      break;
    case KONTOR_DATE_ORDER_MDY:
      m = 0, d = 1, y = 2;
      break;
    case KONTOR_DATE_ORDER_YMD:
      y = 0, m = 1, d = 2;
      break;
    case KONTOR_DATE_ORDER_ISO:
    default:
      g_assert_not_reached ();
    }

  if (lengths[y] != 4)
    {
      g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED,
                           lengths[y] == 2
                           ? _("the year has two digits; write it with four")
                           : _("not a date"));
      return FALSE;
    }
  if (lengths[m] > 2 || lengths[d] > 2)
    {
      g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED, _("not a date"));
      return FALSE;
    }

  candidate = g_strdup_printf ("%s-%02u-%02u", parts[y],
                               (guint) g_ascii_strtoull (parts[m], NULL, 10),
                               (guint) g_ascii_strtoull (parts[d], NULL, 10));
  return kontor_validate_date (candidate, iso, error);
}

gboolean
kontor_date_parse (const char       *text,
                   KontorDateOrder   order,
                   char            **iso,
                   GError          **error)
{
  g_autofree char *trimmed = NULL;
  char parts[3][8];
  guint lengths[3];

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (iso != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (is_iso_basic (trimmed))
    {
      g_autofree char *dashed = g_strdup_printf ("%.4s-%.2s-%.2s", trimmed, trimmed + 4,
                                                 trimmed + 6);
      return kontor_validate_date (dashed, iso, error);
    }

  if (split_date (trimmed, parts, lengths) && lengths[0] == 4 && trimmed[4] == '-')
    return date_from_parts (parts, lengths, KONTOR_DATE_ORDER_YMD, iso, error);

  if (order == KONTOR_DATE_ORDER_ISO)
    {
      g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED,
                   _("“%s” is not an ISO date (YYYY-MM-DD); choose the order of day, "
                     "month and year for this file"), trimmed);
      return FALSE;
    }

  if (order != KONTOR_DATE_ORDER_DMY && order != KONTOR_DATE_ORDER_MDY &&
      order != KONTOR_DATE_ORDER_YMD)
    {
      g_set_error_literal (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED,
                           _("choose one order of day, month and year"));
      return FALSE;
    }

  if (!split_date (trimmed, parts, lengths))
    {
      g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED,
                   _("“%s” is not a date"), trimmed);
      return FALSE;
    }

  {
    g_autoptr(GError) local = NULL;

    if (!date_from_parts (parts, lengths, order, iso, &local))
      {
        g_set_error (error, KONTOR_IO_ERROR, KONTOR_IO_ERROR_FAILED, "“%s”: %s", trimmed,
                     local->message);
        return FALSE;
      }
  }

  return TRUE;
}

KontorDateOrder
kontor_date_orders_possible (const char *text)
{
  static const KontorDateOrder orders[] = {
    KONTOR_DATE_ORDER_DMY, KONTOR_DATE_ORDER_MDY, KONTOR_DATE_ORDER_YMD
  };
  g_autofree char *trimmed = NULL;
  char parts[3][8];
  guint lengths[3];
  KontorDateOrder possible = 0;

  g_return_val_if_fail (text != NULL, 0);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return KONTOR_DATE_ORDER_ALL;

  {
    g_autofree char *iso = NULL;

    if (kontor_date_parse (trimmed, KONTOR_DATE_ORDER_ISO, &iso, NULL))
      return KONTOR_DATE_ORDER_ALL;
  }

  if (!split_date (trimmed, parts, lengths))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autofree char *iso = NULL;

      if (date_from_parts (parts, lengths, orders[i], &iso, NULL))
        possible |= orders[i];
    }

  return possible;
}
