/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "api/epsimo-files-service.h"
#include "epsimo-upload.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_UPLOAD_QUEUE (epsimo_upload_queue_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoUploadQueue, epsimo_upload_queue, EPSIMO, UPLOAD_QUEUE, GObject)

/* The uploads of one account: a GListModel of EpsimoUpload that runs at most
 * EpsimoUploadQueue:max-running (3) at once, in the order they were added, the rest waiting.
 * An upload leaves the model when it is done (after ::upload-done) or cancelled; a failed one
 * stays, with Retry, until it is retried or cancelled. Disposing the queue cancels every
 * upload. Properties: "service" (construct-only), "max-running", "n-running" (read-only). */

#define EPSIMO_UPLOAD_QUEUE_DEFAULT_MAX_RUNNING 3

EpsimoUploadQueue *epsimo_upload_queue_new             (EpsimoFilesService *service);
EpsimoFilesService *epsimo_upload_queue_get_service    (EpsimoUploadQueue  *self);

/* Queues @file for @project_id (and, on the live backend, @assistant_id). Returns the upload
 * (borrowed: the queue holds it while it is in the model). */
EpsimoUpload      *epsimo_upload_queue_add             (EpsimoUploadQueue  *self,
                                                        GFile              *file,
                                                        const char         *project_id,
                                                        const char         *assistant_id);
void               epsimo_upload_queue_cancel          (EpsimoUploadQueue  *self,
                                                        EpsimoUpload       *upload);
void               epsimo_upload_queue_retry           (EpsimoUploadQueue  *self,
                                                        EpsimoUpload       *upload);
/* Cancels every upload and empties the model. */
void               epsimo_upload_queue_cancel_all      (EpsimoUploadQueue  *self);

guint              epsimo_upload_queue_get_max_running (EpsimoUploadQueue  *self);
void               epsimo_upload_queue_set_max_running (EpsimoUploadQueue  *self,
                                                        guint               max_running);
guint              epsimo_upload_queue_get_n_running   (EpsimoUploadQueue  *self);

G_END_DECLS
