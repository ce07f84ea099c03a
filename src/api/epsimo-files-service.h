/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-client.h"
#include "epsimo-file.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_FILES_SERVICE (epsimo_files_service_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoFilesService, epsimo_files_service, EPSIMO, FILES_SERVICE, GObject)

/**
 * epsimo_files_service_new:
 * @client: the client to call through (a reference is kept)
 *
 * Returns: (transfer full): retrieval documents (project token). The
 *   reference dialect keeps files per project (/files/), the live backend per
 *   assistant (/assistants/{aid}/files): every call takes an optional
 *   assistant id, required on the live backend.
 */
EpsimoFilesService *epsimo_files_service_new          (EpsimoClient         *client);

/* Returns: (transfer none): the client the service calls through */
EpsimoClient *epsimo_files_service_get_client         (EpsimoFilesService   *self);

/**
 * epsimo_files_service_list_async:
 * @assistant_id: (nullable): the assistant whose files to list (live); the
 *   reference dialect lists the whole project's
 */
void          epsimo_files_service_list_async         (EpsimoFilesService   *self,
                                                       const char           *project_id,
                                                       const char           *assistant_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* Returns: (transfer full) (element-type EpsimoFile) (nullable) */
GPtrArray    *epsimo_files_service_list_finish        (EpsimoFilesService   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/**
 * epsimo_files_service_upload_async:
 * @assistant_id: (nullable): the assistant to attach the file to (live:
 *   required)
 * @file: a local file; it is read in chunks while it is sent
 * @purpose: (nullable): "retrieval" (the default) or "assistants"
 *   (reference dialect only)
 * @progress: (nullable): called as the body is sent (bytes of the whole
 *   multipart body)
 * @cancellable: (nullable): cancels the upload
 *
 * Reference: POST /files/ with the form fields `file` and `purpose`. Live:
 * POST /assistants/{aid}/files with the field `files`. Never retried (the
 * body is sent once); the dialect is learned first if need be.
 */
void          epsimo_files_service_upload_async       (EpsimoFilesService   *self,
                                                       const char           *project_id,
                                                       const char           *assistant_id,
                                                       GFile                *file,
                                                       const char           *purpose,
                                                       EpsimoProgressFunc    progress,
                                                       gpointer              progress_data,
                                                       GDestroyNotify        progress_destroy,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* Returns: (transfer full) (nullable): the file as the server stored it */
EpsimoFile   *epsimo_files_service_upload_finish      (EpsimoFilesService   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/**
 * epsimo_files_service_delete_async:
 * @assistant_id: (nullable): the file's assistant (live: required)
 *
 * Reference DELETE /files/{id}; live DELETE /assistants/{aid}/files/{id}.
 */
void          epsimo_files_service_delete_async       (EpsimoFilesService   *self,
                                                       const char           *project_id,
                                                       const char           *assistant_id,
                                                       const char           *file_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* Returns: %TRUE on success; else %FALSE with @error set (G_IO_ERROR_CANCELLED
 * when cancelled) */
gboolean      epsimo_files_service_delete_finish      (EpsimoFilesService   *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
