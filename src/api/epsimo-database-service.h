/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "epsimo-client.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_DATABASE_SERVICE (epsimo_database_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoDatabaseService, epsimo_database_service,
                      EPSIMO, DATABASE_SERVICE, GObject)

/**
 * epsimo_database_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): the virtual database of threads: per-thread
 *   keys holding any JSON (project token). The `messages` key of the live
 *   thread state is the conversation, never shown or written here.
 */
EpsimoDatabaseService *epsimo_database_service_new         (EpsimoClient           *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient *epsimo_database_service_get_client           (EpsimoDatabaseService  *self);

/**
 * epsimo_database_service_get_all_async:
 *
 * Reference GET /db/{project}/{thread}; live GET /threads/{id}/state
 * (`values` without `messages`).
 */
void          epsimo_database_service_get_all_async        (EpsimoDatabaseService  *self,
                                                            const char             *project_id,
                                                            const char             *thread_id,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
/* Returns: (transfer full) (nullable): every key and its value (an empty
 * object when there are none) */
JsonObject   *epsimo_database_service_get_all_finish       (EpsimoDatabaseService  *self,
                                                            GAsyncResult           *result,
                                                            GError                **error);

/**
 * epsimo_database_service_get_key_async:
 *
 * Reference GET /db/{project}/{thread}/{key}; live: the key of the thread
 * state. A missing key is %EPSIMO_API_ERROR_NOT_FOUND.
 */
void          epsimo_database_service_get_key_async        (EpsimoDatabaseService  *self,
                                                            const char             *project_id,
                                                            const char             *thread_id,
                                                            const char             *key,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
/* Returns: (transfer full) (nullable): the value (a JSON null is a value) */
JsonNode     *epsimo_database_service_get_key_finish       (EpsimoDatabaseService  *self,
                                                            GAsyncResult           *result,
                                                            GError                **error);

/**
 * epsimo_database_service_set_key_async:
 * @key: the key; not "messages" (refused with %EPSIMO_API_ERROR_VALIDATION)
 * @value: (transfer none): any JSON value (copied)
 *
 * Reference PUT /db/{project}/{thread}/{key} {value}; live
 * POST /threads/{id}/state {values: {key: value}, config: {}}.
 */
void          epsimo_database_service_set_key_async        (EpsimoDatabaseService  *self,
                                                            const char             *project_id,
                                                            const char             *thread_id,
                                                            const char             *key,
                                                            JsonNode               *value,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean      epsimo_database_service_set_key_finish       (EpsimoDatabaseService  *self,
                                                            GAsyncResult           *result,
                                                            GError                **error);

G_END_DECLS
