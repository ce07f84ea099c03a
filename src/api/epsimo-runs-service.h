/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-client.h"
#include "epsimo-run-stream.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_RUNS_SERVICE (epsimo_runs_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoRunsService, epsimo_runs_service, EPSIMO, RUNS_SERVICE, GObject)

/**
 * epsimo_runs_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): streamed runs (chat replies) of threads
 *   (project token)
 */
EpsimoRunsService *epsimo_runs_service_new          (EpsimoClient        *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient      *epsimo_runs_service_get_client   (EpsimoRunsService   *self);

/**
 * epsimo_runs_service_start_async:
 * @assistant_id: (nullable): the thread's assistant (the live dialect sends it)
 * @text: what the user wrote
 * @cancellable: (nullable): cancels opening the stream only; stop a run that
 *   is streaming with epsimo_runs_service_stop()
 *
 * Sends @text and opens the reply stream. Reference:
 * POST /threads/{id}/run {message, stream: true}. Live: POST /runs/stream
 * {thread_id, assistant_id, input: [{role: "user", content, type: "human"}],
 * stream_mode: ["messages", "values"]}. Not retried once the server may
 * have taken the message.
 */
void               epsimo_runs_service_start_async  (EpsimoRunsService   *self,
                                                     const char          *project_id,
                                                     const char          *thread_id,
                                                     const char          *assistant_id,
                                                     const char          *text,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/**
 * epsimo_runs_service_start_finish:
 *
 * Returns: (transfer full) (nullable): the run's stream, already reading:
 *   connect to #EpsimoRunStream::event before returning to the main loop.
 *   It emits events until exactly one DONE or ERROR, or until
 *   epsimo_runs_service_stop(). NULL on error (the message was then not
 *   accepted, or its fate is unknown: see the error).
 */
EpsimoRunStream   *epsimo_runs_service_start_finish (EpsimoRunsService   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/**
 * epsimo_runs_service_stop_async:
 * @stream: a stream from epsimo_runs_service_start_finish()
 *
 * Stops reading @stream at once (it emits nothing more) and asks the server
 * to cancel the run (reference POST /threads/{id}/runs/{run_id}/cancel, live
 * POST /runs/{run_id}/cancel) when the run's id is known. The server's
 * answer is best effort: the callback reports whether it accepted.
 */
void               epsimo_runs_service_stop_async   (EpsimoRunsService   *self,
                                                     EpsimoRunStream     *stream,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* Returns: %TRUE when the server cancelled the run; FALSE with @error when it
 * could not be asked (no run id yet), refused or failed */
gboolean           epsimo_runs_service_stop_finish  (EpsimoRunsService   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Stops reading @stream and asks the server to cancel, without waiting. */
void               epsimo_runs_service_stop         (EpsimoRunsService   *self,
                                                     EpsimoRunStream     *stream);

/**
 * epsimo_runs_service_get_run_id:
 *
 * Returns: (nullable): the id of @stream's run once its STARTED event came
 */
const char        *epsimo_runs_service_get_run_id   (EpsimoRunsService   *self,
                                                     EpsimoRunStream     *stream);

G_END_DECLS
