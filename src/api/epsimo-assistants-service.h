/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-assistant.h"
#include "epsimo-client.h"
#include "epsimo-tool.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_ASSISTANTS_SERVICE (epsimo_assistants_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoAssistantsService, epsimo_assistants_service,
                      EPSIMO, ASSISTANTS_SERVICE, GObject)

/**
 * epsimo_assistants_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): the assistants of projects (project token) and
 *   the live backend's tool catalogue (user token)
 */
EpsimoAssistantsService *epsimo_assistants_service_new (EpsimoClient *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient *epsimo_assistants_service_get_client (EpsimoAssistantsService *self);

/* GET /assistants/ */
void epsimo_assistants_service_list_async (EpsimoAssistantsService *self,
                                           const char              *project_id,
                                           GCancellable            *cancellable,
                                           GAsyncReadyCallback      callback,
                                           gpointer                 user_data);
/* Returns: (transfer full) (element-type EpsimoAssistant) (nullable) */
GPtrArray *epsimo_assistants_service_list_finish (EpsimoAssistantsService  *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);

/* GET /assistants/{id} */
void epsimo_assistants_service_get_async (EpsimoAssistantsService *self,
                                          const char              *project_id,
                                          const char              *assistant_id,
                                          GCancellable            *cancellable,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data);
/* Returns: (transfer full) (nullable) */
EpsimoAssistant *epsimo_assistants_service_get_finish (EpsimoAssistantsService  *self,
                                                       GAsyncResult             *result,
                                                       GError                  **error);

/**
 * epsimo_assistants_service_create_async:
 * @assistant: the assistant to create, written in the server's dialect
 *
 * POST /assistants/. The configuration's shape differs per dialect, so the
 * dialect is learned first when the client does not know it yet.
 */
void epsimo_assistants_service_create_async (EpsimoAssistantsService *self,
                                             const char              *project_id,
                                             EpsimoAssistant         *assistant,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
/* Returns: (transfer full) (nullable): the assistant as the server made it */
EpsimoAssistant *epsimo_assistants_service_create_finish (EpsimoAssistantsService  *self,
                                                          GAsyncResult             *result,
                                                          GError                  **error);

/**
 * epsimo_assistants_service_update_async:
 * @assistant: an assistant from the server, edited
 *
 * PUT /assistants/{id}. On success @assistant is updated in place from the
 * answer (when the answer describes the assistant).
 */
void epsimo_assistants_service_update_async (EpsimoAssistantsService *self,
                                             const char              *project_id,
                                             EpsimoAssistant         *assistant,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean epsimo_assistants_service_update_finish (EpsimoAssistantsService  *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);

/* DELETE /assistants/{id} */
void epsimo_assistants_service_delete_async (EpsimoAssistantsService *self,
                                             const char              *project_id,
                                             const char              *assistant_id,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean epsimo_assistants_service_delete_finish (EpsimoAssistantsService  *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);

/**
 * epsimo_assistants_service_list_tools_async:
 *
 * GET /tools/ (live backend only, user token). A reference-only server has
 * no catalogue: the call then fails with %EPSIMO_API_ERROR_NOT_FOUND and the
 * caller offers its built-in list.
 */
void epsimo_assistants_service_list_tools_async (EpsimoAssistantsService *self,
                                                 GCancellable            *cancellable,
                                                 GAsyncReadyCallback      callback,
                                                 gpointer                 user_data);
/* Returns: (transfer full) (element-type EpsimoTool) (nullable): one tool of
 * each type offered (name, type, description, default settings) */
GPtrArray *epsimo_assistants_service_list_tools_finish (EpsimoAssistantsService  *self,
                                                        GAsyncResult             *result,
                                                        GError                  **error);

/* GET /health/tool/{type} (live backend only, user token). */
void epsimo_assistants_service_get_tool_health_async (EpsimoAssistantsService *self,
                                                      const char              *tool_type,
                                                      GCancellable            *cancellable,
                                                      GAsyncReadyCallback      callback,
                                                      gpointer                 user_data);
/**
 * epsimo_assistants_service_get_tool_health_finish:
 * @healthy: (out) (optional): whether the server says the tool works
 * @message: (out) (optional) (transfer full) (nullable): the server's
 *   explanation (`message`, else `error`)
 *
 * Returns: %TRUE when the server answered
 */
gboolean epsimo_assistants_service_get_tool_health_finish (EpsimoAssistantsService  *self,
                                                           GAsyncResult             *result,
                                                           gboolean                 *healthy,
                                                           char                    **message,
                                                           GError                  **error);

G_END_DECLS
