/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Small helpers shared by every part of the test server. */

/* Which API dialects a path or the whole server speaks (a bit mask). */
typedef enum
{
  EPSIMO_TS_DIALECT_LIVE = 1 << 0,
  EPSIMO_TS_DIALECT_REFERENCE = 1 << 1,
  EPSIMO_TS_DIALECT_BOTH = EPSIMO_TS_DIALECT_LIVE | EPSIMO_TS_DIALECT_REFERENCE,
} EpsimoTsDialect;

char     *epsimo_ts_new_id              (const char  *prefix);
char     *epsimo_ts_random_hex          (guint        n_bytes);
gint64    epsimo_ts_now_us              (void);
gint64    epsimo_ts_now_s               (void);
char     *epsimo_ts_format_time         (gint64       usec);

void      epsimo_ts_json_escape_append  (GString     *out,
                                         const char  *text,
                                         gssize       len);
char     *epsimo_ts_json_to_string      (JsonNode    *node);
JsonNode *epsimo_ts_json_parse          (const char  *text,
                                         gssize       len,
                                         GError     **error);

gboolean  epsimo_ts_node_is_string      (JsonNode    *node);
gboolean  epsimo_ts_node_get_int        (JsonNode    *node,
                                         gint64      *out);
gboolean  epsimo_ts_node_get_number     (JsonNode    *node,
                                         double      *out);

const char *epsimo_ts_object_get_string (JsonObject  *obj,
                                         const char  *member);

JsonNode *epsimo_ts_node_new_object     (JsonObject  *obj);
JsonNode *epsimo_ts_node_new_array      (JsonArray   *array);

G_END_DECLS
