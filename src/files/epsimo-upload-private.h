/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-upload.h"
#include "epsimo-upload-queue.h"

G_BEGIN_DECLS

/* What only the queue changes on an upload. */

EpsimoUpload *epsimo_upload_new              (EpsimoUploadQueue *queue,
                                              GFile             *file,
                                              const char        *project_id,
                                              const char        *assistant_id);
EpsimoUploadQueue *epsimo_upload_get_queue   (EpsimoUpload      *self);
/* Forgets the queue (it is going away). */
void          epsimo_upload_detach           (EpsimoUpload      *self);

/* The cancellable of the current attempt (a new one after a retry). */
GCancellable *epsimo_upload_get_cancellable  (EpsimoUpload      *self);
/* Cancels the current attempt's cancellable and makes a fresh one for the next. */
void          epsimo_upload_reset_cancellable (EpsimoUpload     *self);

gboolean      epsimo_upload_get_info_ready   (EpsimoUpload      *self);
void          epsimo_upload_set_info         (EpsimoUpload      *self,
                                              const char        *display_name,
                                              guint64            size);

/* Moves to @state; @error is kept only for EPSIMO_UPLOAD_FAILED. Starting to upload clears
 * the progress and returns the new attempt's number through epsimo_upload_get_attempt(). */
void          epsimo_upload_set_state        (EpsimoUpload      *self,
                                              EpsimoUploadState  state,
                                              const char        *error);
guint         epsimo_upload_get_attempt      (EpsimoUpload      *self);

/* @sent of @body_total bytes of the request body (the file plus the multipart framing). */
void          epsimo_upload_set_progress     (EpsimoUpload      *self,
                                              goffset            sent,
                                              goffset            body_total);
void          epsimo_upload_set_result       (EpsimoUpload      *self,
                                              EpsimoFile        *result);

G_END_DECLS
