/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-fuzz"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "epsimo-fuzz.h"

/* One libFuzzer target: tests/fuzz/meson.build builds this file once per target, naming
 * it in EPSIMO_FUZZ_TARGET (a folder of tests/fuzz/corpus/). */

int LLVMFuzzerInitialize  (int            *argc,
                           char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical or a warning is a bug, as in the test suites (G_DEBUG=fatal-criticals). GLib
 * would end the process with SIGTRAP, which libFuzzer does not catch: abort instead, so
 * the input is saved. */
static void
abort_on_log (const char     *domain,
              GLogLevelFlags  level,
              const char     *message,
              gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_printerr ("%s: %s\n", domain != NULL ? domain : "", message);
      abort ();
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_default_handler (abort_on_log, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (!epsimo_fuzz_run_target (EPSIMO_FUZZ_TARGET, data, size))
    abort ();
  return 0;
}
