/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-client.h"
#include "epsimo-project.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_PROJECTS_SERVICE (epsimo_projects_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoProjectsService, epsimo_projects_service,
                      EPSIMO, PROJECTS_SERVICE, GObject)

/**
 * epsimo_projects_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): the projects of the signed-in user (user token).
 *   Answers that carry a project token seed the client's token cache.
 */
EpsimoProjectsService *epsimo_projects_service_new           (EpsimoClient          *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient          *epsimo_projects_service_get_client    (EpsimoProjectsService *self);

/* GET /projects/ */
void           epsimo_projects_service_list_async    (EpsimoProjectsService  *self,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
/**
 * epsimo_projects_service_list_finish:
 *
 * Returns: (transfer full) (element-type EpsimoProject) (nullable): the
 *   projects in the server's order, or NULL on error
 */
GPtrArray     *epsimo_projects_service_list_finish   (EpsimoProjectsService  *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

/**
 * epsimo_projects_service_create_async:
 * @project: the new project (its name, description and metadata are sent)
 *
 * POST /projects/
 */
void           epsimo_projects_service_create_async  (EpsimoProjectsService  *self,
                                                      EpsimoProject          *project,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
/* Returns: (transfer full) (nullable): the project as the server made it */
EpsimoProject *epsimo_projects_service_create_finish (EpsimoProjectsService  *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

/* GET /projects/{id} */
void           epsimo_projects_service_get_async     (EpsimoProjectsService  *self,
                                                      const char             *project_id,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
/* Returns: (transfer full) (nullable): the project */
EpsimoProject *epsimo_projects_service_get_finish    (EpsimoProjectsService  *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

/**
 * epsimo_projects_service_update_async:
 * @project: a project from the server, with its new name, description and
 *   metadata
 *
 * PUT /projects/{id}. On success @project is updated in place from the
 * answer (when the answer describes the project).
 */
void           epsimo_projects_service_update_async  (EpsimoProjectsService  *self,
                                                      EpsimoProject          *project,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean       epsimo_projects_service_update_finish (EpsimoProjectsService  *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

/* DELETE /projects/{id}?confirm=true: the project and everything in it. */
void           epsimo_projects_service_delete_async  (EpsimoProjectsService  *self,
                                                      const char             *project_id,
                                                      GCancellable           *cancellable,
                                                      GAsyncReadyCallback     callback,
                                                      gpointer                user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean       epsimo_projects_service_delete_finish (EpsimoProjectsService  *self,
                                                      GAsyncResult           *result,
                                                      GError                **error);

G_END_DECLS
