/* kontor-cli.h: the command line on the app's core
 *
 * Copyright 2026 The Kontor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes */
#define KONTOR_CLI_EXIT_OK     0
#define KONTOR_CLI_EXIT_ERROR  1  /* the command failed (bad value, not found, ...) */
#define KONTOR_CLI_EXIT_USAGE  2  /* the command line itself is wrong */

/* Runs one command; output goes to stdout, messages to stderr. */
int kontor_cli_run (int    argc,
                    char **argv);

G_END_DECLS
