/* kontor-cli-io.h: import, export, duplicates and merge on the command line
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "kontor-store.h"

G_BEGIN_DECLS

/* TRUE if the command of a kontor-cli command line (argv[0] the program,
 * global_entries the main GOptionEntry array) is one of those below. Their
 * options follow the command and are read by kontor_cli_io_command(), so
 * the main option context should stop at the command for them
 * (g_option_context_set_strict_posix()). Global options that take a value
 * are skipped with it, so "--db import.db list" is not taken for import. */
gboolean kontor_cli_io_owns_command_line (char               **argv,
                                          const GOptionEntry  *global_entries);

/* Runs "import", "export", "duplicates" or "merge" with args (what follows
 * the command, options included) and sets *handled; for any other command
 * *handled is FALSE and nothing happens. Returns a KONTOR_CLI_EXIT_* code:
 * 2 for a wrong command line, 1 when a file yields no record or on errors. */
int      kontor_cli_io_command           (KontorStore         *store,
                                          const char          *cmd,
                                          char               **args,
                                          gboolean             json,
                                          gboolean             quiet,
                                          gboolean            *handled);

G_END_DECLS
