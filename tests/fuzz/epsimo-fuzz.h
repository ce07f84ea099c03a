/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "epsimo-dialect.h"

G_BEGIN_DECLS

/* The entry points of the fuzz targets (tests/fuzz/fuzz-*.c) and of the unit test that
 * replays the kept crashing inputs (tests/unit/test-fuzz-regressions.c). Each takes any
 * bytes. A bug is a crash, a sanitizer report, a g_critical (fatal under G_DEBUG) or a
 * broken documented promise, which aborts with a message. */

/* The SSE parser: the input fed whole and in pieces gives the same events, all UTF-8. */
void     epsimo_fuzz_sse_parser  (const guint8  *data,
                                  gsize          size);

/* The run stream in @dialect: fed whole, in pieces, and read from a GInputStream; each
 * time exactly one DONE or ERROR, last, and the same events whatever the pieces. */
void     epsimo_fuzz_run_stream  (EpsimoDialect  dialect,
                                  const guint8  *data,
                                  gsize          size);

/* The input parsed as JSON; every object in it (the root, or the elements of a list
 * reply) given to every model's _new_from_json, then to its _update_from_json and
 * _to_json in both dialects. */
void     epsimo_fuzz_models      (const guint8  *data,
                                  gsize          size);

/* The markdown renderer (epsimo-fuzz-markdown.c, built where md4c is). */
void     epsimo_fuzz_markdown    (const guint8  *data,
                                  gsize          size);

/* Runs the entry point named like a folder of tests/fuzz/corpus/ ("sse-parser",
 * "run-stream-live", "run-stream-reference", "models", "markdown"). FALSE when
 * @target is unknown. */
/* The live thread state's scanner (epsimo-state-reader.c), in both modes: cut anywhere,
 * it keeps the same; kept messages are whole objects; the values never hold the
 * conversation. */
void     epsimo_fuzz_thread_state (const guint8 *data,
                                   gsize         size);

gboolean epsimo_fuzz_run_target  (const char    *target,
                                  const guint8  *data,
                                  gsize          size);

G_END_DECLS
