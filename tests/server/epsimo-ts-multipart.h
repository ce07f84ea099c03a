/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * An incremental multipart/form-data parser. It is fed the body as it
 * arrives and keeps only each part's name, size, type and SHA-256 (and the
 * value of small text fields): a file's bytes are never held.
 */

typedef struct
{
  char    *field;
  char    *filename;
  char    *content_type;
  guint64  size;
  char    *sha256;
  char    *value;
} EpsimoTsPart;

typedef struct _EpsimoTsMultipart EpsimoTsMultipart;

EpsimoTsMultipart *epsimo_ts_multipart_new          (const char        *boundary);
void               epsimo_ts_multipart_free         (EpsimoTsMultipart *mp);
gboolean           epsimo_ts_multipart_feed         (EpsimoTsMultipart *mp,
                                                     const guchar      *data,
                                                     gsize              len);
gboolean           epsimo_ts_multipart_is_complete  (EpsimoTsMultipart *mp);
const char        *epsimo_ts_multipart_get_error    (EpsimoTsMultipart *mp);
GPtrArray         *epsimo_ts_multipart_get_parts    (EpsimoTsMultipart *mp);
const char        *epsimo_ts_multipart_get_field    (EpsimoTsMultipart *mp,
                                                     const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoTsMultipart, epsimo_ts_multipart_free)

G_END_DECLS
