/* main.c: kontor-cli
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kontor-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* KONTOR_LOCALEDIR: translations of a build tree (tools/run sets it) */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KONTOR_LOCALEDIR") ? g_getenv ("KONTOR_LOCALEDIR")
                                                                 : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return kontor_cli_run (argc, argv);
}
