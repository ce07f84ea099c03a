/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-client.h"
#include "epsimo-message.h"
#include "epsimo-thread.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_THREADS_SERVICE (epsimo_threads_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoThreadsService, epsimo_threads_service,
                      EPSIMO, THREADS_SERVICE, GObject)

/* The number of messages asked for when the caller gives 0. */
#define EPSIMO_THREADS_SERVICE_DEFAULT_PAGE 50

/**
 * epsimo_threads_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): the threads of projects and their messages
 *   (project token)
 */
EpsimoThreadsService *epsimo_threads_service_new         (EpsimoClient          *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient  *epsimo_threads_service_get_client         (EpsimoThreadsService  *self);

/* GET /threads/ (a bare list or {"threads": [...], "total": N}) */
void           epsimo_threads_service_list_async         (EpsimoThreadsService  *self,
                                                          const char            *project_id,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* Returns: (transfer full) (element-type EpsimoThread) (nullable) */
GPtrArray     *epsimo_threads_service_list_finish        (EpsimoThreadsService  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

/**
 * epsimo_threads_service_create_async:
 * @thread: the new thread (name, assistant id, metadata)
 *
 * POST /threads/ {name, assistant_id, metadata: {type: "thread"}}
 */
void           epsimo_threads_service_create_async       (EpsimoThreadsService  *self,
                                                          const char            *project_id,
                                                          EpsimoThread          *thread,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* Returns: (transfer full) (nullable): the thread as the server made it */
EpsimoThread  *epsimo_threads_service_create_finish      (EpsimoThreadsService  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

/* GET /threads/{id} */
void           epsimo_threads_service_get_async          (EpsimoThreadsService  *self,
                                                          const char            *project_id,
                                                          const char            *thread_id,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* Returns: (transfer full) (nullable) */
EpsimoThread  *epsimo_threads_service_get_finish         (EpsimoThreadsService  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

/* DELETE /threads/{id} */
void           epsimo_threads_service_delete_async       (EpsimoThreadsService  *self,
                                                          const char            *project_id,
                                                          const char            *thread_id,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean       epsimo_threads_service_delete_finish      (EpsimoThreadsService  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

/**
 * epsimo_threads_service_get_messages_async:
 * @limit: the most messages wanted, 0 for the default page
 * @before: (nullable): the id of the oldest message already shown, to get
 *   the page before it; NULL for the latest page
 *
 * The conversation, one page at a time, oldest first. Reference:
 * GET /threads/{id}/messages?limit&before. Live: GET /threads/{id}/state,
 * whose `values.messages` is the whole history: it is read as it arrives and
 * only the same page is kept (the @limit messages before @before), so a
 * long history never sits in memory whole.
 */
void           epsimo_threads_service_get_messages_async  (EpsimoThreadsService *self,
                                                           const char           *project_id,
                                                           const char           *thread_id,
                                                           guint                 limit,
                                                           const char           *before,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/**
 * epsimo_threads_service_get_messages_finish:
 * @has_more: (out) (optional): whether older messages remain
 *
 * Returns: (transfer full) (element-type EpsimoMessage) (nullable): the page,
 *   oldest first
 */
GPtrArray     *epsimo_threads_service_get_messages_finish (EpsimoThreadsService *self,
                                                           GAsyncResult         *result,
                                                           gboolean             *has_more,
                                                           GError              **error);
/**
 * epsimo_threads_service_get_messages_finish_full:
 * @has_more: (out) (optional): whether older messages remain
 * @n_older: (out) (optional): how many messages come before the page, when
 *   the server told (live: the whole history was read); G_MAXUINT when
 *   unknown (reference: the server pages it)
 *
 * Returns: (transfer full) (element-type EpsimoMessage) (nullable): the page,
 *   oldest first
 */
GPtrArray     *epsimo_threads_service_get_messages_finish_full (EpsimoThreadsService *self,
                                                                GAsyncResult         *result,
                                                                gboolean             *has_more,
                                                                guint                *n_older,
                                                                GError              **error);

/**
 * epsimo_threads_service_add_message_async:
 * @message: the message (its role and content are sent)
 *
 * POST /threads/{id}/messages: adds a message without running the
 * assistant. Only the reference dialect has this; on the live backend it
 * fails with %EPSIMO_API_ERROR_NOT_FOUND (nothing is sent).
 */
void           epsimo_threads_service_add_message_async   (EpsimoThreadsService *self,
                                                           const char           *project_id,
                                                           const char           *thread_id,
                                                           EpsimoMessage        *message,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* Returns: (transfer full) (nullable): the message as the server stored it */
EpsimoMessage *epsimo_threads_service_add_message_finish  (EpsimoThreadsService *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
