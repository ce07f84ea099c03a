/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_FILE (epsimo_file_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoFile, epsimo_file, EPSIMO, FILE, GObject)

/* Reads `file_id` (or `id`, required), `filename` (or `name`), `size` (or
 * `bytes`), `mime_type` (or `content_type`), `uploaded_at` (or `created_at`),
 * `purpose`. */
EpsimoFile *epsimo_file_new_from_json (JsonObject  *object,
                                       GError     **error);

const char *epsimo_file_get_id          (EpsimoFile *self);
/* A display name only: never use it as a path. Valid UTF-8 without control
 * characters; the id when the server sent none. */
const char *epsimo_file_get_filename    (EpsimoFile *self);
/* 0 when unknown. */
guint64     epsimo_file_get_size        (EpsimoFile *self);
/* May be NULL. */
const char *epsimo_file_get_mime_type   (EpsimoFile *self);
/* May be NULL. */
GDateTime  *epsimo_file_get_uploaded_at (EpsimoFile *self);
/* "assistants", "retrieval", or NULL. */
const char *epsimo_file_get_purpose     (EpsimoFile *self);

G_END_DECLS
