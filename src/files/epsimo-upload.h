/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "api/epsimo-file.h"

G_BEGIN_DECLS

/**
 * EpsimoUploadState:
 * @EPSIMO_UPLOAD_WAITING: queued: waiting for a free slot (or for the file's size)
 * @EPSIMO_UPLOAD_UPLOADING: the body is being sent, or the answer awaited
 * @EPSIMO_UPLOAD_FAILED: failed; #EpsimoUpload:error says why, and it can be retried
 * @EPSIMO_UPLOAD_CANCELLED: cancelled by the user; nothing was stored
 * @EPSIMO_UPLOAD_DONE: stored by the server (see epsimo_upload_get_result())
 */
typedef enum
{
  EPSIMO_UPLOAD_WAITING,
  EPSIMO_UPLOAD_UPLOADING,
  EPSIMO_UPLOAD_FAILED,
  EPSIMO_UPLOAD_CANCELLED,
  EPSIMO_UPLOAD_DONE,
} EpsimoUploadState;

#define EPSIMO_TYPE_UPLOAD_STATE (epsimo_upload_state_get_type ())
GType epsimo_upload_state_get_type (void);

#define EPSIMO_TYPE_UPLOAD (epsimo_upload_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoUpload, epsimo_upload, EPSIMO, UPLOAD, GObject)

/* One file in an EpsimoUploadQueue. Read-only properties, all notified: "file" (GFile),
 * "name" (the local file's display name), "project-id", "assistant-id" (nullable), "state"
 * (EpsimoUploadState), "bytes-sent" and "total" (bytes of the file), "rate" (bytes per
 * second, smoothed; 0 while unknown), "time-left" (seconds, -1 while unknown), "error" (a
 * message a user can read, set while failed) and "result" (the EpsimoFile the server
 * stored, once done). Progress is notified at most ten times a second. */

GFile             *epsimo_upload_get_file          (EpsimoUpload *self);
const char        *epsimo_upload_get_name          (EpsimoUpload *self);
const char        *epsimo_upload_get_project_id    (EpsimoUpload *self);
const char        *epsimo_upload_get_assistant_id  (EpsimoUpload *self);
EpsimoUploadState  epsimo_upload_get_state         (EpsimoUpload *self);
guint64            epsimo_upload_get_bytes_sent    (EpsimoUpload *self);
/* 0 until the file's size is known. */
guint64            epsimo_upload_get_total         (EpsimoUpload *self);
double             epsimo_upload_get_rate          (EpsimoUpload *self);
gint64             epsimo_upload_get_time_left     (EpsimoUpload *self);
const char        *epsimo_upload_get_error         (EpsimoUpload *self);
EpsimoFile        *epsimo_upload_get_result        (EpsimoUpload *self);

/* What a progress row says, e.g. "3.2 MB of 10 MB — 1.1 MB/s — 8 s left" (translated). */
char              *epsimo_upload_dup_status_text   (EpsimoUpload *self);

/* Cancels a waiting or running upload (the connection is dropped, so the server stores
 * nothing), or takes a failed one off its queue. */
void               epsimo_upload_cancel            (EpsimoUpload *self);
/* Queues a failed upload again. */
void               epsimo_upload_retry             (EpsimoUpload *self);

G_END_DECLS
