/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "epsimo-upload.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_UPLOAD_ROW (epsimo_upload_row_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoUploadRow, epsimo_upload_row, EPSIMO, UPLOAD_ROW, AdwBin)

/* One upload in the queue: its name, a progress bar, what it is doing ("3.2 MB of 10 MB —
 * 1.1 MB/s — 8 s left", or why it failed), Cancel, and Retry once it failed. Property:
 * "upload" (EpsimoUpload, nullable: rows are recycled by the list). */

GtkWidget    *epsimo_upload_row_new        (void);
EpsimoUpload *epsimo_upload_row_get_upload (EpsimoUploadRow *self);
void          epsimo_upload_row_set_upload (EpsimoUploadRow *self,
                                            EpsimoUpload    *upload);

G_END_DECLS
