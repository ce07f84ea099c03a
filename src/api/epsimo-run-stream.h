/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-dialect.h"
#include "epsimo-run-event.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_RUN_STREAM (epsimo_run_stream_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoRunStream, epsimo_run_stream, EPSIMO, RUN_STREAM, GObject)

/**
 * EpsimoRunStream:
 *
 * Turns the server-sent events of a run, in either wire dialect, into one
 * sequence of #EpsimoRunEvent, emitted as #EpsimoRunStream::event. The
 * sequence ends with exactly one DONE or one ERROR; nothing follows either.
 * A stream reads one reply: make a new one for the next run.
 */

/* Returns a new run stream for @dialect (transfer full). With
 * EPSIMO_DIALECT_UNKNOWN the dialect is guessed from the first event. */
EpsimoRunStream *epsimo_run_stream_new              (EpsimoDialect        dialect);

EpsimoDialect    epsimo_run_stream_get_dialect      (EpsimoRunStream     *self);

/* Seconds without a byte after which a read_async() fails (0: never). */
guint            epsimo_run_stream_get_idle_timeout (EpsimoRunStream     *self);
void             epsimo_run_stream_set_idle_timeout (EpsimoRunStream     *self,
                                                     guint                seconds);

/* Parses the next @len bytes of the reply body, emitting the events they
 * complete. */
void             epsimo_run_stream_feed             (EpsimoRunStream     *self,
                                                     const char          *data,
                                                     gsize                len);

/* Tells the stream the body ended cleanly: emits DONE, or ERROR when the
 * dialect needs an explicit end the reply did not have. */
void             epsimo_run_stream_end              (EpsimoRunStream     *self);

/* Reads @body to its end (or to DONE / ERROR), feeding it to @self. */
void             epsimo_run_stream_read_async       (EpsimoRunStream     *self,
                                                     GInputStream        *body,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);

/* TRUE when the run ended with DONE; otherwise FALSE with the error of the
 * ERROR event, or G_IO_ERROR_CANCELLED. */
gboolean         epsimo_run_stream_read_finish      (EpsimoRunStream     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
