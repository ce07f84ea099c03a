/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_MULTIPART_STREAM (epsimo_multipart_stream_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoMultipartStream, epsimo_multipart_stream,
                      EPSIMO, MULTIPART_STREAM, GInputStream)

/* A multipart/form-data body (RFC 7578) built lazily: files are opened only
 * when reached and read in chunks, so memory does not grow with their size.
 * Add every part before the first read. */
EpsimoMultipartStream *epsimo_multipart_stream_new  (void);
/* The same parts and boundary, unread: a body for a restarted or retried
 * request (libsoup needs the body set again on "restarted"). */
EpsimoMultipartStream *epsimo_multipart_stream_dup  (EpsimoMultipartStream *self);
void        epsimo_multipart_stream_add_field        (EpsimoMultipartStream  *self,
                                                      const char             *name,
                                                      const char             *value);
/* Queries the size of @file now (blocking I/O: call it from a worker thread
 * for slow file systems). @filename: the name the server sees (NULL: the
 * file's display name); @content_type: NULL guesses from the name. Several
 * files may share @name (e.g. `files`). */
gboolean    epsimo_multipart_stream_add_file         (EpsimoMultipartStream  *self,
                                                      const char             *name,
                                                      GFile                  *file,
                                                      const char             *filename,
                                                      const char             *content_type,
                                                      GError                **error);
/* The exact number of bytes the body will have (Content-Length). */
goffset     epsimo_multipart_stream_get_length       (EpsimoMultipartStream  *self);
/* "multipart/form-data; boundary=..." */
const char *epsimo_multipart_stream_get_content_type (EpsimoMultipartStream  *self);

G_END_DECLS
